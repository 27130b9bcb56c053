"""Two people edit the same thing from the same page: the second save is refused with both
versions side by side, nothing of the first is undone, and the second can then re-apply
theirs knowingly. The same through the API: the version is required, a stale one is a 409
with the object as it is now."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from diaodu.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    CommitmentFactory,
    CoordinatorFactory,
    MeetingFactory,
    ProblemFactory,
)
from diaodu.projects import services as project_services
from diaodu.test import api_for, client_for


@dataclass
class Case:
    """One edited model: how to get the object, its page, its API address, the field the
    two editors both change and who may edit it."""

    get: Callable
    page: Callable
    api: Callable
    field: str
    first: str
    second: str
    editor: str = "coordinator"
    prefix: str = ""


def _meeting(w):
    return MeetingFactory(title="项目调度会", chair=w.leader, created_by=w.coordinator)


def _agenda_item(w):
    return AgendaItemFactory(meeting=_meeting(w), project=w.project_x, order=10)


CASES = {
    "project": Case(
        get=lambda w: w.project_x,
        page=lambda o: reverse("projects:project_edit", args=[o.pk]),
        api=lambda o: f"/api/projects/{o.pk}/",
        field="location",
        first="滨江一期",
        second="滨江二期",
    ),
    "milestone": Case(
        get=lambda w: w.milestone_x,
        page=lambda o: reverse("projects:milestone_edit", args=[o.pk]),
        api=lambda o: f"/api/milestones/{o.pk}/",
        field="note",
        first="等待规划许可",
        second="土地已摘牌",
    ),
    "progress report": Case(
        get=lambda w: w.report_x,
        page=lambda o: reverse("projects:report_edit", args=[o.pk]),
        api=lambda o: f"/api/progress-reports/{o.pk}/",
        field="narrative",
        first="主体结构施工。",
        second="完成桩基工程。",
        editor="owner_x",
    ),
    "meeting": Case(
        get=_meeting,
        page=lambda o: reverse("meetings:meeting_edit", args=[o.pk]),
        api=lambda o: f"/api/meetings/{o.pk}/",
        field="place",
        first="管委会二楼会议室",
        second="项目现场",
    ),
    "agenda item (minutes)": Case(
        get=_agenda_item,
        page=lambda o: reverse("meetings:agenda_discussion", args=[o.pk]),
        api=lambda o: f"/api/agenda-items/{o.pk}/",
        field="decisions",
        first="资规局6月底前完成供地。",
        second="行政审批局7月10日前发放施工许可证。",
        prefix="d{pk}-",
    ),
}


def _form_page(case, obj):
    """The page that shows the edit form: the agenda item's form lives on its meeting."""
    if case.prefix:
        return reverse("meetings:meeting_detail", args=[obj.meeting_id])
    return case.page(obj)


def _posted(form) -> dict:
    """What a browser posts from ``form`` as shown: every field's value as its widget
    renders it."""
    data = {}
    for bound in form:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        else:
            shown = bound.field.widget.format_value(value)
            data[bound.html_name] = "" if shown is None else shown
    return data


def _form_of(response, case, obj):
    if not case.prefix:
        return response.context["form"]
    [brief] = [b for b in response.context["briefs"] if b.item.pk == obj.pk]
    return brief.discussion_form


def _open(client, case, obj):
    response = client.get(_form_page(case, obj))
    assert response.status_code == 200
    return _posted(_form_of(response, case, obj))


def _stored(case, obj):
    return getattr(type(obj).objects.get(pk=obj.pk), case.field)


def _editors(w, case):
    if case.editor == "coordinator":
        return client_for(w.coordinator), client_for(CoordinatorFactory())
    editor = getattr(w, case.editor)
    return client_for(editor), client_for(editor)  # one person in two browser tabs


