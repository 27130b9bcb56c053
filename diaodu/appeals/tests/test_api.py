"""The requests' API: the loop worked through it end to end, its refusals (400 with the
reason, 409 with the current values) and what it says of the problem a request became."""

from datetime import timedelta

from diaodu.appeals import services
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ProblemStatus
from diaodu.problems.models import Problem
from diaodu.test import api_for


def test_a_request_goes_from_raising_to_rating_through_the_api(world):
    owner, office = api_for(world.owner_x), api_for(world.coordinator)

    raised = owner.post(
        "/api/requests/",
        {
            "project": world.project_x.pk,
            "title": "排污管网未接通",
            "description": "缺一段管网。",
            "category": "utilities",
        },
    )
    assert raised.status_code == 201, raised.json()
    body = raised.json()
    assert (body["status"], body["raised_by"], body["triage_due"], body["triage_overdue"]) == (
        "raised",
        world.owner_x.pk,
        (world.today + timedelta(days=3)).isoformat(),
        False,
    )
    url = f"/api/requests/{body['id']}/"

    accepted = office.post(
        url + "accept/",
        {
            "version": body["version"],
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_b.pk],
            "due_date": (world.today + timedelta(days=15)).isoformat(),
            "level": "city",
            "note": "请资规局牵头",
        },
    )
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert (body["status"], body["problem_status"], body["awaits_rating"]) == (
        "accepted",
        "open",
        False,
    )
    problem = Problem.objects.get(pk=body["problem"])
    assert (problem.category, problem.level) == ("utilities", "city")

    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="管网已接通"
    )
    problem_services.transition_problem(problem, ProblemStatus.CLOSED, actor=world.coordinator)
    shown = owner.get(url).json()
    assert (shown["problem_status"], shown["problem_resolution"], shown["awaits_rating"]) == (
        "closed",
        "管网已接通",
        True,
    )

    rated = owner.post(url + "rate/", {"rating": 5, "comment": "满意"})
    assert rated.status_code == 200, rated.json()
    assert (rated.json()["rating"], rated.json()["awaits_rating"]) == (5, False)
    timeline = owner.get(url + "timeline/").json()
    assert [entry["kind"] for entry in timeline] == [
        "raised",
        "accepted",
        "problem_closed",
        "rated",
    ]


def test_a_stale_triage_is_a_conflict_with_the_current_values(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.admin, version=1)

    response = api_for(world.coordinator).post(
        f"/api/requests/{world.appeal_x.pk}/answer/", {"version": 1, "answer": "另一个答复"}
    )

    assert response.status_code == 409
    assert response.json()["current"]["answer"] == "已答复"


def test_a_refused_step_is_a_400_with_the_reason(world):
    office = api_for(world.coordinator, "en")

    merged = office.post(
        f"/api/requests/{world.appeal_x.pk}/merge/", {"version": 1, "problem": world.problem_y.pk}
    )
    rated = api_for(world.owner_x, "en").post(
        f"/api/requests/{world.appeal_x.pk}/rate/", {"rating": 5}
    )
    lead_twice = office.post(
        f"/api/requests/{world.appeal_x.pk}/accept/",
        {
            "version": 1,
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_a.pk],
            "due_date": (world.today + timedelta(days=5)).isoformat(),
        },
    )

    assert merged.status_code == 400
    assert merged.json() == {"problem": ["This problem belongs to another project."]}
    assert rated.status_code == 400
    assert "answered" in rated.json()["non_field_errors"][0]
    assert lead_twice.status_code == 400
    assert "cooperating_departments" in lead_twice.json()


def test_the_list_filters_by_overdue_triage_and_status(world, clock):
    services.answer_appeal(world.appeal_y, "已答复", actor=world.coordinator, version=1)
    clock.advance(days=4)
    office = api_for(world.coordinator)

    overdue = office.get("/api/requests/", {"overdue": "true"}).json()["results"]
    answered = office.get("/api/requests/", {"status": "answered"}).json()["results"]

    assert [row["id"] for row in overdue] == [world.appeal_x.pk]
    assert overdue[0]["triage_overdue"] is True
    assert [row["id"] for row in answered] == [world.appeal_y.pk]
