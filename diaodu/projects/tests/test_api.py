"""The projects API: what it returns and the journeys through it."""

from datetime import timedelta
from decimal import Decimal

from diaodu.projects import services
from diaodu.projects.models import Project
from diaodu.test import api_for, project_api_data


def test_a_project_comes_with_its_health_and_the_reason(world):
    signing = world.project_x.milestones.get(kind__code="signing")
    services.plan_milestone(
        signing, {"planned_date": world.today - timedelta(days=2)}, actor=world.coordinator
    )

    data = api_for(world.owner_x, language="en").get(f"/api/projects/{world.project_x.pk}/").json()

    assert data["health"] == "delayed"
    assert data["health_reason"] == "Signing planned 8 Jun 2026, 2 days overdue"
    assert data["code"] == "2026-001"
    assert data["owner"] == world.enterprise_x.pk
    assert data["total_investment"] == "80000.00"


def test_a_project_created_through_the_api_gets_its_template_milestones(world):
    response = api_for(world.coordinator).post(
        "/api/projects/",
        project_api_data(
            owner=world.enterprise_y.pk,
            lead_department=world.department_b.pk,
            responsible_leader=world.leader.pk,
        ),
    )

    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert project.milestones.count() == 10
    assert response.json()["health"] == "on_track"


def test_the_investment_endpoint_counts_approved_reports(world):
    api = api_for(world.coordinator)
    url = f"/api/projects/{world.project_x.pk}/investment/"

    before = api.get(url).json()
    api.post(f"/api/progress-reports/{world.report_x.pk}/review/", {"approve": True})
    after = api.get(url).json()

    assert before["year_to_date"] == "0.00"
    assert after == {
        "plan": "20000.00",
        "year_to_date": "1200.00",
        "cumulative": "1200.00",
        "total": "80000.00",
        "plan_rate": "6.0",
        "total_rate": "1.5",
    }


def test_an_owner_reports_a_milestone_and_the_office_confirms_it_through_the_api(world):
    land = world.project_x.milestones.get(kind__code="land_supply")

    reported = api_for(world.owner_x).post(
        f"/api/milestones/{land.pk}/report/", {"reported_date": "2026-06-09"}
    )
    confirmed = api_for(world.coordinator).post(f"/api/milestones/{land.pk}/confirm/")

    assert reported.json()["awaiting_review"] is True
    assert reported.json()["reported_by"] == world.owner_x.pk
    assert confirmed.json()["actual_date"] == "2026-06-09"
    assert confirmed.json()["reported_date"] is None
    assert confirmed.json()["awaiting_review"] is False


def test_a_report_goes_back_and_forth_through_the_api(world):
    owner, office = api_for(world.owner_x), api_for(world.coordinator)

    created = owner.post(
        "/api/progress-reports/",
        {
            "project": world.project_x.pk,
            "period_kind": "month",
            "period_start": "2026-06-05",
            "narrative": "主体施工",
            "investment": "300",
        },
    ).json()
    returned = office.post(
        f"/api/progress-reports/{created['id']}/review/", {"approve": False, "note": "请附照片"}
    ).json()
    revised = owner.patch(
        f"/api/progress-reports/{created['id']}/",
        {"narrative": "主体施工，附照片", "version": returned["version"]},
    ).json()
    approved = office.post(f"/api/progress-reports/{created['id']}/review/", {"approve": True})
    too_late = owner.patch(
        f"/api/progress-reports/{created['id']}/",
        {"investment": "1", "version": approved.json()["version"]},
    )

    assert (created["period_start"], created["status"]) == ("2026-06-01", "submitted")
    assert created["submitted_by"] == world.owner_x.pk
    assert (returned["status"], returned["review_note"]) == ("returned", "请附照片")
    assert revised["status"] == "submitted"
    assert approved.json()["status"] == "approved"
    assert too_late.status_code == 403


def test_report_status_cannot_be_set_by_the_owner(world):
    response = api_for(world.owner_x).patch(
        f"/api/progress-reports/{world.report_x.pk}/",
        {
            "version": world.report_x.version,
            "status": "approved",
            "review_note": "自己批准",
            "narrative": "更新",
        },
    )

    assert response.status_code == 200
    world.report_x.refresh_from_db()
    assert world.report_x.status == "submitted"
    assert world.report_x.review_note == ""


def test_the_project_list_is_paginated_and_orderable(world):
    api = api_for(world.coordinator)

    by_code = api.get("/api/projects/", {"ordering": "-code"}).json()

    assert by_code["count"] == 2
    assert [p["code"] for p in by_code["results"]] == ["2026-002", "2026-001"]
    assert set(by_code) >= {"count", "next", "previous", "results"}


def test_milestone_kinds_are_listed_in_template_order_with_their_names(world):
    kinds = api_for(world.owner_x, language="en").get("/api/milestone-kinds/").json()

    assert [k["code"] for k in kinds][:3] == ["signing", "land_supply", "project_approval"]
    assert kinds[0]["display_name"] == "Signing"
    assert kinds[2]["is_approval"] is True
    assert kinds[2]["statutory_days"] == 20


def test_money_is_exact_to_the_fen(world):
    response = api_for(world.coordinator).patch(
        f"/api/projects/{world.project_x.pk}/",
        {"version": world.project_x.version, "total_investment": "80000.015"},
    )
    accepted = api_for(world.coordinator).patch(
        f"/api/projects/{world.project_x.pk}/",
        {"version": world.project_x.version, "total_investment": "80000.01"},
    )

    assert response.status_code == 400
    assert "total_investment" in response.json()
    assert accepted.status_code == 200
    world.project_x.refresh_from_db()
    assert world.project_x.total_investment == Decimal("80000.01")
