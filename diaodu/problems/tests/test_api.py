"""The API of problems and action items: what it says about them (lights, overdue,
timelines with files) and the loop worked through it end to end."""

from datetime import timedelta

import pytest

from diaodu.factories import ActionItemFactory, ProblemFactory
from diaodu.problems.choices import ProblemStatus
from diaodu.problems.tests.helpers import upload
from diaodu.test import api_for


def test_a_problem_raised_through_the_api_says_who_raised_it_and_its_light(world):
    response = api_for(world.owner_x).post(
        "/api/problems/",
        {
            "project": world.project_x.pk,
            "title": "施工用电容量不足",
            "description": "需新建开关站。",
            "category": "utilities",
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_b.pk],
            "due_date": (world.today + timedelta(days=2)).isoformat(),
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["raised_by"] == world.owner_x.pk
    assert body["raised_on"] == world.today.isoformat()
    assert (body["status"], body["light"], body["overdue"], body["version"]) == (
        "open",
        "yellow",
        False,
        1,
    )
    assert body["cooperating_departments"] == [world.department_b.pk]


def test_the_api_reports_lights_and_overdue_as_the_pages_do(world):
    late = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=world.today - timedelta(days=1),
    )

    rows = {p["id"]: p for p in api_for(world.staff_a).get("/api/problems/").json()["results"]}

    assert (rows[late.pk]["light"], rows[late.pk]["overdue"]) == ("red", True)
    assert (rows[world.problem_x.pk]["light"], rows[world.problem_x.pk]["overdue"]) == (
        "green",
        False,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"overdue": "true"}, {"late"}),
        ({"light": "red"}, {"late"}),
        ({"light": "green"}, {"X", "Y"}),
        ({"department": "b"}, {"Y"}),
        ({"status": "open"}, {"late", "X", "Y"}),
        ({"q": "环评"}, {"Y"}),
        ({"category": "approval"}, {"Y"}),
    ],
)
def test_the_problem_list_filters_as_the_supervision_page_does(world, query, expected):
    late = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=world.today - timedelta(days=1),
    )
    if "department" in query:
        query = {"department": getattr(world, f"department_{query['department']}").pk}
    names = {late.pk: "late", world.problem_x.pk: "X", world.problem_y.pk: "Y"}

    response = api_for(world.coordinator).get("/api/problems/", query)

    assert {names[p["id"]] for p in response.json()["results"]} == expected


def test_an_action_item_list_filters_by_problem_and_overdue(world):
    late = ActionItemFactory(
        project=world.project_x,
        problem=world.problem_x,
        lead_department=world.department_a,
        due_date=world.today - timedelta(days=1),
    )
    api = api_for(world.staff_a)

    by_problem = api.get("/api/action-items/", {"problem": world.problem_x.pk}).json()
    overdue = api.get("/api/action-items/", {"overdue": "true"}).json()

    assert {i["id"] for i in by_problem["results"]} == {late.pk, world.item_a.pk}
    assert [i["id"] for i in overdue["results"]] == [late.pk]


def test_the_timeline_lists_entries_with_authors_organisations_and_files(world):
    api = api_for(world.staff_a)

    posted = api.post(
        f"/api/problems/{world.problem_x.pk}/timeline/",
        {
            "text": "已报市局",
            "files": [upload("请示.pdf"), upload("现场.png", b"\x89PNG\r\n\x1a\n")],
        },
        format="multipart",
    )

    assert posted.status_code == 200, posted.json()
    raised, update = posted.json()
    assert (raised["kind"], raised["author"], raised["organisation"]) == (
        "raised",
        "绿源张经理",
        "绿源水务",
    )
    assert (update["kind"], update["text"], update["author"], update["organisation"]) == (
        "update",
        "已报市局",
        "资规局小王",
        "区资规局",
    )
    assert [(f["name"], f["mime_type"]) for f in update["files"]] == [
        ("请示.pdf", "application/pdf"),
        ("现场.png", "image/png"),
    ]
    assert update["files"][0]["url"] == f"/files/{update['files'][0]['id']}/"
    assert api.get(f"/api/problems/{world.problem_x.pk}/timeline/").json() == posted.json()


