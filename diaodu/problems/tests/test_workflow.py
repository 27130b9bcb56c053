"""The workflows of problems and action items, through their services: every allowed move
and every refused one, the timeline entries and change-log rows each move leaves, and who
is notified.

Services do not check permissions (views and the API do, see ``test_access_matrix``);
here the actor is whoever would normally act.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.notifications.models import Notification
from diaodu.problems import access, services
from diaodu.problems.choices import (
    ActionSource,
    ActionStatus,
    Category,
    EntryKind,
    ProblemStatus,
)
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.problems.tests.helpers import DUE, newest_pk, notified_since

OFFICE = {"admin", "coordinator"}


def put(item, status):
    """Put an item in ``status`` directly, as earlier moves would have left it."""
    type(item).objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    return item


def changes_of(obj):
    return ChangeLog.objects.filter(object_type__model=obj._meta.model_name, object_id=obj.pk)


def footprint():
    """Everything a move can write: refused moves must leave it as it was."""
    return (
        ChangeLog.objects.count(),
        ProblemEntry.objects.count(),
        ActionItemEntry.objects.count(),
        Notification.objects.count(),
    )


# --- Raising and editing problems ---------------------------------------------------------


def test_raising_a_problem_records_it_on_the_timeline_and_in_the_projects_history(world):
    problem = world.problem_x

    [entry] = problem.entries.all()
    assert (entry.kind, entry.author, entry.organisation) == (
        EntryKind.RAISED,
        world.owner_x,
        world.enterprise_x,
    )
    assert entry.text == problem.description
    change = changes_of(problem).get()
    assert (change.action, change.actor) == (ChangeAction.CREATE, world.owner_x)
    assert change.after["lead_department"] == "区资规局"
    assert ChangeLog.objects.for_object(world.project_x).filter(pk=change.pk).exists()
    assert (problem.raised_by, problem.raised_on, problem.status) == (
        world.owner_x,
        world.today,
        ProblemStatus.OPEN,
    )


def test_raising_a_problem_tells_the_departments_and_the_office_but_not_the_raiser(world):
    mark = newest_pk(Notification)

    services.raise_problem(
        world.project_x,
        {
            "title": "供水管网未接入",
            "description": "园区市政供水管网尚未接入。",
            "category": Category.UTILITIES,
            "lead_department": world.department_a,
            "cooperating_departments": [world.department_b],
            "due_date": DUE,
        },
        actor=world.owner_x,
    )

    assert notified_since(mark, "problem_raised") == {"staff_a", "staff_b", *OFFICE}


@pytest.mark.parametrize("days", [-1, -30])
def test_a_problem_cannot_be_due_before_the_day_it_is_raised(world, days):
    before = (Problem.objects.count(), footprint())

    with pytest.raises(ValidationError) as refused:
        services.raise_problem(
            world.project_x,
            {
                "title": "用电指标不足",
                "description": "—",
                "category": Category.UTILITIES,
                "lead_department": world.department_a,
                "due_date": world.today + timedelta(days=days),
            },
            actor=world.coordinator,
        )

    assert list(refused.value.message_dict) == ["due_date"]
    assert (Problem.objects.count(), footprint()) == before


def test_a_problem_may_be_due_the_day_it_is_raised(world):
    problem = services.raise_problem(
        world.project_y,
        {
            "title": "施工用水",
            "description": "—",
            "category": Category.UTILITIES,
            "lead_department": world.department_b,
            "due_date": world.today,
        },
        actor=world.coordinator,
    )

    assert problem.due_date == problem.raised_on == world.today


def test_editing_a_problem_logs_before_and_after_and_notes_it_on_the_timeline(world):
    problem = world.problem_x

    services.edit_problem(
        problem,
        {"due_date": DUE + timedelta(days=10), "level": "city"},
        version=problem.version,
        actor=world.coordinator,
    )

    change = changes_of(problem).filter(action=ChangeAction.UPDATE).get()
    assert (change.before["due_date"], change.after["due_date"]) == ("2026-06-30", "2026-07-10")
    assert (change.before["level"], change.after["level"]) == ("zone", "city")
    assert problem.entries.last().kind == EntryKind.EDIT
    assert problem.version == 2


def test_editing_a_problem_tells_only_the_departments_newly_given_it(world):
    mark = newest_pk(Notification)

    services.edit_problem(
        world.problem_x,
        {"cooperating_departments": [world.department_b]},
        version=world.problem_x.version,
        actor=world.coordinator,
    )

    assert notified_since(mark, "problem_assigned") == {"staff_b"}


def test_a_problems_due_date_cannot_be_moved_before_the_day_it_was_raised(world):
    problem = world.problem_x

    with pytest.raises(ValidationError) as refused:
        services.edit_problem(
            problem,
            {"due_date": problem.raised_on - timedelta(days=1)},
            version=problem.version,
            actor=world.coordinator,
        )

    assert list(refused.value.message_dict) == ["due_date"]
    problem.refresh_from_db()
    assert (problem.due_date, problem.version) == (DUE, 1)


# --- Moving problems -------------------------------------------------------------------------

P = ProblemStatus
PROBLEM_MOVES = [
    # from, to, who is told (besides the actor, the coordinator)
    (P.OPEN, P.IN_PROGRESS, set()),
    (P.OPEN, P.RESOLVED, {"admin"}),
    (P.IN_PROGRESS, P.RESOLVED, {"admin"}),
    (P.RESOLVED, P.CLOSED, {"staff_a", "staff_b"}),
    (P.RESOLVED, P.OPEN, {"staff_a", "staff_b"}),
    (P.CLOSED, P.OPEN, {"staff_a", "staff_b"}),
]
ALL_PROBLEM_PAIRS = [(a, b) for a in ProblemStatus for b in ProblemStatus]
REFUSED_PROBLEM_MOVES = sorted(set(ALL_PROBLEM_PAIRS) - {(a, b) for a, b, _ in PROBLEM_MOVES})


def test_the_tables_cover_every_pair_of_problem_statuses():
    assert len(PROBLEM_MOVES) + len(REFUSED_PROBLEM_MOVES) == len(ALL_PROBLEM_PAIRS)


@pytest.mark.parametrize(
    ("before", "after", "told"), [pytest.param(*m, id=f"{m[0]} to {m[1]}") for m in PROBLEM_MOVES]
)
def test_a_problem_may_move(world, before, after, told):
    problem = put(world.problem_x, before)
    problem.cooperating_departments.set([world.department_b])
    mark = newest_pk(Notification)

    entry = services.transition_problem(
        problem,
        after,
        actor=world.coordinator,
        version=problem.version,
        text="说明",
        resolution="已调整控规，指标落实。",
    )

    problem.refresh_from_db()
    assert problem.status == after
    assert problem.version == 2
    assert problem.last_activity_at == timezone.now()
    assert (entry.kind, entry.from_status, entry.to_status) == (EntryKind.TRANSITION, before, after)
    assert (entry.author, entry.organisation, entry.text) == (
        world.coordinator,
        world.office,
        "说明",
    )
    change = changes_of(problem).filter(action=ChangeAction.UPDATE).get()
    assert change.actor == world.coordinator
    assert (change.before["status"], change.after["status"]) == (before, after)
    assert notified_since(mark) == told


@pytest.mark.parametrize(
    ("before", "after"), [pytest.param(*m, id=f"{m[0]} to {m[1]}") for m in REFUSED_PROBLEM_MOVES]
)
def test_a_problem_may_not_move(world, before, after):
    problem = put(world.problem_x, before)
    written = footprint()

    with translation.override("en"):
        expected = f"A problem cannot go from “{P(before).label}” to “{P(after).label}”."
        with pytest.raises(ValidationError) as refused:
            services.transition_problem(
                problem, after, actor=world.coordinator, text="说明", resolution="已解决"
            )

    assert refused.value.messages == [expected]
    problem.refresh_from_db()
    assert (problem.status, problem.version) == (before, 1)
    assert footprint() == written


@pytest.mark.parametrize("resolution", ["", "   \n "])
def test_resolving_needs_a_resolution(world, resolution):
    written = footprint()

    with pytest.raises(ValidationError) as refused:
        services.transition_problem(
            world.problem_x, P.RESOLVED, actor=world.staff_a, resolution=resolution
        )

    assert list(refused.value.message_dict) == ["resolution"]
    assert footprint() == written


def test_resolving_records_the_resolution_the_root_cause_and_the_day(world):
    problem = world.problem_x

    services.transition_problem(
        problem,
        P.RESOLVED,
        actor=world.staff_a,
        resolution="  通过控规调整落实指标。 ",
        root_cause="土地利用总体规划未预留",
    )

    problem.refresh_from_db()
    assert problem.resolution == "通过控规调整落实指标。"
    assert problem.root_cause == "土地利用总体规划未预留"
    assert problem.resolved_on == world.today


@pytest.mark.parametrize("reason", ["", "  "])
def test_reopening_needs_a_reason(world, reason):
    problem = put(world.problem_x, P.CLOSED)

    with pytest.raises(ValidationError) as refused:
        services.transition_problem(problem, P.OPEN, actor=world.coordinator, text=reason)

    assert list(refused.value.message_dict) == ["text"]
    problem.refresh_from_db()
    assert problem.status == P.CLOSED


def test_closing_and_reopening_set_and_clear_the_days(world, clock):
    problem = world.problem_x
    services.transition_problem(problem, P.RESOLVED, actor=world.staff_a, resolution="已解决")
    clock.advance(days=2)
    services.transition_problem(problem, P.CLOSED, actor=world.coordinator)
    assert (problem.resolved_on, problem.closed_on) == (
        world.today,
        world.today + timedelta(days=2),
    )

    services.transition_problem(problem, P.OPEN, actor=world.coordinator, text="指标仍未下达")

    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on, problem.closed_on) == (P.OPEN, None, None)
    assert [e.to_status for e in problem.entries.filter(kind=EntryKind.TRANSITION)] == [
        P.RESOLVED,
        P.CLOSED,
        P.OPEN,
    ]


# --- Updates and instructions ----------------------------------------------------------------


def test_an_update_is_a_dated_entry_by_its_author_and_tells_the_departments(world, clock):
    problem = world.problem_x
    problem.cooperating_departments.set([world.department_b])
    clock.advance(days=1)
    mark = newest_pk(Notification)

    entry = services.add_problem_update(problem, "  已上报市局审批。 ", actor=world.staff_a)

    assert (entry.kind, entry.text, entry.author, entry.organisation) == (
        EntryKind.UPDATE,
        "已上报市局审批。",
        world.staff_a,
        world.department_a,
    )
    assert entry.created_at == clock.now
    problem.refresh_from_db()
    assert problem.last_activity_at == clock.now
    assert notified_since(mark, "problem_update") == {"staff_b"}


def test_a_leaders_instruction_is_an_entry_of_its_own_and_tells_the_departments(world):
    mark = newest_pk(Notification)

    entry = services.add_problem_update(
        world.problem_x, "请资规局本周内拿出方案。", actor=world.leader, instruction=True
    )

    assert (entry.kind, entry.author, entry.organisation) == (
        EntryKind.INSTRUCTION,
        world.leader,
        world.leadership,
    )
    assert notified_since(mark, "problem_instruction") == {"staff_a"}


def test_an_empty_update_is_refused(world):
    written = footprint()

    with pytest.raises(ValidationError) as refused:
        services.add_problem_update(world.problem_x, " \n ", actor=world.staff_a)

    assert list(refused.value.message_dict) == ["text"]
    assert footprint() == written


@pytest.mark.parametrize("status", [P.RESOLVED, P.CLOSED])
def test_a_finished_problem_takes_no_updates(world, status):
    problem = put(world.problem_x, status)
    written = footprint()

    with pytest.raises(ValidationError):
        services.add_problem_update(problem, "补充说明", actor=world.coordinator)

    assert footprint() == written


# --- Action items ----------------------------------------------------------------------------


def test_assigning_an_action_item_records_it_and_tells_the_departments(world):
    mark = newest_pk(Notification)

    item = services.assign_action_item(
        {
            "title": "协调电力接入",
            "project": world.project_x,
            "lead_department": world.department_a,
            "cooperating_departments": [world.department_b],
            "due_date": DUE,
        },
        actor=world.coordinator,
    )

    [entry] = item.entries.all()
    assert (entry.kind, entry.author, entry.organisation) == (
        EntryKind.ASSIGNED,
        world.coordinator,
        world.office,
    )
    assert (item.source, item.assigned_by, item.assigned_on, item.status) == (
        ActionSource.OFFICE,
        world.coordinator,
        world.today,
        ActionStatus.ASSIGNED,
    )
    assert changes_of(item).get().action == ChangeAction.CREATE
    assert notified_since(mark, "action_assigned") == {"staff_a", "staff_b"}


def test_an_action_item_a_leader_assigns_says_so(world):
    item = services.assign_action_item(
        {"title": "研究解决融资问题", "lead_department": world.department_b, "due_date": DUE},
        actor=world.leader,
    )

    assert item.source == ActionSource.LEADER


def test_an_action_item_for_a_problem_belongs_to_the_problems_project(world):
    """Assigned for problem X without naming the project, it is still project X's: owner
    X sees it, and escalation goes to project X's responsible leader."""
    item = services.assign_action_item(
        {"title": "提供用地指标测算", "problem": world.problem_x,
         "lead_department": world.department_b, "due_date": DUE},
        actor=world.leader,
    )  # fmt: skip

    assert item.project == world.project_x
    assert changes_of(item).get().related_id == world.project_x.pk
    assert access.visible_action_items(world.owner_x).filter(pk=item.pk).exists()


