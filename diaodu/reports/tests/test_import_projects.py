"""Importing the office's project ledger: headers as offices write them, values in Chinese
formats, a preview of every error and change, then all rows or none."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from diaodu.core import derived
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    LeaderFactory,
    ProjectFactory,
    template_kind,
)
from diaodu.org.models import Organisation
from diaodu.projects.choices import Health, Stage
from diaodu.projects.derived import STORED_STATES
from diaodu.projects.models import Milestone, Project
from diaodu.reports.importing import CREATE, UNCHANGED, UPDATE, plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, xlsx

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")


def preview(world, *rows, merges=(), language=None, actor=None):
    with translation.override(language or "zh-hans"):
        return plan_import("projects", xlsx(*rows, merges=merges), actor=actor or world.coordinator)


def imported(world, *rows, merges=()):
    plan = preview(world, *rows, merges=merges)
    assert plan.ok, plan.issues
    commit_import(plan, actor=world.coordinator)
    return plan


def errors(plan) -> list[tuple]:
    return [(i.row, i.column, i.message) for i in plan.issues]


def test_a_plain_ledger_below_a_title_creates_its_projects(world):
    plan = imported(
        world,
        ["2026年重点项目调度台账"],
        [],
        LEDGER_HEADER,
        [1, "2026-101", "智慧物流园", "綠源水務", "3.2亿元", "区资规局"],
        [2, "2026-102", "新能源电池厂", "華材新材料股份有限公司", "5000万", "自然资源和规划局"],
        merges=["A1:F1"],
    )

    assert plan.header_rows == [3]
    assert [(c.row, c.action) for c in plan.changes] == [(4, CREATE), (5, CREATE)]
    logistics = Project.objects.get(code="2026-101")
    assert logistics.name == "智慧物流园"
    assert logistics.owner == world.enterprise_x  # short name, written in Traditional
    assert logistics.total_investment == Decimal("32000.00")
    assert logistics.lead_department == world.department_a
    assert logistics.plan_year == 2026
    assert logistics.stage == Stage.SIGNED
    assert logistics.search_key.startswith("2026-101")  # found by the list's search
    battery = Project.objects.get(code="2026-102")
    assert battery.owner == world.enterprise_y  # full name, Traditional
    assert battery.total_investment == Decimal("5000.00")


def test_created_projects_get_the_template_milestones_and_a_history(world):
    imported(world, LEDGER_HEADER, [1, "2026-101", "智慧物流园", "绿源水务", 30000, "区资规局"])
    project = Project.objects.get(code="2026-101")

    assert project.milestones.count() == Milestone.objects.filter(project=world.project_x).count()
    log = ChangeLog.objects.for_object(project).get()
    assert log.action == ChangeAction.CREATE
    assert log.actor == world.coordinator
    assert log.after["name"] == "智慧物流园"
    assert log.after["total_investment"] == "30000.00"
    assert log.after["owner"] == "绿源水务"
    assert log.after["lists"] == []


def test_usual_header_synonyms_are_recognised(world):
    leader = world.leader
    plan = imported(
        world,
        ["项目代码", "名称", "建设单位", "计划总投资", "牵头单位", "联系领导", "建设阶段", "用地"],
        [
            "2601-330106-04-01-000001",
            "智慧物流园",
            "绿源水务",
            "1.2亿",
            "区审批局",
            leader.display_name,
            "在建",
            "8万平方米",
        ],
    )

    fields = {c.header: c.field for c in plan.columns}
    assert fields == {
        "项目代码": "national_code",
        "名称": "name",
        "建设单位": "owner",
        "计划总投资": "total_investment",
        "牵头单位": "lead_department",
        "联系领导": "responsible_leader",
        "建设阶段": "stage",
        "用地": "land_area",
    }
    # Without a project number, the national code numbers the new project.
    project = Project.objects.get(national_code="2601-330106-04-01-000001")
    assert project.code == "2601-330106-04-01-000001"
    assert project.total_investment == Decimal("12000.00")
    assert project.lead_department == world.department_b
    assert project.responsible_leader == leader
    assert project.stage == Stage.CONSTRUCTION
    assert project.land_area == Decimal("120.00")


def test_merged_two_row_headers_are_read_with_their_group(world):
    groundbreaking, completion = template_kind("开工"), template_kind("竣工")
    plan = imported(
        world,
        ["2026年重点项目计划表"],
        [
            "序号",
            "项目编号",
            "项目名称",
            "业主单位",
            "责任单位",
            "投资情况（亿元）",
            None,
            "开工",
            None,
            "竣工",
        ],
        [None, None, None, None, None, "总投资", "年度计划", "计划", "实际", "计划"],
        [
            1,
            "2026-101",
            "智慧物流园",
            "绿源水务",
            "区资规局",
            3.2,
            0.8,
            "2026.5",
            "2026/5/11",
            "2027年12月",
        ],
        merges=["A1:J1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:G2", "H2:I2"],
    )

    assert plan.header_rows == [2, 3]
    project = Project.objects.get(code="2026-101")
    assert project.total_investment == Decimal("32000.00")  # the group says 亿元
    assert project.annual_plan == Decimal("8000.00")
    started = project.milestones.get(kind=groundbreaking)
    assert started.planned_date == date(2026, 5, 31)  # a month: its last day
    assert started.actual_date == date(2026, 5, 11)
    assert project.milestones.get(kind=completion).planned_date == date(2027, 12, 31)
    logged = ChangeLog.objects.filter(object_id=started.pk, action=ChangeAction.UPDATE).get()
    assert logged.before["planned_date"] is None
    assert logged.after["planned_date"] == "2026-05-31"
    assert logged.related_id == project.pk


@pytest.mark.parametrize(
    "header",
    ["计划开工时间", "开工计划时间", "开工（计划）", "开工时间", "开工"],
)
def test_a_planned_milestone_date_is_recognised_however_the_column_says_so(world, header):
    imported(
        world,
        [*LEDGER_HEADER, header, "实际开工时间"],
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局", "2026年9月30日", None],
    )

    milestone = Project.objects.get(code="2026-101").milestones.get(kind=template_kind("开工"))
    assert milestone.planned_date == date(2026, 9, 30)
    assert milestone.actual_date is None


def test_imported_projects_are_stored_with_the_health_their_dates_give(world):
    imported(
        world,
        [*LEDGER_HEADER, "计划开工时间", "计划竣工时间"],
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局", "2026年6月1日", "2027年6月1日"],
        [2, "2026-102", "新能源电池厂", "华材新材", 2000, "区审批局", "2026年9月30日", None],
    )

    late = Project.objects.get(code="2026-101")
    assert (late.health, late.assessment.days, late.health_milestone.kind.code) == (
        Health.DELAYED,
        9,  # 1 June to 10 June
        "groundbreaking",
    )
    assert late.next_milestone == late.health_milestone
    assert Project.objects.get(code="2026-102").health == Health.ON_TRACK
    assert derived.inconsistencies(world.today)[str(STORED_STATES[0])] == 0


def test_blank_rows_section_headings_and_total_rows_are_skipped(world):
    plan = imported(
        world,
        [],
        LEDGER_HEADER,
        ["一、新开工项目"],
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局"],
        [],
        [None, None, "（二）续建项目"],
        [2, "2026-102", "新能源电池厂", "华材新材", 2000, "区审批局"],
        ["合计", None, None, None, 3000, None],
    )

    assert [c.row for c in plan.changes] == [4, 7]


def test_a_row_that_matches_a_project_updates_only_what_changed(world):
    x = world.project_x
    before = ChangeLog.objects.count()
    plan = imported(
        world,
        [*LEDGER_HEADER, "年度计划投资", "挂钩领导", "计划开工时间"],
        # The leader's cell is blank: blank never clears what Diaodu has.
        [1, x.code, x.name, "绿源水务", "9亿元", "区资规局", 25000, None, "2026-07-01"],
    )

    [change] = plan.changes
    assert change.action == UPDATE
    assert change.fields == ["总投资（万元）", "年度计划投资（万元）"]
    x.refresh_from_db()
    assert x.total_investment == Decimal("90000.00")
    assert x.annual_plan == Decimal("25000.00")
    assert x.responsible_leader == world.leader
    assert ChangeLog.objects.count() == before + 1  # one update; the milestone was as planned


def test_a_changed_milestone_date_is_planned_through_the_service(world):
    x = world.project_x
    imported(
        world,
        [*LEDGER_HEADER, "计划开工时间", "实际开工时间"],
        [1, x.code, x.name, "绿源水务", 80000, "区资规局", "2026-08-01", "2026-06-01"],
    )

    milestone = x.milestones.get(kind=template_kind("开工"))
    assert milestone.planned_date == date(2026, 8, 1)
    # Confirming the date the owner reported clears the report, as plan_milestone does.
    assert milestone.actual_date == date(2026, 6, 1)
    assert milestone.reported_date is None


def test_importing_the_same_file_again_changes_nothing(world):
    rows = [
        [*LEDGER_HEADER, "计划开工时间", "用地面积（亩）"],
        [
            1,
            "2026-101",
            "智慧物流园",
            "新来的物流有限公司",
            "3.2亿元",
            "区资规局",
            "2026年9月",
            "120亩",
        ],
        [2, "2026-001", "水务产业园", "绿源水务", 80000, "区资规局", "2026-07-01", None],
    ]
    imported(world, *rows)
    projects, organisations, logs = (
        Project.objects.count(),
        Organisation.objects.count(),
        ChangeLog.objects.count(),
    )

    again = imported(world, *rows)

    assert [c.action for c in again.changes] == [UNCHANGED, UNCHANGED]
    assert again.new_enterprises == []
    assert Project.objects.count() == projects
    assert Organisation.objects.count() == organisations
    assert ChangeLog.objects.count() == logs


def test_an_unknown_owner_is_added_as_an_enterprise_and_logged(world):
    plan = imported(
        world, LEDGER_HEADER, [1, "2026-101", "智慧物流园", "新来的物流有限公司", 1000, "区资规局"]
    )

    assert plan.new_enterprises == ["新来的物流有限公司"]
    owner = Project.objects.get(code="2026-101").owner
    assert owner.name == "新来的物流有限公司"
    assert owner.kind == "enterprise"
    assert ChangeLog.objects.for_object(owner).get().action == ChangeAction.CREATE


def test_a_national_code_matches_the_project_when_the_row_has_no_number(world):
    x = world.project_x
    x.national_code = "2401-330106-04-01-123456"
    Project.objects.filter(pk=x.pk).update(national_code=x.national_code)

    plan = imported(
        world,
        ["项目代码", "项目名称", "业主单位", "总投资", "责任单位"],
        [x.national_code, "水务产业园（一期）", "绿源水务", 80000, "区资规局"],
    )

    assert [(c.action, c.key) for c in plan.changes] == [(UPDATE, "2026-001")]
    x.refresh_from_db()
    assert x.name == "水务产业园（一期）"
    assert x.code == "2026-001"


# --- errors ------------------------------------------------------------------------------


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(world):
    count = Project.objects.count()
    plan = preview(
        world,
        [*LEDGER_HEADER, "年度计划投资", "实际开工时间", "项目代码"],
        [1, "2026-101", "智慧物流园", "绿源水务", "很多", "区资规局", None, None, None],
        [2, "2026-102", "", "绿源水务", 1000, "区财政局", None, None, None],
        [3, "2026-103", "厂房", "绿源水务", 1000, "区资规局", 2000, "2026-07-01", None],
        [4, "2026-104", "厂房", "绿源水务", 1000, "区资规局", None, "下个月", "12345"],
        language="en",
    )

    assert not plan.ok
    assert errors(plan) == [
        (2, "E", "“很多” is not an amount. Write e.g. 5000, 12,000, 5000万元, 3.2亿元."),
        (3, "C", "This field cannot be blank."),
        (3, "F", "“区财政局” is not a department known to Diaodu."),
        (4, "G", "The annual plan cannot exceed the total investment."),
        (4, "H", "An actual date cannot be in the future."),
        (
            5,
            "H",
            "“下个月” is not a date. Write e.g. 2026-05-11, 2026/5/11, 2026.5.11, 2026年5月11日.",
        ),
        (
            5,
            "I",
            "Enter the project code as issued by the approval platform, e.g. "
            "2401-330106-04-01-123456.",
        ),
    ]
    assert plan.issues[0].header == "总投资（万元）"
    assert Project.objects.count() == count


def test_errors_are_in_the_reader_s_language(world):
    rows = (
        [*LEDGER_HEADER, "年度计划投资"],
        [1, "2026-101", "", "绿源水务", 1000, "区资规局", 2000],
    )

    chinese = preview(world, *rows, language="zh-hans")
    english = preview(world, *rows, language="en")

    assert [i.message for i in chinese.issues] == [
        "此字段不能为空。",
        "年度计划投资不能超过总投资。",
    ]
    assert [i.message for i in english.issues] == [
        "This field cannot be blank.",
        "The annual plan cannot exceed the total investment.",
    ]
    assert [(i.row, i.column, i.header) for i in chinese.issues] == [
        (2, "C", "项目名称"),
        (2, "G", "年度计划投资"),
    ]


def test_a_project_number_twice_in_the_file_is_an_error_on_both_rows(world):
    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局"],
        [2, "2026-102", "厂房", "绿源水务", 1000, "区资规局"],
        [3, "2026-101", "智慧物流园二期", "绿源水务", 1000, "区资规局"],
        language="en",
    )

    assert errors(plan) == [
        (2, "B", "The project 2026-101 appears more than once in the file (rows 2, 4)."),
        (4, "B", "The project 2026-101 appears more than once in the file (rows 2, 4)."),
    ]


def test_a_national_code_of_another_project_is_an_error(world):
    Project.objects.filter(pk=world.project_y.pk).update(national_code="2401-330106-04-01-123456")

    plan = preview(
        world,
        [*LEDGER_HEADER, "项目代码"],
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局", "2401-330106-04-01-123456"],
        language="en",
    )

    assert errors(plan) == [
        (2, "G", "The national project code 2401-330106-04-01-123456 belongs to another project.")
    ]


def test_a_name_two_organisations_share_is_ambiguous(world):
    DepartmentFactory(name="区资规局", short_name="资规")  # another's full name is A's short name

    plan = preview(
        world, LEDGER_HEADER, [1, "2026-101", "园", "绿源水务", 1, "区资规局"], language="en"
    )

    assert errors(plan) == [
        (
            2,
            "F",
            "“区资规局” matches more than one (区资规局、自然资源和规划局); write the full name.",
        )
    ]


def test_an_owner_must_be_an_enterprise(world):
    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-101", "园", "自然资源和规划局", 1, "区资规局"],
        language="en",
    )

    assert errors(plan) == [
        (2, "D", "“自然资源和规划局” is not an enterprise; the owner must be one.")
    ]
    assert plan.new_enterprises == []


def test_a_value_outside_the_choices_lists_them(world):
    plan = preview(
        world,
        [*LEDGER_HEADER, "建设阶段"],
        [1, "2026-101", "园", "绿源水务", 1, "区资规局", "规划中"],
        language="en",
    )

    [issue] = plan.issues
    assert issue.message.startswith("“规划中” is not one of: signed, preparation")


def test_an_industry_is_matched_by_its_chinese_or_english_name(world):
    industry = IndustryFactory(name="高端装备", name_en="High-end equipment")
    imported(
        world,
        [*LEDGER_HEADER, "产业类别"],
        [1, "2026-101", "园", "绿源水务", 1, "区资规局", "高端裝備"],
        [2, "2026-102", "厂", "绿源水务", 1, "区资规局", "high-end equipment"],
    )

    assert set(Project.objects.filter(industry=industry).values_list("code", flat=True)) == {
        "2026-101",
        "2026-102",
    }


def test_when_one_row_is_wrong_no_row_is_imported(world):
    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局"],
        [2, "2026-102", "厂房", "绿源水务", "很多", "区资规局"],
    )

    with translation.override("en"), pytest.raises(Exception, match="nothing was imported"):
        commit_import(plan, actor=world.coordinator)
    assert not Project.objects.filter(code="2026-101").exists()


def test_a_failure_half_way_through_the_commit_leaves_nothing_behind(world, monkeypatch):
    from diaodu.reports import services

    x = world.project_x
    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-101", "智慧物流园", "新来的物流有限公司", 1000, "区资规局"],
        [2, x.code, "水务产业园（改名）", "绿源水务", 80000, "区资规局"],
    )
    assert plan.ok

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    # Fails once the new project is in, when the changed one is saved.
    monkeypatch.setattr(services, "_save_changed", broken)
    with pytest.raises(RuntimeError):
        commit_import(plan, actor=world.coordinator)

    assert not Project.objects.filter(code="2026-101").exists()
    assert not Organisation.objects.filter(name="新来的物流有限公司").exists()
    x.refresh_from_db()
    assert x.name == "水务产业园"


def test_someone_creating_the_same_project_meanwhile_is_a_conflict_not_a_half_import(world):
    from diaodu.factories import ProjectFactory
    from diaodu.reports.services import ImportConflict

    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-100", "厂房", "绿源水务", 1000, "区资规局"],
        [2, "2026-101", "智慧物流园", "绿源水务", 1000, "区资规局"],
    )
    ProjectFactory(code="2026-101", owner=world.enterprise_x, lead_department=world.department_a)

    with pytest.raises(ImportConflict):
        commit_import(plan, actor=world.coordinator)

    assert not Project.objects.filter(code="2026-100").exists()


def test_an_enterprise_named_by_its_short_name_is_not_added_again(world):
    EnterpriseFactory(name="城东物流有限公司", short_name="城东物流")

    plan = preview(world, LEDGER_HEADER, [1, "2026-101", "园", "城東物流", 1, "区资规局"])

    assert plan.ok
    assert plan.new_enterprises == []


def test_departments_and_leaders_written_the_office_s_way_are_found(world):
    science = DepartmentFactory(name="科技和经济发展局", short_name="区科经局")
    secretary = LeaderFactory(display_name="王建国", title="党工委书记")
    header = [*LEDGER_HEADER, "挂钩领导"]

    plan = imported(
        world,
        header,
        [1, "2026-101", "智慧物流园", "绿源水务", 100, "资规局", "区党工委书记"],
        [2, "2026-102", "电池厂", "绿源水务", 200, "区项目协调办", "王建国"],
        [3, "2026-103", "光伏园", "绿源水务", 300, "區資規局、区科经局", "区黨工委書記"],
        [4, "2026-104", "数据中心", "绿源水务", 400, "区行政审批服务局", None],
        [5, "2026-105", "冷链基地", "绿源水务", 500, "区科经局", None],
    )

    assert [c.action for c in plan.changes] == [CREATE] * 5
    projects = {p.code: p for p in Project.objects.filter(code__startswith="2026-10")}
    assert projects["2026-101"].lead_department == world.department_a
    assert projects["2026-101"].responsible_leader == secretary
    assert projects["2026-102"].lead_department == world.office
    assert projects["2026-102"].responsible_leader == secretary
    assert projects["2026-103"].lead_department == world.department_a  # the first leads
    assert projects["2026-103"].responsible_leader == secretary
    assert projects["2026-104"].lead_department == world.department_b
    assert projects["2026-104"].responsible_leader is None
    assert projects["2026-105"].lead_department == science


def test_an_unknown_department_lists_the_nearest_names(world):
    plan = preview(
        world, LEDGER_HEADER, [1, "2026-101", "园", "绿源水务", 1, "区资源规划局"], language="en"
    )

    assert errors(plan) == [
        (
            2,
            "F",
            "“区资源规划局” is not a department known to Diaodu. Nearest: 自然资源和规划局.",
        )
    ]


@pytest.mark.parametrize(
    ("plan_header", "done_header"),
    [
        ("2026年计划（万元）", "截至5月底完成"),
        ("2026年度计划投资", "1-5月完成投资"),
        ("2026年度投资计划（万元）", "截至5月底累计完成投资"),
    ],
)
def test_headers_naming_the_year_or_the_month_are_this_year_s_columns(
    world, plan_header, done_header
):
    plan = imported(
        world,
        [*LEDGER_HEADER, plan_header, done_header],
        [1, "2026-101", "智慧物流园", "绿源水务", 3000, "区资规局", 1200, 300],
    )

    columns = {column.letter: column for column in plan.columns}
    assert (columns["G"].field, columns["G"].imported) == ("annual_plan", True)
    # Worked out from the progress reports, so shown as recognised but not imported.
    assert (columns["H"].field, columns["H"].imported) == ("year_to_date", False)
    assert Project.objects.get(code="2026-101").annual_plan == Decimal("1200.00")


def test_a_formula_without_a_computed_value_is_read_as_its_text(world):
    # openpyxl saves formulas without values, as programs that do not compute them do.
    plan = preview(
        world,
        LEDGER_HEADER,
        [1, "2026-101", '="智慧"&"物流园"', "绿源水务", "=1000*3", "区资规局"],
        language="en",
    )

    # The name is the formula's text, not blank; the amount is a formula, not a number.
    assert [(row, column) for row, column, _message in errors(plan)] == [(2, "E")]
    assert errors(plan)[0][2].startswith("“=1000*3” is not an amount.")


def test_milestone_dates_out_of_order_are_warnings_not_errors(world):
    plan = imported(
        world,
        [*LEDGER_HEADER, "计划施工许可时间", "计划开工时间", "计划竣工时间", "计划投产时间"],
        [1, "2026-101", "智慧物流园", "绿源水务", 100, "区资规局", "2026-05-01", "2026-04-01",
         "2026-12-01", "2026-11-01"],
    )  # fmt: skip

    assert [(w.row, w.column, w.message) for w in plan.warnings] == [
        (2, "H", "开工（2026-04-01）早于通常在其之前的施工许可（2026-05-01）。"),
        (2, "J", "投产（2026-11-01）早于通常在其之前的竣工（2026-12-01）。"),
    ]
    assert Project.objects.filter(code="2026-101").exists()


def test_a_ledger_of_names_only_matches_projects_by_name_and_creates_the_others(world):
    plan = preview(
        world,
        ["2026年重点项目推进表"],
        ["序号", "项目名称", "总投资（万元）", "责任单位", "业主单位"],
        [1, "水務產業園", 88000, "区资规局", None],  # project X, in Traditional
        [2, "新材料产业基地项目", None, None, None],  # project Y, with 项目
        [3, "智慧物流园", 3000, "区审批局", "绿源水务"],  # new
        [4, "冷链基地", None, "区审批局", None],  # new, but lacks what a project needs
        merges=["A1:E1"],
    )

    by_row = {change.row: change for change in plan.changes}
    assert by_row[3].action == UPDATE
    assert by_row[3].target == world.project_x
    assert by_row[3].values == {"total_investment": Decimal("88000.00")}
    assert by_row[4].action == UNCHANGED
    assert by_row[4].target == world.project_y
    assert by_row[5].action == CREATE
    assert by_row[5].key == "2026-003"  # the plan year's next free number
    assert [(row, column) for row, column, _m in errors(plan)] == [(6, "C"), (6, "E")]
    assert Project.objects.count() == 2  # nothing saved before confirming


def test_a_name_two_projects_share_is_ambiguous(world):
    ProjectFactory(name="水务产业园项目", code="2025-900")
    ProjectFactory(name="水務產業園項目", code="2025-901")

    plan = preview(world, ["序号", "项目名称"], [1, "水务产业园项目"], language="en")

    # The exact name wins over another's short form; two exact ones are ambiguous.
    assert errors(plan) == [
        (
            2,
            "B",
            "“水务产业园项目” matches more than one project (水务产业园项目、水務產業園項目): "
            "add a project number column to say which.",
        )
    ]


def test_names_only_rows_are_saved_when_confirmed(world):
    imported(
        world,
        ["序号", "项目名称", "总投资（万元）", "责任单位", "业主单位"],
        [1, "水務產業園", 88000, "区资规局", None],
        [2, "智慧物流园", 3000, "区审批局", "绿源水务"],
    )

    world.project_x.refresh_from_db()
    assert world.project_x.name == "水务产业园"  # matched by name, not renamed
    assert world.project_x.total_investment == Decimal("88000.00")
    created = Project.objects.get(name="智慧物流园")
    assert (created.code, created.owner, created.lead_department) == (
        "2026-003",
        world.enterprise_x,
        world.department_b,
    )
    assert created.total_investment == Decimal("3000.00")


def test_an_amount_too_large_to_hold_is_an_error_at_its_cell(world):
    plan = preview(world, LEDGER_HEADER, [1, "2026-101", "园", "绿源水务", 1e26, "区资规局"])

    assert [(row, column) for row, column, _message in errors(plan)] == [(2, "E")]
