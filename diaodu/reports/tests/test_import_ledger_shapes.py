"""Ledgers in the shapes offices keep them, imported and checked value by value: a merged
title over a two-row header, rows keyed by 序号 and the project's name only, headers that
name the year (2026年计划（万元）, 截至5月底完成), departments and leaders written the
office's way (资规局, 區審批局, 区党工委书记; two or three departments in one cell: the first
leads, the others cooperate), formula cells with and without a computed value, milestone
dates out of order.

Every value of every project is compared, not only the ones the shape is about: a column
read into the wrong field shows up here."""

import re
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import DepartmentFactory, LeaderFactory, template_kind
from diaodu.org.models import Organisation
from diaodu.projects.choices import Stage
from diaodu.projects.models import Project
from diaodu.reports.importing import CREATE, UNCHANGED, UPDATE, plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import xlsx

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")


def with_computed_values(content: bytes, values: dict[str, str]) -> bytes:
    """The workbook with the computed value a spreadsheet program stores beside each
    formula of ``values`` (cell → value): openpyxl writes formulas without one."""
    source = zipfile.ZipFile(BytesIO(content))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in values.items():
                    text, count = re.subn(
                        rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?',
                        rf"\1<f>\2</f><v>{value}</v>",
                        text,
                    )
                    assert count == 1, cell
                data = text.encode()
            target.writestr(item, data)
    return buffer.getvalue()


def planned(content: bytes, actor):
    with translation.override("zh-hans"):
        return plan_import("projects", content, actor=actor)


def facts(project: Project) -> dict:
    """Every value of a project an office ledger carries."""
    return {
        "code": project.code,
        "national_code": project.national_code,
        "name": project.name,
        "owner": project.owner.name,
        "industry": project.industry,
        "project_type": project.project_type,
        "township": project.township,
        "location": project.location,
        "total_investment": project.total_investment,
        "plan_year": project.plan_year,
        "annual_plan": project.annual_plan,
        "land_area": project.land_area,
        "construction_content": project.construction_content,
        "responsible_leader": project.responsible_leader,
        "lead_department": project.lead_department,
        "cooperating_departments": set(project.cooperating_departments.all()),
        "stage": project.stage,
    }


def dates(project: Project) -> dict[str, tuple]:
    """Each milestone with a date, by kind: (planned, actual)."""
    return {
        m.kind.name: (m.planned_date, m.actual_date)
        for m in project.milestones.select_related("kind")
        if m.planned_date or m.actual_date
    }


@pytest.fixture
def office_cast(world):
    """Who the office's ledgers name beside the shared cast: the science bureau (区科经局)
    and the zone's Party secretary (党工委书记), named by title only."""
    world.science = DepartmentFactory(name="科技和经济发展局", short_name="区科经局")
    world.secretary = LeaderFactory(display_name="王建国", title="党工委书记")
    return world


def office_ledger(*, computed_total: bool) -> bytes:
    """A merged title, a two-row header with groups, 序号 and names only, Traditional
    names, the year in the plan's header, formulas, a total row. ``computed_total``: the
    new owner's total has its computed value, as Excel saves it; else only its formula,
    as programs that do not compute formulas save it."""
    header = ["序号", "项目名称", "业主单位", "投资情况（万元）", None, None, "责任单位",
              "挂钩领导", "施工许可", None, "开工", None, "竣工时间"]  # fmt: skip
    below = [None, None, None, "总投资", "2026年计划（万元）", "截至5月底完成", None, None,
             "计划", "实际", "计划", "实际", None]  # fmt: skip
    # Project X, written in Traditional; its plan worked out by a formula.
    x = [1, "水務產業園", "綠源水務", 88000, "=88000/4", 3000, "區資規局", "李主任",
         None, None, None, None, None]  # fmt: skip
    # New: three departments in one cell, a leader by title, dates out of order.
    logistics = [2, "智慧物流园", "绿源水务", "3.2亿元", 8000, 1200,
                 "资规局、区科经局、區審批局", "区党工委书记", "2026.5", "2026年5月11日",
                 "2026-04-01", None, "2027年12月"]  # fmt: skip
    # New: an owner Diaodu does not know yet, a total summed by a formula, the office by
    # its short name without 区, a leader by name.
    cold_chain = [3, "冷链物流基地", "城东冷链物流有限公司", "=2000+3000", None, None,
                  "项目协调办", "王建国", None, None, "2026年9月30日", None, None]  # fmt: skip
    total = ["合计", None, None, "=SUM(D4:D6)"]
    merges = ["A1:M1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3", "H2:H3", "I2:J2", "K2:L2",
              "M2:M3"]  # fmt: skip
    content = xlsx(["2026年重点项目调度台账"], header, below, x, logistics, cold_chain, total,
                   merges=merges)  # fmt: skip
    computed = {"E4": "22000", "D7": "96000"}
    return with_computed_values(content, computed | ({"D6": "5000"} if computed_total else {}))


def test_an_office_ledger_is_read_column_by_column(office_cast):
    plan = planned(office_ledger(computed_total=True), office_cast.coordinator)

    assert plan.header_rows == [2, 3]
    assert [(c.letter, c.field, c.imported) for c in plan.columns] == [
        ("A", "index", False),
        ("B", "name", True),
        ("C", "owner", True),
        ("D", "total_investment", True),
        ("E", "annual_plan", True),
        ("F", "year_to_date", False),  # worked out from the progress reports
        ("G", "lead_department", True),
        ("H", "responsible_leader", True),
        ("I", f"milestone:{template_kind('construction_permit').pk}:planned", True),
        ("J", f"milestone:{template_kind('construction_permit').pk}:actual", True),
        ("K", f"milestone:{template_kind('开工').pk}:planned", True),
        ("L", f"milestone:{template_kind('开工').pk}:actual", True),
        ("M", f"milestone:{template_kind('竣工').pk}:planned", True),
    ]