def test_an_action_item_cannot_be_due_before_it_is_assigned(world):
    count = ActionItem.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.assign_action_item(
            {
                "title": "补办手续",
                "lead_department": world.department_a,
                "due_date": world.today - timedelta(days=1),
            },
            actor=world.coordinator,
        )

    assert list(refused.value.message_dict) == ["due_date"]
    assert ActionItem.objects.count() == count


def test_an_action_item_cannot_link_a_problem_of_another_project(world):
    with pytest.raises(ValidationError) as refused:
        services.assign_action_item(
            {
                "title": "协调",
                "project": world.project_x,
                "problem": world.problem_y,
                "lead_department": world.department_a,
                "due_date": DUE,
            },
            actor=world.coordinator,
        )

    assert list(refused.value.message_dict) == ["problem"]


A = ActionStatus
ACTION_MOVES = [
    # from, to, who is told (the actor is the lead department's staff_a or the coordinator)
    (A.ASSIGNED, A.ACKNOWLEDGED, "staff_a", set()),
    (A.ASSIGNED, A.CANCELLED, "coordinator", set()),
    (A.ACKNOWLEDGED, A.SUBMITTED, "staff_a", OFFICE),
    (A.ACKNOWLEDGED, A.CANCELLED, "coordinator", set()),
    (A.SUBMITTED, A.DONE, "coordinator", {"staff_a", "staff_b"}),
    (A.SUBMITTED, A.ACKNOWLEDGED, "coordinator", {"staff_a"}),  # returned for rework
]
ALL_ACTION_PAIRS = [(a, b) for a in ActionStatus for b in ActionStatus]
REFUSED_ACTION_MOVES = sorted(set(ALL_ACTION_PAIRS) - {(a, b) for a, b, *_ in ACTION_MOVES})


