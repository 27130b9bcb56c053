"""factory_boy factories for tests and fixtures.

Factories build valid objects with the fewest queries; they do not go through services
(use ``diaodu.projects.services`` where a test is about what a service does or logs).
Milestone kinds come from the template the data migration installs: ``template_kind("开工")``
or ``template_kind("groundbreaking")``. Rows that feed a stored verdict (health, lights,
fulfilment) bring it up to date, as the services do (``fresh_state``).
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.agreements.choices import CommitmentKind, Measure, Side, Unit
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core import derived
from diaodu.meetings.choices import BatchKind, MeetingKind
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.problems.choices import Category
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.choices import ListLevel, PeriodKind, ReportStatus, Stage
from diaodu.projects.models import (
    AnnualReturn,
    Industry,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
    ProjectList,
    ReportingRound,
)


def _fresh_state(obj, create, extracted, **kwargs):
    """Bring what is stored about ``obj``'s dependants up to date, and ``obj``'s own stored
    verdict (read back, so the instance a test holds shows it)."""
    if not create:
        return
    derived.changed(obj)
    stored = derived.stored_fields(obj._meta.label)
    if stored:
        obj.refresh_from_db(fields=sorted(stored))


def template_kind(code_or_name: str) -> MilestoneKind:
    """A milestone kind installed by the data migration, by code or Chinese name."""
    return MilestoneKind.objects.get(
        **({"code": code_or_name} if code_or_name.isascii() else {"name": code_or_name})
    )


def month_before(index: int, year: int = 2026, month: int = 1) -> date:
    """The first day of the month ``index + 1`` months before ``year``-``month``
    (``0`` gives December 2025): past dates for reports whose period does not matter."""
    years, months = divmod(year * 12 + month - 1 - (index + 1), 12)
    return date(years, months + 1, 1)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"第{n}局")
    short_name = factory.Sequence(lambda n: f"区{n}局")


class DepartmentFactory(OrganisationFactory):
    kind = OrganisationKind.DEPARTMENT


class CoordinationOfficeFactory(OrganisationFactory):
    kind = OrganisationKind.COORDINATION
    name = factory.Sequence(lambda n: f"重点项目协调办公室{n}")
    short_name = "区项目协调办"


class LeadershipFactory(OrganisationFactory):
    kind = OrganisationKind.LEADERSHIP
    name = factory.Sequence(lambda n: f"管委会领导班子{n}")
    short_name = "管委会"


class TownshipFactory(OrganisationFactory):
    kind = OrganisationKind.TOWNSHIP
    name = factory.Sequence(lambda n: f"第{n}街道办事处")
    short_name = factory.Sequence(lambda n: f"第{n}街道")


class EnterpriseFactory(OrganisationFactory):
    kind = OrganisationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"企业{n}有限公司")
    short_name = factory.Sequence(lambda n: f"企业{n}")
    unified_credit_code = factory.Sequence(lambda n: f"91330100MA{n:08d}")


class UserFactory(DjangoModelFactory):
    """A person. No usable password unless one is given: tests log in with
    ``force_login``, which skips the (deliberately slow) password hashing."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = Role.COORDINATOR
    organisation = None

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if extracted:
            obj.set_password(extracted)
            if create:
                obj.save(update_fields=["password"])


class AdminFactory(UserFactory):
    role = Role.ADMIN


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    organisation = factory.SubFactory(CoordinationOfficeFactory)


class LeaderFactory(UserFactory):
    role = Role.LEADER
    title = "管委会副主任"
    organisation = factory.SubFactory(LeadershipFactory)


class DepartmentStaffFactory(UserFactory):
    role = Role.DEPARTMENT
    organisation = factory.SubFactory(DepartmentFactory)


class OwnerFactory(UserFactory):
    role = Role.OWNER
    organisation = factory.SubFactory(EnterpriseFactory)


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry

    name = factory.Sequence(lambda n: f"产业{n}")
    name_en = factory.Sequence(lambda n: f"Industry {n}")


