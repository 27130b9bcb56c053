"""The problem ledger (问题台账): one row per problem the user may see, as the
supervision list filters them, each with its traffic light in words and colour."""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.factories import DepartmentFactory, ProblemFactory
from diaodu.problems import services
from diaodu.problems.choices import Category, Level, Light, ProblemStatus
from diaodu.reports.tests.helpers import add_projects, content_of, merged, opened, sheet_rows
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

URL = "/reports/problem-ledger/"
FIRST_ROW = 4  # title, generated-at line, one header row
TITLE, LIGHT, DAYS, CAUSE, RESOLUTION = 3, 11, 12, 13, 14


@pytest.fixture
def problems(world):
    """An overdue problem on project X (with a cooperating department and a root cause),
    one due in two days on project Y, and a resolved one on project Y."""
    extra = DepartmentFactory(name="住房和城乡建设局", short_name="区住建局")
    overdue = services.raise_problem(
        world.project_x,
        {
            "title": "用地指标不足",
            "description": "二期用地缺少建设用地指标。",
            "category": Category.LAND,
            "level": Level.CITY,
            "lead_department": world.department_a,
            "cooperating_departments": [extra],
            "raised_on": date(2026, 5, 1),
            "due_date": date(2026, 6, 1),
            "root_cause": "=控规未调整",
        },
        actor=world.coordinator,
    )
    soon = ProblemFactory(
        project=world.project_y,
        title="环评批复滞后",
        category=Category.APPROVAL,
        lead_department=world.department_b,
        raised_on=date(2026, 6, 1),
        due_date=date(2026, 6, 12),
    )
    done = ProblemFactory(
        project=world.project_y,
        title="临时用电接入",
        category=Category.UTILITIES,
        lead_department=world.department_b,
        status=ProblemStatus.RESOLVED,
        resolution="已接入临时用电。",
        due_date=date(2026, 6, 20),
    )
    return overdue, soon, done


def download(user, query="", language=None):
    response = client_for(user, language).get(URL + query)
    assert response.status_code == 200
    return opened(content_of(response))


def titles(sheet) -> list[str]:
    return [row[TITLE] for row in sheet_rows(sheet, FIRST_ROW)]


def test_the_url_name_is_what_the_supervision_page_links_to():
    assert reverse("reports:problem_ledger") == URL


def test_the_ledger_has_a_title_headers_and_frozen_panes(world, problems):
    sheet = download(world.coordinator, language="en")

    assert sheet["A1"].value == "Problem ledger"
    assert "3 problems" in sheet["A2"].value
    assert {"A1:O1", "A2:O2"} <= merged(sheet)
    assert sheet.freeze_panes == "E4"
    assert [c.value for c in sheet[3]] == [
        "No.",
        "Project number",
        "Project",
        "Problem",
        "Category",
        "Lead department",
        "Cooperating departments",
        "Escalation level",
        "Raised on",
        "Due date",
        "Status",
        "Light",
        "Days overdue",
        "Root cause",
        "Resolution",
    ]


def test_each_problem_has_one_row_overdue_first(world, problems):
    sheet = download(world.coordinator, language="en")
    rows = sheet_rows(sheet, FIRST_ROW)

    assert titles(sheet) == ["用地指标不足", "环评批复滞后", "临时用电接入"]
    overdue = rows[0]
    assert overdue[:8] == [
        1,
        "2026-001",
        "水务产业园",
        "用地指标不足",
        "land and space",
        "区资规局",
        "区住建局",
        "city",
    ]
    assert overdue[8].date() == date(2026, 5, 1)
    assert overdue[9].date() == date(2026, 6, 1)
    assert overdue[10:13] == ["open", "red", 9]
    assert overdue[CAUSE] == "'=控规未调整"  # neutralised: it would run as a formula
    assert rows[1][LIGHT] == "yellow"
    assert rows[1][DAYS] is None
    assert rows[2][LIGHT] == "awaiting closing"  # resolved, not yet closed by the office
    assert rows[2][RESOLUTION] == "已接入临时用电。"


def test_lights_are_in_words_and_in_colour(world, problems):
    sheet = download(world.coordinator)

    red, yellow, awaiting = (sheet.cell(FIRST_ROW + i, LIGHT + 1) for i in range(3))
    assert red.value == str(Light.RED.label)
    assert red.fill.fgColor.rgb.endswith("FFC7CE")
    assert yellow.fill.fgColor.rgb.endswith("FFEB9C")
    assert awaiting.fill.fgColor.rgb.endswith("EDEDED")
    assert sheet.cell(FIRST_ROW, 9).number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", ["用地指标不足", "环评批复滞后", "临时用电接入"]),
        ("leader", ["用地指标不足", "环评批复滞后", "临时用电接入"]),
        ("staff_a", ["用地指标不足"]),
        ("staff_b", ["环评批复滞后", "临时用电接入"]),
        ("owner_x", ["用地指标不足"]),
        ("owner_y", ["环评批复滞后", "临时用电接入"]),
    ],
)
def test_each_person_gets_only_the_problems_they_may_see(world, problems, role, expected):
    assert titles(download(getattr(world, role))) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?open=true", ["用地指标不足", "环评批复滞后"]),
        ("?overdue=true", ["用地指标不足"]),
        ("?light=yellow", ["环评批复滞后"]),
        ("?department={department_b}", ["环评批复滞后", "临时用电接入"]),
        ("?q=环评", ["环评批复滞后"]),
        ("?category=land", ["用地指标不足"]),
        ("?project={project_y}&open=true", ["环评批复滞后"]),
    ],
)
def test_the_supervision_filters_apply(world, problems, query, expected):
    query = query.format(department_b=world.department_b.pk, project_y=world.project_y.pk)

    assert titles(download(world.coordinator, query)) == expected


def test_a_project_filter_for_a_project_one_may_not_see_gives_nothing_away(world, problems):
    sheet = download(world.owner_x, f"?project={world.project_y.pk}")

    # As on the list: the unknown choice is ignored, and only one's own problems remain.
    assert titles(sheet) == ["用地指标不足"]


# Session and user; the count that decides whether it runs in the background, the
# problems, their cooperating departments.
QUERIES = 2 + 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_export_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    add_projects(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(QUERIES):
        response = browser.get(URL)

    assert len(sheet_rows(opened(content_of(response)), FIRST_ROW)) == size