def test_the_tables_cover_every_pair_of_action_statuses():
    assert len(ACTION_MOVES) + len(REFUSED_ACTION_MOVES) == len(ALL_ACTION_PAIRS)


@pytest.mark.parametrize(
    ("before", "after", "actor", "told"),
    [pytest.param(*m, id=f"{m[0]} to {m[1]}") for m in ACTION_MOVES],
)
def test_an_action_item_may_move(world, before, after, actor, told):
    item = put(world.item_a, before)
    item.cooperating_departments.set([world.department_b])
    actor = getattr(world, actor)
    mark = newest_pk(Notification)

    entry = services.move_action_item(item, after, actor=actor, version=item.version, text="已办理")

    item.refresh_from_db()
    assert (item.status, item.version) == (after, 2)
    assert (entry.kind, entry.from_status, entry.to_status, entry.text) == (
        EntryKind.TRANSITION,
        before,
        after,
        "已办理",
    )
    assert (entry.author, entry.organisation) == (actor, actor.organisation)
    change = changes_of(item).filter(action=ChangeAction.UPDATE).get()
    assert (change.actor, change.before["status"], change.after["status"]) == (
        actor,
        before,
        after,
    )
    assert item.completed_on == (world.today if after == A.DONE else None)
    assert notified_since(mark) == told


