"""The project pages: what each persona sees on them, and the journeys through the forms."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import OwnerFactory, ProgressReportFactory
from diaodu.projects import services
from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import ProgressReport, Project
from diaodu.test import client_for, project_form_data


def detail_url(project):
    return reverse("projects:project_detail", args=[project.pk])


# --- The list ----------------------------------------------------------------------------


def test_the_list_shows_each_projects_health_and_why(world):
    signing = world.project_x.milestones.get(kind__code="signing")
    services.plan_milestone(
        signing, {"planned_date": world.today - timedelta(days=3)}, actor=world.coordinator
    )

    response = client_for(world.coordinator, language="en").get(reverse("projects:project_list"))

    rows = {p.name: p for p in response.context["page"]}
    assert rows["水务产业园"].health == "delayed"
    assert rows["水务产业园"].assessment.days == 3
    assert rows["新材料产业基地"].health == "on_track"
    html = response.content.decode()
    assert "Signing planned 7 Jun 2026, 3 days overdue" in html
    assert "2 projects" in html


def test_the_list_offers_a_new_project_only_to_the_office(world):
    new = reverse("projects:project_create")

    assert (
        new in client_for(world.coordinator).get(reverse("projects:project_list")).content.decode()
    )
    assert (
        new not in client_for(world.leader).get(reverse("projects:project_list")).content.decode()
    )


# --- The detail page ----------------------------------------------------------------------


def test_the_detail_page_shows_milestones_reports_and_investment_from_approved_reports(world):
    services.review_report(world.report_x, approve=True, actor=world.coordinator)
    ProgressReportFactory(
        project=world.project_x,
        period_start=date(2026, 4, 1),
        investment=Decimal("800"),
        status=ReportStatus.APPROVED,
        submitted_by=world.owner_x,
    )
    ProgressReportFactory(
        project=world.project_x, period_start=date(2026, 6, 1), investment=Decimal("50"),
        submitted_by=world.owner_x,
    )  # fmt: skip

    response = client_for(world.leader, language="en").get(detail_url(world.project_x))

    context = response.context
    assert len(context["milestones"]) == 10
    assert context["totals"].year_to_date == Decimal("2000.00")
    assert context["totals"].cumulative == Decimal("2000.00")
    assert [(str(r.period_start), r.cumulative) for r in context["reports"]] == [
        ("2026-06-01", Decimal("2000.00")),
        ("2026-05-01", Decimal("2000.00")),
        ("2026-04-01", Decimal("800.00")),
    ]
    html = response.content.decode()
    assert "绿源水务科技有限公司" in html
    assert "自然资源和规划局" in html
    assert "李主任" in html
    assert "reported 1 Jun 2026, awaiting confirmation" in html
    assert "10.0% of this year's plan" in html


def _buttons(user, world):
    html = client_for(user, language="en").get(detail_url(world.project_x)).content.decode()
    return {
        "edit project": reverse("projects:project_edit", args=[world.project_x.pk]) in html,
        "add milestone": reverse("projects:milestone_add", args=[world.project_x.pk]) in html,
        "confirm": reverse("projects:milestone_confirm", args=[world.milestone_x.pk]) in html,
        "report achieved": reverse("projects:milestone_report", args=[world.milestone_x.pk])
        in html,
        "submit report": reverse("projects:report_create", args=[world.project_x.pk]) in html,
        "review report": reverse("projects:report_review", args=[world.report_x.pk]) in html,
    }


# fmt: off
BUTTONS = {
    #              edit   add ms  confirm report achieved submit review
    "coordinator": (True,  True,  True,   False,          True,  True),
    "leader":      (False, False, False,  False,          False, False),
    "staff_a":     (False, False, False,  False,          False, False),
    "owner_x":     (False, False, False,  True,           True,  False),
}
# fmt: on


@pytest.mark.parametrize("role", BUTTONS)
def test_the_detail_page_offers_each_persona_only_what_they_may_do(world, role):
    assert tuple(_buttons(getattr(world, role), world).values()) == BUTTONS[role]


# --- Journeys ------------------------------------------------------------------------------


def test_the_office_creates_a_project_with_the_form(world):
    response = client_for(world.coordinator).post(
        reverse("projects:project_create"),
        project_form_data(
            owner=world.enterprise_x.pk,
            lead_department=world.department_a.pk,
            code="2026-010",
            national_code="2401-330106-04-01-123456",
            name="智慧物流园",
            land_area="85.5",
        ),
    )

    project = Project.objects.get(code="2026-010")
    assert response.status_code == 302
    assert response.url == detail_url(project)
    assert project.owner == world.enterprise_x
    assert project.land_area == Decimal("85.50")
    assert project.milestones.count() == 10


def test_an_owner_reports_a_milestone_and_the_office_confirms_it_on_the_pages(world):
    land = world.project_x.milestones.get(kind__code="land_supply")

    reported = client_for(world.owner_x).post(
        reverse("projects:milestone_report", args=[land.pk]), {"reported_date": "2026-06-09"}
    )
    confirmed = client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[land.pk]), follow=True
    )

    assert reported.status_code == 302
    assert confirmed.redirect_chain[-1][0] == detail_url(world.project_x)
    land.refresh_from_db()
    assert land.actual_date == date(2026, 6, 9)
    assert not land.awaiting_review


def test_an_owner_submits_a_report_the_office_returns_it_and_the_owner_revises_it(world):
    owner, office = client_for(world.owner_x), client_for(world.coordinator)

    owner.post(
        reverse("projects:report_create", args=[world.project_x.pk]),
        {
            "period_kind": "week",
            "period_start": "2026-06-10",
            "narrative": "桩基施工",
            "investment": "150",
        },
    )
    report = ProgressReport.objects.get(project=world.project_x, period_kind="week")
    office.post(
        reverse("projects:report_review", args=[report.pk]), {"approve": "0", "note": "金额有误"}
    )
    report.refresh_from_db()
    assert (report.period_start, report.status) == (date(2026, 6, 8), ReportStatus.RETURNED)

    form = owner.get(reverse("projects:report_edit", args=[report.pk]))
    assert "金额有误" in form.content.decode()
    owner.post(
        reverse("projects:report_edit", args=[report.pk]),
        {
            "period_kind": "week",
            "period_start": "2026-06-08",
            "narrative": "桩基施工",
            "investment": "105",
            "version": report.version,
        },
    )
    office.post(reverse("projects:report_review", args=[report.pk]), {"approve": "1"})

    report.refresh_from_db()
    assert (report.status, report.investment) == (ReportStatus.APPROVED, Decimal("105.00"))


def test_once_approved_a_report_can_no_longer_be_edited_on_the_pages(world):
    services.review_report(world.report_x, approve=True, actor=world.coordinator)
    edit = reverse("projects:report_edit", args=[world.report_x.pk])

    assert client_for(world.owner_x).get(edit).status_code == 403
    assert client_for(world.coordinator).get(edit).status_code == 403


def test_another_owner_of_the_same_enterprise_may_report_for_its_project(world):
    colleague = OwnerFactory(organisation=world.enterprise_x)

    response = client_for(colleague).get(
        reverse("projects:report_create", args=[world.project_x.pk])
    )

    assert response.status_code == 200


def test_a_person_logs_in_with_their_password_and_lands_on_the_project_list(
    world, client, fast_password_hashing
):
    world.owner_x.set_password("correct-horse-battery")
    world.owner_x.save(update_fields=["password"])

    wrong = client.post(reverse("login"), {"username": "owner_x", "password": "nope"})
    right = client.post(
        reverse("login"), {"username": "owner_x", "password": "correct-horse-battery"}
    )

    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert right.status_code == 302
    assert right.url == reverse("home")


def test_the_language_can_be_switched(world):
    browser = client_for(world.coordinator)

    browser.post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    english = browser.get(reverse("projects:project_list")).content.decode()

    assert '<html lang="en">' in english
    assert "Key projects" in english


def test_the_health_check_answers_without_logging_in(db, client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