@pytest.mark.parametrize("name", CASES)
def test_the_second_save_from_the_same_page_is_refused_and_shows_both_versions(world, name):
    case = CASES[name]
    obj = case.get(world)
    alice, bob = _editors(world, case)
    name_of = case.prefix.format(pk=obj.pk) + case.field
    alices, bobs = _open(alice, case, obj), _open(bob, case, obj)

    alices[name_of] = case.first
    assert alice.post(case.page(obj), alices).status_code == 302
    bobs[name_of] = case.second
    response = bob.post(case.page(obj), bobs, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert _stored(case, obj) == case.first, "the second save undid the first"
    form = (
        response.context["form"] if not case.prefix else response.context["brief"].discussion_form
    )
    [row] = [r for r in form.conflict if r["differs"]]
    assert (row["yours"], row["current"]) == (case.second, case.first)
    page = response.content.decode()
    assert case.first in page
    assert case.second in page
    assert 'name="reapply"' in page


@pytest.mark.parametrize("name", CASES)
def test_re_applying_after_a_conflict_saves_on_top_of_the_current_version(world, name):
    case = CASES[name]
    obj = case.get(world)
    alice, bob = _editors(world, case)
    name_of = case.prefix.format(pk=obj.pk) + case.field
    alices, bobs = _open(alice, case, obj), _open(bob, case, obj)
    alices[name_of] = case.first
    alice.post(case.page(obj), alices)
    bobs[name_of] = case.second
    response = bob.post(case.page(obj), bobs, headers={"HX-Request": "true"})
    form = (
        response.context["form"] if not case.prefix else response.context["brief"].discussion_form
    )

    again = _posted(form)
    assert again[name_of] == case.second, "the user's own values were lost"
    response = bob.post(case.page(obj), {**again, "reapply": "1"})

    assert response.status_code == 302
    assert _stored(case, obj) == case.second


@pytest.mark.parametrize("name", CASES)
def test_the_api_requires_the_version_and_refuses_a_stale_one(world, name):
    case = CASES[name]
    obj = case.get(world)
    editor = world.coordinator if case.editor == "coordinator" else getattr(world, case.editor)
    api = api_for(editor)
    read = api.get(case.api(obj)).json()

    missing = api.patch(case.api(obj), {case.field: case.first})
    assert missing.status_code == 400
    assert "version" in missing.json()
    first = api.patch(case.api(obj), {case.field: case.first, "version": read["version"]})
    assert first.status_code == 200, first.json()
    stale = api.patch(case.api(obj), {case.field: case.second, "version": read["version"]})

    assert stale.status_code == 409
    assert stale.json()["current"][case.field] == case.first
    assert stale.json()["current"]["version"] == first.json()["version"] == read["version"] + 1
    assert _stored(case, obj) == case.first


@pytest.mark.parametrize("path", ["problems", "action-items", "agreements", "commitments"])
def test_the_api_requires_the_version_on_every_versioned_update(world, path):
    make = {
        "problems": lambda: ProblemFactory(project=world.project_x),
        "action-items": lambda: ActionItemFactory(project=world.project_x),
        "agreements": lambda: AgreementFactory(project=world.project_x),
        "commitments": lambda: CommitmentFactory(
            agreement=AgreementFactory(project=world.project_x)
        ),
    }
    obj = make[path]()

    response = api_for(world.coordinator).patch(f"/api/{path}/{obj.pk}/", {"note": "x"})

    assert response.status_code == 400
    assert "version" in response.json()


def test_a_write_that_did_not_start_from_a_read_still_moves_the_version_on(world):
    """An import or a cascade (confirming a milestone) changes the object too: an edit
    begun before it must be refused rather than undo it."""
    milestone = world.milestone_x
    read = milestone.version
    project_services.confirm_milestone(milestone, actor=world.coordinator)
    milestone.refresh_from_db()

    assert milestone.version == read + 1


def test_a_conflict_shows_a_meetings_time_as_the_reader_reads_it(world):
    meeting = _meeting(world)
    alice, bob = client_for(world.coordinator), client_for(CoordinatorFactory())
    page = reverse("meetings:meeting_edit", args=[meeting.pk])
    alices, bobs = _open(alice, CASES["meeting"], meeting), _open(bob, CASES["meeting"], meeting)
    alice.post(page, {**alices, "starts_at": "2026-06-15T16:00"})

    response = bob.post(page, bobs)

    [row] = [r for r in response.context["form"].conflict if r["differs"]]
    assert (row["yours"], row["current"]) == ("2026-06-15 15:00", "2026-06-15 16:00")