@pytest.mark.parametrize(
    ("before", "after"), [pytest.param(*m, id=f"{m[0]} to {m[1]}") for m in REFUSED_ACTION_MOVES]
)
def test_an_action_item_may_not_move(world, before, after):
    item = put(world.item_a, before)
    written = footprint()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.move_action_item(item, after, actor=world.coordinator, text="说明")

    assert refused.value.messages[0].startswith(
        "An action item cannot" if after == A.ASSIGNED else "A action item cannot go from"
    )

    item.refresh_from_db()
    assert (item.status, item.version) == (before, 1)
    assert footprint() == written


def test_acknowledging_twice_is_refused(world):
    item = world.item_a
    services.acknowledge(item, actor=world.staff_a)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.acknowledge(item, actor=world.staff_a)

    assert refused.value.messages == ["A action item cannot go from “in hand” to “in hand”."]
    assert item.entries.filter(to_status=A.ACKNOWLEDGED).count() == 1


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (A.ACKNOWLEDGED, lambda item, w: services.submit_result(item, " ", actor=w.staff_a)),
        (A.SUBMITTED, lambda item, w: services.return_for_rework(item, "", actor=w.coordinator)),
        (A.ASSIGNED, lambda item, w: services.cancel(item, "", actor=w.coordinator)),
    ],
    ids=["submitting without saying what was done", "returning without a reason",
         "cancelling without a reason"],
)  # fmt: skip
def test_a_move_that_needs_words_is_refused_without_them(world, status, move):
    item = put(world.item_a, status)
    written = footprint()

    with pytest.raises(ValidationError) as refused:
        move(item, world)

    assert list(refused.value.message_dict) == ["text"]
    item.refresh_from_db()
    assert item.status == status
    assert footprint() == written