def test_a_formula_without_its_computed_value_is_an_error_at_its_cell(office_cast):
    w = office_cast
    plan = planned(office_ledger(computed_total=False), w.coordinator)

    # The new owner's total is its formula's text, which is no amount: an error at its cell,
    # never a blank.
    assert [(i.row, i.column) for i in plan.issues] == [(6, "D")]
    assert plan.issues[0].message.startswith("“=2000+3000”")
    assert [(c.row, c.action) for c in plan.changes] == [(4, UPDATE), (5, CREATE)]
    assert [(w_.row, w_.column) for w_ in plan.warnings] == [(5, "K")]  # 开工 before 施工许可


def test_an_office_ledger_without_errors_stores_every_value(office_cast):
    w = office_cast
    plan = planned(office_ledger(computed_total=True), w.coordinator)
    assert plan.ok, plan.issues

    commit_import(plan, actor=w.coordinator)

    assert [(c.row, c.action) for c in plan.changes] == [(4, UPDATE), (5, CREATE), (6, CREATE)]
    x = Project.objects.get(pk=w.project_x.pk)
    assert facts(x) == {
        **facts(w.project_x),  # as it was, but for the plan the formula computed
        "annual_plan": Decimal("22000.00"),
        "total_investment": Decimal("88000.00"),
    }
    assert dates(x) == dates(w.project_x)
    logistics = Project.objects.get(name="智慧物流园")
    assert facts(logistics) == {
        "code": "2026-003",  # the plan year's next free number
        "national_code": None,
        "name": "智慧物流园",
        "owner": "绿源水务科技有限公司",
        "industry": None,
        "project_type": Project._meta.get_field("project_type").default,
        "township": None,
        "location": "",
        "total_investment": Decimal("32000.00"),
        "plan_year": 2026,
        "annual_plan": Decimal("8000.00"),
        "land_area": None,
        "construction_content": "",
        "responsible_leader": w.secretary,
        "lead_department": w.department_a,  # the first of the cell leads
        "cooperating_departments": {w.science, w.department_b},
        "stage": Stage.SIGNED,
    }
    created = ChangeLog.objects.get(
        object_type__model="project", object_id=logistics.pk, action=ChangeAction.CREATE
    )
    assert created.after["cooperating_departments"] == ["区审批局", "区科经局"]
    assert dates(logistics) == {
        "施工许可": (date(2026, 5, 31), date(2026, 5, 11)),
        "开工": (date(2026, 4, 1), None),
        "竣工": (date(2027, 12, 31), None),
    }
    cold_chain = Project.objects.get(name="冷链物流基地")
    assert facts(cold_chain) == {
        **facts(logistics),
        "code": "2026-004",
        "name": "冷链物流基地",
        "owner": "城东冷链物流有限公司",  # added as an enterprise
        "total_investment": Decimal("5000.00"),
        "annual_plan": Decimal("0.00"),  # the model's default
        "responsible_leader": w.secretary,
        "lead_department": w.office,
        "cooperating_departments": set(),
    }
    assert dates(cold_chain) == {"开工": (date(2026, 9, 30), None)}
    assert Organisation.objects.enterprises().filter(name="城东冷链物流有限公司").exists()
    assert Project.objects.count() == 4  # the total row is no project


def test_cooperating_departments_come_from_their_own_column_and_the_lead_s_cell(office_cast):
    w = office_cast
    plan = planned(
        xlsx(
            ["序号", "项目编号", "项目名称", "业主单位", "总投资（万元）", "牵头单位", "配合单位"],
            [1, "2026-101", "智慧物流园", "绿源水务", 100, "区资规局、区科经局", "区审批局"],
            [2, "2026-102", "电池厂", "绿源水务", 100, "区审批局", "區資規局，行政审批服务局"],
            [3, "2026-001", "水务产业园", "绿源水务", 80000, "区资规局", "区科经局"],
        ),
        w.coordinator,
    )
    assert plan.ok, plan.issues

    commit_import(plan, actor=w.coordinator)

    cooperating = {
        p.code: set(p.cooperating_departments.all())
        for p in Project.objects.prefetch_related("cooperating_departments")
    }
    assert cooperating == {
        "2026-001": {w.science},  # an existing project gains one
        "2026-002": set(),
        "2026-101": {w.science, w.department_b},
        "2026-102": {w.department_a},  # the lead is not its own cooperating department
    }
    assert [c.fields for c in plan.changes if c.action == UPDATE] == [["配合单位"]]


def test_a_project_s_cooperating_departments_are_changed_by_a_later_ledger(office_cast):
    w = office_cast
    w.project_x.cooperating_departments.set([w.science])

    def ledger(departments):
        return xlsx(
            ["序号", "项目名称", "业主单位", "总投资（万元）", "责任单位"],
            [1, "水务产业园", "绿源水务", 80000, departments],
        )

    unchanged = planned(ledger("区资规局、科经局"), w.coordinator)
    changed = planned(ledger("区资规局、区审批局"), w.coordinator)
    commit_import(changed, actor=w.coordinator)

    assert [c.action for c in unchanged.changes] == [UNCHANGED]
    assert [(c.action, c.fields) for c in changed.changes] == [(UPDATE, ["配合单位"])]
    assert set(w.project_x.cooperating_departments.all()) == {w.department_b}
