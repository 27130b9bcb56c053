"""The monthly dispatch bulletin (调度通报) as a Word document."""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.factories import ProblemFactory, template_kind
from diaodu.projects import services
from diaodu.reports.tests.helpers import content_of, docx_text
from diaodu.test import client_for, needs_libreoffice, printed_pages

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

    assert lines[:2] == ["滨江新区重点项目协调办公室", "第\u3000\u3000期"]  # a draft
    assert lines[-2:] == ["分送：各成员单位", "滨江新区重点项目协调办公室\t2026年5月31日印发"]
    footer = document.sections[0].footer
    assert [n.text.strip() for n in footer._element.iter(qn("w:instrText"))] == ["PAGE"]


# --- Issuing --------------------------------------------------------------------------------

ISSUE_URL = URL + "issue/"


def _lines(content: bytes) -> list[str]:
    from io import BytesIO

    from docx import Document

    return [p.text for p in Document(BytesIO(content)).paragraphs if p.text]


def test_issuing_numbers_the_bulletins_in_the_year_s_sequence_and_keeps_them(world, may):
    from diaodu.core.models import DocumentSettings
    from diaodu.reports.models import Bulletin

    DocumentSettings.objects.create(issuing_body="滨江新区重点项目协调办公室")
    office = client_for(world.coordinator, "en")  # issued in the site's language all the same

    office.post(ISSUE_URL, {"month": "2026-04"})
    office.post(ISSUE_URL, {"month": "2026-05"})
    again = office.post(ISSUE_URL, {"month": "2026-05"}, follow=True)
    office.post(ISSUE_URL, {"month": "2026-03"})

    assert "already been issued" in again.content.decode()
    issued = {b.month.month: (b.year, b.number) for b in Bulletin.objects.all()}
    # The refused second May gave its number back: March is the third.
    assert issued == {4: (2026, 1), 5: (2026, 2), 3: (2026, 3)}
    may_issue = Bulletin.objects.get(month=date(2026, 5, 1))
    lines = _lines(content_of(client_for(world.leader).get(f"{URL}{may_issue.pk}/")))
    assert lines[:3] == ["滨江新区重点项目协调办公室", "第2期", "重点项目调度通报"]
    assert "用地指标不足" in docx_text(may_issue.document.read())
    assert lines[-1] == "滨江新区重点项目协调办公室\t2026年6月10日印发"  # the day of issue

    page = client_for(world.leader, "zh-hans").get(URL).content.decode()
    assert page.count(f"{URL}{may_issue.pk}/") == 1
    assert "2026 第2期" in page
    assert "2026 第1期" in page
    assert "2026 Issue 2" in client_for(world.leader, "en").get(URL).content.decode()


def test_only_the_office_issues_and_only_those_who_see_every_project_read_the_issued(world):
    from diaodu.reports.models import Bulletin

    client_for(world.coordinator).post(ISSUE_URL, {"month": "2026-05"})
    issued = Bulletin.objects.get()
    for user in (world.leader, world.staff_a, world.owner_x):
        assert client_for(user).post(ISSUE_URL, {"month": "2026-04"}).status_code == 403
    assert Bulletin.objects.count() == 1
    for user, readable in ((world.leader, True), (world.staff_a, False), (world.owner_x, False)):
        client = client_for(user)
        assert client.get(f"{URL}{issued.pk}/").status_code == (200 if readable else 404)
        assert (f"{URL}{issued.pk}/" in client.get(URL).content.decode()) is readable
    assert "reports/bulletin/issue/" not in client_for(world.leader).get(URL).content.decode()


def test_the_api_issues_lists_and_serves_the_bulletins(world):
    from diaodu.test import api_for

    office = api_for(world.coordinator, "en")
    created = office.post("/api/reports/bulletins/", {"month": "2026-05"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["month"], body["year"], body["number"], body["reference"]) == (
        "2026-05",
        2026,
        1,
        "Issue 1",
    )
    repeated = office.post("/api/reports/bulletins/", {"month": "2026-05"})
    assert repeated.status_code == 400
    assert "already been issued" in str(repeated.json()["month"])
    assert (
        api_for(world.leader).post("/api/reports/bulletins/", {"month": "2026-04"}).status_code
        == 403
    )

    [listed] = api_for(world.leader, "zh-hant").get("/api/reports/bulletins/").json()
    assert listed["reference"] == "第1期"
    document = api_for(world.leader).get(listed["document"])
    assert _lines(content_of(document))[1] == "第1期"
    assert api_for(world.owner_x).get("/api/reports/bulletins/").json() == []
    assert api_for(world.owner_x).get(listed["document"]).status_code == 404


@needs_libreoffice
def test_the_issued_bulletin_prints_with_every_element_and_numbered_pages(world, may, tmp_path):
    from diaodu.core.models import DocumentSettings
    from diaodu.reports.models import Bulletin

    DocumentSettings.objects.create(
        issuing_body="滨江新区重点项目协调办公室", distribution="各成员单位", copy_to="区委办"
    )
    client_for(world.coordinator).post(ISSUE_URL, {"month": "2026-05"})

    pages = printed_pages(Bulletin.objects.get().document.read(), tmp_path)

    text = ["".join(page.split()) for page in pages]  # pdftotext spaces "2026 年"
    assert text[0].startswith("滨江新区重点项目协调办公室第1期重点项目调度通报")
    assert "一、总体进展" in text[0]
    assert "用地指标不足水务产业园2026年5月15日" in "".join(text)  # an overdue problem's row
    assert "分送：各成员单位抄送：区委办滨江新区重点项目协调办公室2026年6月10日印发" in text[-1]
    for number, page in enumerate(pages, start=1):
        foot = [line for line in page.splitlines() if line.strip()][-1]
        assert "".join(foot.split()) == f"—{number}—"


def test_the_bulletin_page_lists_the_issued_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diaodu.reports.models import Bulletin

    leader = client_for(world.leader)
    leader.get(URL)  # the session and the day's first request are settled
    with CaptureQueriesContext(connection) as none_issued:
        leader.get(URL)
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        client_for(world.coordinator).post(ISSUE_URL, {"month": month})
    assert Bulletin.objects.count() == 4
    with CaptureQueriesContext(connection) as four_issued:
        html = leader.get(URL).content.decode()

    assert html.count("2026 第") == 4
    assert len(four_issued) == len(none_issued), [q["sql"] for q in four_issued]