def test_an_action_item_cannot_be_moved_back_to_assigned(world):
    with pytest.raises(ValidationError) as refused:
        services.move_action_item(world.item_a, A.ASSIGNED, actor=world.coordinator)

    assert list(refused.value.message_dict) == ["to_status"]


def test_the_whole_round_trip_is_told_on_the_timeline(world, clock):
    item, w = world.item_a, world
    item.cooperating_departments.set([w.department_b])

    services.acknowledge(item, actor=w.staff_a, text="我局领办")
    clock.advance(days=1)
    services.give_feedback(item, "已对接市局", actor=w.staff_a)
    services.give_feedback(item, "配合提供审批材料", actor=w.staff_b)
    services.submit_result(item, "指标已下达", actor=w.staff_a)
    services.return_for_rework(item, "缺少批复文件", actor=w.coordinator)
    services.submit_result(item, "已补充批复文件", actor=w.staff_a)
    clock.advance(days=1)
    services.accept(item, actor=w.coordinator)

    entries = list(item.entries.select_related("author"))
    assert [(e.kind, e.author.username, e.to_status) for e in entries] == [
        (EntryKind.ASSIGNED, "coordinator", ""),
        (EntryKind.TRANSITION, "staff_a", A.ACKNOWLEDGED),
        (EntryKind.FEEDBACK, "staff_a", ""),
        (EntryKind.FEEDBACK, "staff_b", ""),
        (EntryKind.TRANSITION, "staff_a", A.SUBMITTED),
        (EntryKind.TRANSITION, "coordinator", A.ACKNOWLEDGED),
        (EntryKind.TRANSITION, "staff_a", A.SUBMITTED),
        (EntryKind.TRANSITION, "coordinator", A.DONE),
    ]
    assert entries[5].text == "缺少批复文件"
    assert entries[3].organisation == w.department_b
    item.refresh_from_db()
    assert (item.status, item.completed_on, item.version) == (
        A.DONE,
        w.today + timedelta(days=2),
        6,
    )


def test_feedback_resets_the_silence(world, clock):
    clock.advance(days=10)

    services.give_feedback(world.item_a, "正在办理", actor=world.staff_a)

    world.item_a.refresh_from_db()
    assert world.item_a.last_activity_at == clock.now


@pytest.mark.parametrize("status", [A.DONE, A.CANCELLED])
def test_a_finished_action_item_takes_no_feedback(world, status):
    item = put(world.item_a, status)
    written = footprint()

    with pytest.raises(ValidationError):
        services.give_feedback(item, "补充反馈", actor=world.staff_a)

    assert footprint() == written


def test_feedback_without_words_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.give_feedback(world.item_a, "", actor=world.staff_a)

    assert list(refused.value.message_dict) == ["text"]