class ProjectListFactory(DjangoModelFactory):
    class Meta:
        model = ProjectList

    year = 2026
    level = ListLevel.ZONE
    name = factory.Sequence(lambda n: f"2026年区级重点项目清单{n}")


class MilestoneKindFactory(DjangoModelFactory):
    """An extra kind outside the template (the migration's ten kinds are the template)."""

    class Meta:
        model = MilestoneKind

    code = factory.Sequence(lambda n: f"extra_{n}")
    name = factory.Sequence(lambda n: f"附加节点{n}")
    name_en = factory.Sequence(lambda n: f"Extra node {n}")
    sort_order = factory.Sequence(lambda n: 1000 + n)
    in_template = False


class ProjectFactory(DjangoModelFactory):
    """A project without milestones. ``ProjectFactory(milestones=True)`` adds one milestone
    per template kind, as ``services.create_project`` does; ``lists=[...]`` sets lists."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    name = factory.Sequence(lambda n: f"重点项目{n}")
    owner = factory.SubFactory(EnterpriseFactory)
    lead_department = factory.SubFactory(DepartmentFactory)
    total_investment = Decimal("50000.00")
    plan_year = 2026
    annual_plan = Decimal("12000.00")
    land_area = Decimal("120.50")
    stage = Stage.PREPARATION

    @factory.post_generation
    def lists(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lists.set(extracted)

    @factory.post_generation
    def milestones(obj, create, extracted, **kwargs):
        if create and extracted:
            Milestone.objects.bulk_create(
                Milestone(project=obj, kind=kind, approving_department=kind.approving_department)
                for kind in MilestoneKind.objects.filter(in_template=True)
            )

    fresh_state = factory.PostGeneration(_fresh_state)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    kind = factory.SubFactory(MilestoneKindFactory)
    fresh_state = factory.PostGeneration(_fresh_state)


class ProgressReportFactory(DjangoModelFactory):
    """A monthly report, submitted by an owner of the project's enterprise. Successive
    reports get earlier and earlier months from December 2025 back, unless
    ``period_start`` is given."""

    class Meta:
        model = ProgressReport
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    period_kind = PeriodKind.MONTH
    period_start = factory.Sequence(month_before)
    narrative = factory.Sequence(lambda n: f"第{n}期：主体结构施工，完成桩基工程。")
    investment = Decimal("500.00")
    status = ReportStatus.SUBMITTED
    submitted_by = factory.SubFactory(
        OwnerFactory, organisation=factory.SelfAttribute("..project.owner")
    )
    fresh_state = factory.PostGeneration(_fresh_state)


class AnnualReturnFactory(DjangoModelFactory):
    """A project's return for 2025."""

    class Meta:
        model = AnnualReturn
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    year = 2025
    output = Decimal("0")
    tax = Decimal("0")
    energy = None
    fresh_state = factory.PostGeneration(_fresh_state)


class ProblemFactory(DjangoModelFactory):
    """An open problem on a project, led by a department, due a month after 1 June 2026."""

    class Meta:
        model = Problem
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"问题{n}：用地指标不足")
    description = "需调整控制性详细规划。"
    category = Category.LAND
    lead_department = factory.SubFactory(DepartmentFactory)
    raised_by = factory.SubFactory(CoordinatorFactory)
    raised_on = date(2026, 6, 1)
    due_date = date(2026, 7, 1)

    @factory.post_generation
    def cooperating_departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cooperating_departments.set(extracted)

    fresh_state = factory.PostGeneration(_fresh_state)


class ActionItemFactory(DjangoModelFactory):
    """An assigned action item, due a month after 1 June 2026."""

    class Meta:
        model = ActionItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"交办事项{n}：协调供电接入")
    lead_department = factory.SubFactory(DepartmentFactory)
    assigned_by = factory.SubFactory(CoordinatorFactory)
    assigned_on = date(2026, 6, 1)
    due_date = date(2026, 7, 1)

    @factory.post_generation
    def cooperating_departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cooperating_departments.set(extracted)

    fresh_state = factory.PostGeneration(_fresh_state)