def test_the_whole_loop_through_the_api(world):
    """Owner X raises; the office assigns an action item; department A takes it on,
    reports back and submits; the office returns it once, then accepts; department A
    resolves the problem and the office closes it."""
    owner, office, lead = api_for(world.owner_x), api_for(world.coordinator), api_for(world.staff_a)

    problem = owner.post(
        "/api/problems/",
        {
            "project": world.project_x.pk,
            "title": "排水接口未明确",
            "description": "市政排水管网接口位置未明确。",
            "category": "utilities",
            "lead_department": world.department_a.pk,
            "due_date": "2026-07-20",
        },
    ).json()
    item = office.post(
        "/api/action-items/",
        {
            "title": "明确排水接口",
            "project": world.project_x.pk,
            "problem": problem["id"],
            "lead_department": world.department_a.pk,
            "due_date": "2026-07-10",
        },
    ).json()
    assert item["source"] == "office"
    moves = f"/api/action-items/{item['id']}/transition/"

    assert lead.post(moves, {"to_status": "acknowledged", "version": 1}).status_code == 200
    assert (
        lead.post(
            f"/api/action-items/{item['id']}/timeline/", {"text": "已与市政公司对接"}
        ).status_code
        == 200
    )
    assert (
        lead.post(moves, {"to_status": "submitted", "version": 2, "text": "接口已明确"}).status_code
        == 200
    )
    assert (
        office.post(
            moves, {"to_status": "acknowledged", "version": 3, "text": "缺少书面确认"}
        ).json()["status"]
        == "acknowledged"
    )
    assert (
        lead.post(
            moves, {"to_status": "submitted", "version": 4, "text": "已补书面确认"}
        ).status_code
        == 200
    )
    done = office.post(moves, {"to_status": "done", "version": 5}).json()
    assert (done["status"], done["completed_on"], done["light"]) == (
        "done",
        world.today.isoformat(),
        "done",
    )

    transitions = f"/api/problems/{problem['id']}/transition/"
    resolved = lead.post(
        transitions, {"to_status": "resolved", "version": 1, "resolution": "接口已明确"}
    ).json()
    closed = office.post(transitions, {"to_status": "closed", "version": 2}).json()

    assert (resolved["status"], resolved["resolution"]) == ("resolved", "接口已明确")
    assert (closed["status"], closed["closed_on"], closed["light"]) == (
        ProblemStatus.CLOSED,
        world.today.isoformat(),
        "done",
    )
    timeline = lead.get(f"/api/action-items/{item['id']}/timeline/").json()
    assert [(e["kind"], e["to_status"]) for e in timeline] == [
        ("assigned", ""),
        ("transition", "acknowledged"),
        ("feedback", ""),
        ("transition", "submitted"),
        ("transition", "acknowledged"),
        ("transition", "submitted"),
        ("transition", "done"),
    ]


def test_a_problem_cannot_be_moved_to_another_project(world):
    response = api_for(world.coordinator).patch(
        f"/api/problems/{world.problem_x.pk}/",
        {"version": world.problem_x.version, "project": world.project_y.pk},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["project"]
    world.problem_x.refresh_from_db()
    assert world.problem_x.project == world.project_x


def test_the_workflow_fields_cannot_be_written_directly(world):
    response = api_for(world.coordinator).patch(
        f"/api/problems/{world.problem_x.pk}/",
        {
            "version": world.problem_x.version,
            "status": "closed",
            "resolution": "直接关闭",
            "raised_by": world.coordinator.pk,
        },
    )

    assert response.status_code == 200
    world.problem_x.refresh_from_db()
    assert (world.problem_x.status, world.problem_x.resolution) == ("open", "")
    assert world.problem_x.raised_by == world.owner_x
