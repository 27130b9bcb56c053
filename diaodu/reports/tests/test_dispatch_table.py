"""The dispatch table (调度表): one row per project the user may see, as the project list
filters them, laid out as offices print it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from diaodu.factories import DepartmentFactory, ProjectFactory, template_kind
from diaodu.problems import services as problem_services
from diaodu.problems.choices import Category
from diaodu.projects import services
from diaodu.projects.choices import Health, Stage
from diaodu.reports.tests.helpers import add_projects, content_of, merged, opened, sheet_rows
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

URL = "/reports/dispatch-table/"
FIRST_ROW = 5  # title, generated-at line, two header rows
COLUMNS = {
    "index": 0,
    "code": 1,
    "name": 2,
    "owner": 3,
    "industry": 4,
    "stage": 5,
    "health": 6,
    "reason": 7,
    "total": 8,
    "plan": 9,
    "done": 10,
    "rate": 11,
    "next": 12,
    "next_date": 13,
    "problems": 14,
    "leader": 15,
    "department": 16,
    "cooperating": 17,
}


def download(user, query="", language=None):
    response = client_for(user, language).get(URL + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return opened(content_of(response))


def projects_in(sheet) -> list[str]:
    return [row[COLUMNS["code"]] for row in sheet_rows(sheet, FIRST_ROW)]


def row_of(sheet, code):
    return next(row for row in sheet_rows(sheet, FIRST_ROW) if row[COLUMNS["code"]] == code)


def test_the_url_name_is_what_the_list_pages_link_to():
    assert reverse("reports:dispatch_table") == URL


def test_the_table_has_a_title_a_generated_line_grouped_headers_and_frozen_panes(world):
    sheet = download(world.coordinator, language="en")

    assert sheet["A1"].value == "2026 key projects dispatch table"
    assert sheet["A2"].value.startswith("Generated ")
    assert world.coordinator.display_name in sheet["A2"].value
    assert {"A1:R1", "A2:R2", "J3:L3", "M3:N3", "A3:A4", "C3:C4"} <= merged(sheet)
    assert sheet.freeze_panes == "D5"
    assert [c.value for c in sheet[3]][:3] == ["No.", "Project number", "Project"]
    assert sheet["J3"].value == "Investment (10k yuan)"
    assert sheet["M3"].value == "Next milestone"
    assert [c.value for c in sheet[4]][9:14] == [
        "Annual plan",
        "Completed this year",
        "Completion rate",
        "Milestone",
        "Planned date",
    ]
    assert sheet.column_dimensions["C"].width >= 16  # 新材料产业基地: 7 wide characters


def test_the_table_is_in_the_language_of_the_person_who_asks(world):
    sheet = download(world.coordinator)  # Simplified Chinese, the site's language

    assert sheet["B3"].value == "项目编号"
    assert row_of(sheet, "2026-002")[COLUMNS["stage"]] == "在建"


def test_each_project_has_one_row_with_its_figures(world):
    x = world.project_x
    services.review_report(world.report_x, approve=True, actor=world.coordinator)
    problem_services.raise_problem(
        x,
        {
            "title": "用地指标不足",
            "description": "二期用地缺少指标。",
            "category": Category.LAND,
            "lead_department": world.department_a,
            "due_date": date(2026, 6, 30),
        },
        actor=world.owner_x,
    )
    approval = x.milestones.get(kind=template_kind("project_approval"))
    services.plan_milestone(approval, {"planned_date": date(2026, 6, 1)}, actor=world.coordinator)

    sheet = download(world.coordinator)

    assert projects_in(sheet) == ["2026-001", "2026-002"]
    row = row_of(sheet, "2026-001")
    assert row[COLUMNS["index"]] == 1
    assert row[COLUMNS["name"]] == "水务产业园"
    assert row[COLUMNS["owner"]] == "绿源水务科技有限公司"
    assert row[COLUMNS["stage"]] == str(Stage.PREPARATION.label)
    assert row[COLUMNS["health"]] == str(Health.DELAYED.label)
    assert "立项" in row[COLUMNS["reason"]]
    assert "9" in row[COLUMNS["reason"]]
    assert row[COLUMNS["total"]] == 80000
    assert row[COLUMNS["plan"]] == 20000
    assert row[COLUMNS["done"]] == 1200  # May's approved report
    assert row[COLUMNS["rate"]] == pytest.approx(0.06)
    assert row[COLUMNS["next"]] == "立项"  # the earliest open milestone, overdue or not
    assert row[COLUMNS["next_date"]].date() == date(2026, 6, 1)
    assert row[COLUMNS["problems"]] == 1
    assert row[COLUMNS["leader"]] == "李主任"
    assert row[COLUMNS["department"]] == "区资规局"
    assert row[COLUMNS["cooperating"]] is None


def test_a_project_s_cooperating_departments_follow_its_lead_department(world):
    science = DepartmentFactory(name="科技和经济发展局", short_name="区科经局")
    world.project_x.cooperating_departments.set([world.department_b, science])

    sheet = download(world.coordinator)

    assert sheet.cell(3, COLUMNS["cooperating"] + 1).value == "配合单位"
    # In the organisations' own order, as every list of them.
    assert row_of(sheet, "2026-001")[COLUMNS["cooperating"]] == "区科经局、区审批局"
    assert row_of(sheet, "2026-002")[COLUMNS["cooperating"]] is None


def test_health_is_coloured_like_a_traffic_light(world):
    approval = world.project_x.milestones.get(kind=template_kind("project_approval"))
    services.plan_milestone(approval, {"planned_date": date(2026, 6, 1)}, actor=world.coordinator)

    sheet = download(world.coordinator)

    delayed, on_track = sheet.cell(FIRST_ROW, 7), sheet.cell(FIRST_ROW + 1, 7)
    assert delayed.fill.fgColor.rgb.endswith("FFC7CE")
    assert on_track.fill.fgColor.rgb.endswith("C6EFCE")


def test_amounts_and_rates_carry_number_formats(world):
    sheet = download(world.coordinator)

    assert sheet.cell(FIRST_ROW, 9).number_format == "#,##0.00"
    assert sheet.cell(FIRST_ROW, 10).number_format == "#,##0.00"
    assert sheet.cell(FIRST_ROW, 11).number_format == "#,##0.00"
    assert sheet.cell(FIRST_ROW, 12).number_format == "0.0%"
    assert sheet.cell(FIRST_ROW, 14).number_format == 'yyyy"年"m"月"d"日"'


def test_a_name_that_looks_like_a_formula_is_written_as_text(world):
    ProjectFactory(
        code="2026-050",
        name='=HYPERLINK("http://evil.example","点击查看")',
        owner=world.enterprise_x,
        lead_department=world.department_a,
    )

    sheet = download(world.coordinator)

    cell = sheet.cell(FIRST_ROW + 2, 3)  # after 2026-001 and 2026-002
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example","点击查看")'


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("admin", ["2026-001", "2026-002"]),
        ("leader", ["2026-001", "2026-002"]),
        ("staff_a", ["2026-001"]),
        ("staff_b", ["2026-002"]),
        ("owner_x", ["2026-001"]),
        ("owner_y", ["2026-002"]),
    ],
)
def test_each_person_gets_only_the_projects_they_may_see(world, role, codes):
    assert projects_in(download(getattr(world, role))) == codes


def test_an_organisation_without_projects_gets_an_empty_table(world):
    from diaodu.factories import DepartmentStaffFactory

    sheet = download(DepartmentStaffFactory())

    assert projects_in(sheet) == []
    with translation.override(settings.LANGUAGE_CODE):
        assert sheet["A3"].value == gettext("No.")


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?stage=construction", ["2026-002"]),
        ("?q=水務", ["2026-001"]),  # Traditional finds Simplified, as the list does
        ("?q=swcyy", ["2026-001"]),
        ("?lead_department={department_b}", ["2026-002"]),
        ("?health=delayed", ["2026-001"]),
        ("?ordering=-code", ["2026-002", "2026-001"]),
        ("?stage=nonsense", ["2026-001", "2026-002"]),  # ignored, as the list ignores it
    ],
)
def test_the_list_filters_apply(world, query, codes):
    approval = world.project_x.milestones.get(kind=template_kind("project_approval"))
    services.plan_milestone(approval, {"planned_date": date(2026, 6, 1)}, actor=world.coordinator)

    sheet = download(world.coordinator, query.format(department_b=world.department_b.pk))

    assert projects_in(sheet) == codes


def test_filters_never_widen_what_a_person_may_see(world):
    sheet = download(world.owner_x, f"?lead_department={world.department_b.pk}")

    assert projects_in(sheet) == []


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# Session and user (2), the count that decides whether it runs in the background, the
# projects with what is stored on them, and their cooperating departments, the milestone
# kinds, and year-to-date investment.
QUERIES = 2 + 5


@pytest.mark.parametrize("size", [3, 30])
def test_the_export_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    add_projects(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(QUERIES):
        response = browser.get(URL)

    sheet = opened(content_of(response))
    assert len(projects_in(sheet)) == size + 2
    assert all(row[COLUMNS["problems"]] == 1 for row in sheet_rows(sheet, FIRST_ROW)[2:])


@pytest.mark.parametrize("size", [3, 30])
def test_a_filtered_export_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_projects(world, size)
    browser = client_for(world.owner_x)

    # The filter's department, checked by the count and by the export.
    with django_assert_max_num_queries(QUERIES + 2):
        response = browser.get(f"{URL}?health=delayed&lead_department={world.department_a.pk}")

    assert len(projects_in(opened(content_of(response)))) == size // 2


def test_the_year_in_the_title_is_the_projects_plan_year(world):
    ProjectFactory(owner=world.enterprise_x, lead_department=world.department_a, plan_year=2027)

    assert download(world.owner_y)["A1"].value.startswith("2026")
    # Mixed plan years: the current year.
    assert download(world.owner_x)["A1"].value.startswith(str(world.today.year))


def test_investment_is_money_to_the_cent(world):
    ProjectFactory(
        code="2026-060",
        owner=world.enterprise_x,
        lead_department=world.department_a,
        total_investment=Decimal("12345.67"),
        annual_plan=Decimal("0"),
    )

    row = row_of(download(world.coordinator), "2026-060")

    assert row[COLUMNS["total"]] == pytest.approx(12345.67)
    assert row[COLUMNS["rate"]] is None  # no plan, no rate
    assert row[COLUMNS["next"]] is None
    assert world.today - timedelta(days=1) < world.today  # the clock is fixed
