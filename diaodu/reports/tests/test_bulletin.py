"""The monthly dispatch bulletin (调度通报) as a Word document."""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.factories import ProblemFactory, template_kind
from diaodu.projects import services
from diaodu.reports.tests.helpers import content_of, docx_text
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

URL = "/reports/bulletin/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def may(world):
    """In May: project X signed (a highlight) and its May report approved; project Y's
    approval was due on 20 May and is still not granted (lagging); a problem of
    department A on project X was due on 15 May and is still open."""
    signing = world.project_x.milestones.get(kind=template_kind("signing"))
    services.plan_milestone(
        signing,
        {"planned_date": date(2026, 5, 10), "actual_date": date(2026, 5, 12)},
        actor=world.coordinator,
    )
    services.review_report(world.report_x, approve=True, actor=world.coordinator)
    approval = world.project_y.milestones.get(kind=template_kind("project_approval"))
    services.plan_milestone(approval, {"planned_date": date(2026, 5, 20)}, actor=world.coordinator)
    ProblemFactory(
        project=world.project_x,
        title="用地指标不足",
        lead_department=world.department_a,
        raised_on=date(2026, 5, 1),
        due_date=date(2026, 5, 15),
    )


def bulletin(user, query="?month=2026-05", language="en") -> str:
    response = client_for(user, language).get(URL + query)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return docx_text(content_of(response))


def test_the_url_name_is_reports_bulletin():
    assert reverse("reports:bulletin") == URL


def test_the_bulletin_reports_progress_highlights_laggards_and_overdue_problems(world, may):
    text = bulletin(world.coordinator)

    assert "Key project dispatch bulletin" in text
    assert "as of" in text
    assert "2 key projects: preparation 1；under construction 1." in text
    # Plan 2 × 20,000; May's approved report of 1,200: 3.0 %.
    assert "plan 40,000.00" in text
    assert "1,200.00, 3.0% of the plan; 1,200.00 in the month" in text
    assert "水务产业园 | Signing" in text  # achieved in May
    assert "新材料产业基地 | 区审批局 | Project approval" in text
    assert "11 days overdue" in text  # 20 May to 31 May
    assert "区资规局: 1 overdue" in text
    assert "用地指标不足 | 水务产业园" in text
    assert "| 16" in text  # 15 May to 31 May


def test_a_month_with_nothing_to_report_says_so(world):
    text = bulletin(world.coordinator, "?month=2026-01")

    assert "No milestone was achieved in the month." in text
    assert "No project is behind its time nodes." in text
    assert "No problem is overdue." in text


def test_an_owner_s_bulletin_covers_only_their_projects(world, may):
    text = bulletin(world.owner_y)

    assert "1 key project" in text
    assert "水务产业园" not in text
    assert "用地指标不足" not in text
    assert "新材料产业基地" in text


def test_the_project_list_filters_apply(world, may):
    text = bulletin(world.coordinator, "?month=2026-05&stage=preparation")

    assert "1 key project: preparation 1." in text
    assert "新材料产业基地" not in text


def test_the_document_is_set_in_chinese_official_fonts(world):
    from io import BytesIO
    from urllib.parse import unquote

    from docx import Document
    from docx.oxml.ns import qn

    response = client_for(world.coordinator).get(URL + "?month=2026-05")
    document = Document(BytesIO(content_of(response)))
    mark, title = document.paragraphs[0].runs[0], document.paragraphs[2].runs[0]

    assert mark.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert unquote(response["Content-Disposition"]).endswith('2026-05.docx"') or unquote(
        response["Content-Disposition"]
    ).endswith("2026-05.docx")


def test_without_a_month_the_page_asks_for_one_defaulting_to_last_month(world):
    response = client_for(world.coordinator).get(URL + "?stage=construction")

    assert response.status_code == 200
    assert response.context["form"]["month"].value() == "2026-05"
    assert ("stage", "construction") in response.context["filters"]


@pytest.mark.parametrize("month", ["2026-13", "soon", "2026-07"])
def test_an_impossible_or_future_month_is_refused(world, month):
    response = client_for(world.coordinator, "en").get(f"{URL}?month={month}")

    assert response.status_code == 200
    assert response.context["form"].errors["month"]


def test_the_bulletin_carries_the_letterhead_its_issue_and_the_distribution(world):
    from io import BytesIO

    from docx import Document
    from docx.oxml.ns import qn

    from diaodu.core.models import DocumentSettings

    DocumentSettings.objects.create(
        issuing_body="滨江新区重点项目协调办公室", distribution="各成员单位"
    )

    response = client_for(world.coordinator).get(URL + "?month=2026-05")
    document = Document(BytesIO(content_of(response)))
    lines = [p.text for p in document.paragraphs if p.text]

    assert lines[:2] == ["滨江新区重点项目协调办公室", "第5期"]
    assert lines[-2:] == ["分送：各成员单位", "滨江新区重点项目协调办公室\t2026年5月31日印发"]
    footer = document.sections[0].footer
    assert [n.text.strip() for n in footer._element.iter(qn("w:instrText"))] == ["PAGE"]