class ReportingRoundFactory(DjangoModelFactory):
    class Meta:
        model = ReportingRound
        skip_postgeneration_save = True

    title = "2026年6月进展填报"
    period_kind = PeriodKind.MONTH
    period_start = date(2026, 6, 1)
    due_date = date(2026, 6, 25)
    opened_by = factory.SubFactory(CoordinatorFactory)

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.projects.set(extracted)


class MeetingFactory(DjangoModelFactory):
    """An upcoming special dispatch meeting on 15 June 2026, 15:00 Shanghai time."""

    class Meta:
        model = Meeting

    kind = MeetingKind.SPECIAL
    title = factory.Sequence(lambda n: f"重点项目专题调度会议{n}")
    starts_at = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
    place = "管委会三楼第一会议室"
    chair = factory.SubFactory(LeaderFactory)
    created_by = factory.SubFactory(CoordinatorFactory)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: (n + 1) * 10)


class EventBatchFactory(DjangoModelFactory):
    class Meta:
        model = EventBatch
        skip_postgeneration_save = True

    name = "2026年第二季度集中开工活动"
    kind = BatchKind.GROUNDBREAKING
    date = date(2026, 6, 8)

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.projects.set(extracted)


class AgreementFactory(DjangoModelFactory):
    """An agreement signed on 1 January 2026 with the project's owner."""

    class Meta:
        model = Agreement

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    title = factory.LazyAttribute(lambda o: f"{o.project.name}投资协议")
    signed_on = date(2026, 1, 1)
    enterprise = factory.SelfAttribute("project.owner")
    zone_party = factory.SubFactory(LeadershipFactory)
    recorded_by = factory.SubFactory(CoordinatorFactory)


class CommitmentFactory(DjangoModelFactory):
    """The enterprise's commitment to invest 10,000 万元 by the end of 2026."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    side = Side.ENTERPRISE
    kind = CommitmentKind.INVESTMENT
    description = factory.Sequence(lambda n: f"完成固定资产投资{n}")
    target_amount = Decimal("10000.00")
    unit = Unit.WAN_YUAN
    due_date = date(2026, 12, 31)
    measure = Measure.INVESTMENT
    fresh_state = factory.PostGeneration(_fresh_state)


class FulfilmentRecordFactory(DjangoModelFactory):
    class Meta:
        model = FulfilmentRecord
        skip_postgeneration_save = True

    commitment = factory.SubFactory(CommitmentFactory, measure=Measure.MANUAL)
    recorded_on = date(2026, 5, 1)
    note = "已按协议完成。"
    recorded_by = factory.SubFactory(CoordinatorFactory)
    fresh_state = factory.PostGeneration(_fresh_state)


class SiteFactory(DjangoModelFactory):
    """A project's point, near the zone's centre unless given."""

    class Meta:
        model = "sites.Site"

    project = factory.SubFactory(ProjectFactory)
    latitude = factory.Sequence(lambda n: Decimal("30.200000") + Decimal(n % 100) / 10000)
    longitude = factory.Sequence(lambda n: Decimal("120.200000") + Decimal(n // 100) / 10000)


class ParcelFactory(DjangoModelFactory):
    """A parcel of about 26 mu (see ``diaodu.sites.testfiles.PARCEL``)."""

    class Meta:
        model = "sites.Parcel"

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"地块{n}")
    geometry = factory.LazyFunction(
        lambda: {"type": "Polygon", "coordinates": [[list(c) for c in _parcel_ring()]]}
    )
    area_m2 = Decimal("17611.5")
    source = "drawn"


def _parcel_ring():
    from diaodu.sites.testfiles import ring

    return ring()
