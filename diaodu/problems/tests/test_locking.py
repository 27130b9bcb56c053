"""Optimistic locking: two people read version N; the first saves; the second, still on
version N, is refused with a message and both versions side by side (the API: 409 and
``current``), and nothing of theirs is saved. Then, on the current version, they may."""

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.core.models import ChangeLog
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.test import api_for, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}
CONFLICT_PAGE = (
    "Someone else saved this since you opened it. Below are your values and theirs; "
    "nothing of yours is saved yet. Save again to apply yours on top of theirs."
)
CONFLICT_MOVE = (
    "Someone else changed this since you opened it. Their values are shown now; "
    "make your change again."
)
CONFLICT_API = "Someone else changed this since you read it."


def _in(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def edit_form(problem, **overrides):
    return {
        "title": problem.title,
        "description": problem.description,
        "category": problem.category,
        "severity": problem.severity,
        "level": problem.level,
        "lead_department": problem.lead_department_id,
        "due_date": problem.due_date.isoformat(),
        "root_cause": problem.root_cause,
        "version": 1,
        **overrides,
    }


# --- Editing a problem ------------------------------------------------------------------------


def test_a_stale_problem_edit_on_the_page_shows_both_versions_and_keeps_the_users(world):
    problem, url = world.problem_x, reverse("problems:problem_edit", args=[world.problem_x.pk])
    first, second = client_for(world.coordinator), client_for(world.admin, language="en")
    read = second.get(url)
    assert read.context["form"].initial["version"] == 1

    saved = first.post(url, edit_form(problem, title="二期用地指标不足"))
    refused = second.post(url, edit_form(problem, level="province"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert [str(m) for m in refused.context["messages"]] == [CONFLICT_PAGE]
    form = refused.context["form"]
    assert (form["level"].value(), form["version"].value()) == ("province", 2)
    differing = {
        row["label"]: (row["yours"], row["current"]) for row in form.conflict if row["differs"]
    }
    assert differing == {
        "Title": (problem.title, "二期用地指标不足"),
        "Escalation level": ("province", "zone"),
    }
    html = refused.content.decode()
    assert "二期用地指标不足" in html
    assert 'name="version" value="2"' in html
    problem.refresh_from_db()
    assert (problem.title, problem.level, problem.version) == ("二期用地指标不足", "zone", 2)

    again = second.post(url, edit_form(problem, level="province", version=2))

    assert again.status_code == 302
    problem.refresh_from_db()
    assert (problem.title, problem.level, problem.version) == ("二期用地指标不足", "province", 3)


def test_a_stale_problem_edit_through_the_api_is_a_409_with_the_current_values(world):
    url = f"/api/problems/{world.problem_x.pk}/"
    first, second = api_for(world.coordinator), api_for(world.admin, language="en")
    version = second.get(url).json()["version"]
    changes = ChangeLog.objects.count()

    saved = first.patch(url, {"title": "二期用地指标不足", "version": version})
    refused = second.patch(url, {"level": "province", "version": version})

    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"] == CONFLICT_API
    assert (body["current"]["title"], body["current"]["level"], body["current"]["version"]) == (
        "二期用地指标不足",
        "zone",
        2,
    )
    assert ChangeLog.objects.count() == changes + 1

    again = second.patch(url, {"level": "province", "version": body["current"]["version"]})

    assert again.status_code == 200
    assert again.json()["version"] == 3


def test_an_api_edit_without_a_version_is_refused(world):
    """A client that does not say which version it changes could undo another's save."""
    response = api_for(world.coordinator).patch(
        f"/api/problems/{world.problem_x.pk}/", {"level": "city"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["version"]


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_conflict_is_explained_in_the_requests_language(world, language):
    url = f"/api/problems/{world.problem_x.pk}/"
    api_for(world.coordinator).patch(url, {"level": "city", "version": 1})

    refused = api_for(world.admin, language=language).patch(url, {"level": "zone", "version": 1})

    assert refused.json()["detail"] == _in(language, CONFLICT_API)


# --- Moving a problem ----------------------------------------------------------------------


def test_a_stale_problem_move_on_the_page_is_refused_with_the_message(world):
    problem = world.problem_x
    url = reverse("problems:problem_transition", args=[problem.pk])
    lead, office = client_for(world.staff_a), client_for(world.coordinator, language="en")

    started = lead.post(url, {"to_status": "in_progress", "version": 1})
    refused = office.post(url, {"to_status": "resolved", "version": 1, "resolution": "已解决"})

    assert (started.status_code, refused.status_code) == (302, 302)
    page = office.get(refused.url)
    assert [str(m) for m in page.context["messages"]] == [CONFLICT_MOVE]
    assert page.context["problem"].status == ProblemStatus.IN_PROGRESS  # the current values
    assert 'name="version" value="2"' in page.content.decode()
    problem.refresh_from_db()
    assert (problem.status, problem.version, problem.resolution) == ("in_progress", 2, "")


def test_a_stale_quick_move_on_the_desk_answers_with_the_current_row(world):
    problem = world.problem_x
    url = reverse("problems:problem_transition", args=[problem.pk])
    client_for(world.coordinator).post(url, {"to_status": "in_progress", "version": 1})

    refused = client_for(world.staff_a, language="en").post(
        url, {"to_status": "resolved", "version": 1, "resolution": "已解决"}, **HTMX
    )

    html = refused.content.decode()
    assert refused.status_code == 200
    assert CONFLICT_MOVE in html
    assert "in progress" in html
    # Opened again, the row's forms carry the version it has now.
    forms = client_for(world.staff_a).get(
        reverse("problems:problem_quick_actions", args=[problem.pk]), **HTMX
    )
    assert 'name="version" value="2"' in forms.content.decode()


def test_a_stale_problem_move_through_the_api_is_a_409_with_the_current_values(world):
    url = f"/api/problems/{world.problem_x.pk}/transition/"

    api_for(world.staff_a).post(url, {"to_status": "in_progress", "version": 1})
    refused = api_for(world.coordinator).post(
        url, {"to_status": "resolved", "version": 1, "resolution": "已解决"}
    )

    assert refused.status_code == 409
    assert (refused.json()["current"]["status"], refused.json()["current"]["version"]) == (
        "in_progress",
        2,
    )
    world.problem_x.refresh_from_db()
    assert world.problem_x.status == ProblemStatus.IN_PROGRESS


def test_the_same_move_made_twice_on_stale_pages_is_a_conflict_not_an_impossible_move(world):
    """Department A and the office both press "start work" on version 1: the second is
    told someone else changed the problem, not that it cannot go from "in progress" to
    "in progress"."""
    url = f"/api/problems/{world.problem_x.pk}/transition/"

    first = api_for(world.staff_a).post(url, {"to_status": "in_progress", "version": 1})
    second = api_for(world.coordinator).post(url, {"to_status": "in_progress", "version": 1})

    assert (first.status_code, second.status_code) == (200, 409)
    assert world.problem_x.entries.filter(to_status="in_progress").count() == 1


# --- Moving an action item ------------------------------------------------------------------


def test_a_stale_action_item_move_on_the_page_is_refused_with_the_message(world):
    item = world.item_a
    url = reverse("problems:action_transition", args=[item.pk])
    office = client_for(world.coordinator, language="en")

    client_for(world.staff_a).post(url, {"to_status": "acknowledged", "version": 1})
    refused = office.post(url, {"to_status": "cancelled", "version": 1, "text": "不再需要"})

    assert refused.url == item.get_absolute_url()
    page = office.get(refused.url)
    assert [str(m) for m in page.context["messages"]] == [CONFLICT_MOVE]
    assert page.context["item"].status == ActionStatus.ACKNOWLEDGED
    item.refresh_from_db()
    assert (item.status, item.version) == (ActionStatus.ACKNOWLEDGED, 2)


def test_a_stale_action_item_move_through_the_api_is_a_409_with_the_current_values(world):
    url = f"/api/action-items/{world.item_a.pk}/transition/"
    api_for(world.staff_a).post(url, {"to_status": "acknowledged", "version": 1})
    api_for(world.staff_a).post(url, {"to_status": "submitted", "version": 2, "text": "已办结"})

    refused = api_for(world.coordinator).post(
        url, {"to_status": "cancelled", "version": 2, "text": "不再需要"}
    )

    assert refused.status_code == 409
    assert refused.json()["current"]["status"] == "submitted"
    assert refused.json()["current"]["version"] == 3

    accepted = api_for(world.coordinator).post(url, {"to_status": "done", "version": 3})

    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["version"]) == ("done", 4)


def test_a_stale_action_item_edit_on_the_page_shows_both_versions(world):
    item = world.item_a
    url = reverse("problems:action_edit", args=[item.pk])
    form = {
        "title": item.title,
        "description": "",
        "project": world.project_x.pk,
        "problem": world.problem_x.pk,
        "lead_department": world.department_a.pk,
        "due_date": "2026-07-10",
        "version": 1,
    }
    client_for(world.coordinator).post(url, {**form, "title": "落实二期用地指标（加急）"})

    refused = client_for(world.admin, language="en").post(url, form)

    assert refused.status_code == 200
    assert [str(m) for m in refused.context["messages"]] == [CONFLICT_PAGE]
    [row] = [row for row in refused.context["form"].conflict if row["differs"]]
    assert (row["yours"], row["current"]) == (item.title, "落实二期用地指标（加急）")
    item.refresh_from_db()
    assert (item.title, item.version) == ("落实二期用地指标（加急）", 2)
