"""Every write to problems and action items: atomic, with ``actor=``, a timeline entry,
a change-log row and notifications to whoever must act next."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diaodu.core import derived
from diaodu.core import services as core
from diaodu.core.attachments import attach
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.messages import message
from diaodu.notifications.services import emit, notify
from diaodu.org.models import Organisation
from diaodu.problems.choices import ActionSource, ActionStatus, EntryKind, ProblemStatus
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry

# from-status → statuses it may move to, in the order pages offer the moves (tuples, not
# sets: a set's order changes from one process to the next, and so would the buttons).
PROBLEM_FLOW = {
    ProblemStatus.OPEN: (ProblemStatus.IN_PROGRESS, ProblemStatus.RESOLVED),
    ProblemStatus.IN_PROGRESS: (ProblemStatus.RESOLVED,),
    ProblemStatus.RESOLVED: (ProblemStatus.CLOSED, ProblemStatus.OPEN),
    ProblemStatus.CLOSED: (ProblemStatus.OPEN,),
}
ACTION_FLOW = {
    ActionStatus.ASSIGNED: (ActionStatus.ACKNOWLEDGED, ActionStatus.CANCELLED),
    ActionStatus.ACKNOWLEDGED: (ActionStatus.SUBMITTED, ActionStatus.CANCELLED),
    ActionStatus.SUBMITTED: (ActionStatus.DONE, ActionStatus.ACKNOWLEDGED),
    ActionStatus.DONE: (),
    ActionStatus.CANCELLED: (),
}


# Called as ``follower(problem, from_status, actor=...)`` after every status change, in the
# same transaction: apps whose objects hang on a problem (an enterprise's request) register
# one to follow it, so this module need not know them.
_FOLLOWERS: list[Callable] = []


def register_problem_follower(follower: Callable) -> None:
    _FOLLOWERS.append(follower)


def office() -> list[Organisation]:
    return list(Organisation.objects.office())


def _departments(item) -> list[Organisation]:
    return [item.lead_department, *item.cooperating_departments.all()]


def _entry(item, kind, *, actor, text="", from_status="", to_status="", files=()):
    model, link = (
        (ProblemEntry, "problem")
        if isinstance(item, Problem)
        else (
            ActionItemEntry,
            "action_item",
        )
    )
    entry = model.objects.create(
        **{link: item},
        kind=kind,
        author=actor,
        organisation=actor.organisation,
        text=text,
        from_status=from_status,
        to_status=to_status,
    )
    attach(entry, files, actor=actor)
    # Every write records an entry, after changing the item: its light is stored here.
    derived.changed(item)
    item.refresh_from_db(fields=["light", "state_changes_on"])
    return entry


def _touch(item):
    """Record that someone worked on the item: it resets the "silent" yellow light."""
    item.last_activity_at = timezone.now()
    type(item).objects.filter(pk=item.pk).update(last_activity_at=item.last_activity_at)


def _move(item, to_status, flow, *, actor, version, text="", changes=None):
    # A stale version is a conflict before anything else: the user chose this move from a
    # state that is gone, so "someone else changed this" is the true answer, not "this
    # move is impossible" (which it may only have become since).
    expected = version if version is not None else item.version
    current = type(item)._base_manager.select_for_update().get(pk=item.pk)
    if current.version != expected:
        raise core.Conflict(current)
    if to_status not in flow[item.status]:
        labels = dict(type(item)._meta.get_field("status").flatchoices)
        raise ValidationError(
            _("A %(kind)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "kind": item._meta.verbose_name,
                "from": labels[item.status],
                "to": labels[to_status],
            }
        )
    from_status = item.status
    core.update_versioned(
        actor,
        item,
        {"status": to_status, "last_activity_at": timezone.now(), **(changes or {})},
        expected,
        related=getattr(item, "project", None),
    )
    derived.changed(item)
    return _entry(
        item,
        EntryKind.TRANSITION,
        actor=actor,
        text=text,
        from_status=from_status,
        to_status=to_status,
    )


# --- problems -------------------------------------------------------------------------


@transaction.atomic
def raise_problem(project, data: dict, *, actor, files=()) -> Problem:
    problem = core.create(
        actor, Problem, dict(data), related=project, project=project, raised_by=actor
    )
    derived.changed(problem)
    _entry(problem, EntryKind.RAISED, actor=actor, text=problem.description, files=files)
    notify(
        event="problem_raised",
        title=message(
            gettext_noop("New problem on %(project)s: %(title)s"), project=project, title=problem
        ),
        body=problem.description,
        url=problem.get_absolute_url(),
        organisations=[*_departments(problem), *office()],
        actor=actor,
    )
    emit(WebhookEvent.PROBLEM_RAISED, problem, actor)
    return problem


@transaction.atomic
def edit_problem(problem: Problem, changes: dict, *, version: int, actor) -> Problem:
    # Who had it before, read from the database: a form has already put its new values on
    # ``problem``, and the new lead department would not be told.
    stored = Problem.objects.select_related("lead_department").get(pk=problem.pk)
    before = set(_departments(stored))
    core.update_versioned(actor, problem, changes, version, related=problem.project)
    derived.changed(problem)
    _entry(problem, EntryKind.EDIT, actor=actor)
    added = set(_departments(problem)) - before
    if added:
        notify(
            event="problem_assigned",
            title=message(gettext_noop("Problem assigned to you: %(title)s"), title=problem),
            url=problem.get_absolute_url(),
            organisations=added,
            actor=actor,
        )
    return problem


@transaction.atomic
def add_problem_update(problem: Problem, text: str, *, actor, files=(), instruction=False):
    if not problem.is_open:
        raise ValidationError(_("This problem is finished; reopen it to add updates."))
    if not text.strip() and not files:
        raise ValidationError({"text": _("Write the update or attach a file.")})
    _touch(problem)
    entry = _entry(
        problem,
        EntryKind.INSTRUCTION if instruction else EntryKind.UPDATE,
        actor=actor,
        text=text.strip(),
        files=files,
    )
    notify(
        event="problem_instruction" if instruction else "problem_update",
        title=message(
            gettext_noop("Instruction on %(title)s")
            if instruction
            else gettext_noop("Update on %(title)s"),
            title=problem,
        ),
        body=text,
        url=problem.get_absolute_url(),
        organisations=_departments(problem),
        actor=actor,
    )
    return entry


@transaction.atomic
def transition_problem(
    problem: Problem, to_status: str, *, actor, version=None, text="", resolution="", root_cause=""
):
    """Move a problem along open → in progress → resolved → closed, or reopen it."""
    changes = {}
    today = timezone.localdate()
    if to_status == ProblemStatus.RESOLVED:
        if not resolution.strip():
            raise ValidationError({"resolution": _("Say how the problem was resolved.")})
        changes = {"resolution": resolution.strip(), "resolved_on": today}
        if root_cause.strip():
            changes["root_cause"] = root_cause.strip()
    elif to_status == ProblemStatus.CLOSED:
        changes = {"closed_on": today}
    elif to_status == ProblemStatus.OPEN:
        if not text.strip():
            raise ValidationError({"text": _("Say why the problem is reopened.")})
        changes = {"resolved_on": None, "closed_on": None}
    entry = _move(
        problem, to_status, PROBLEM_FLOW, actor=actor, version=version, text=text, changes=changes
    )
    recipients = {
        ProblemStatus.RESOLVED: office(),
        ProblemStatus.OPEN: _departments(problem),
        ProblemStatus.CLOSED: _departments(problem),
    }.get(to_status, [])
    if recipients:
        notify(
            event=f"problem_{to_status}",
            title=message(
                gettext_noop("%(title)s: %(status)s"),
                title=problem,
                status=ProblemStatus(problem.status).label,
            ),
            body=resolution or text,
            url=problem.get_absolute_url(),
            organisations=recipients,
            actor=actor,
        )
    if to_status == ProblemStatus.RESOLVED:
        emit(WebhookEvent.PROBLEM_RESOLVED, problem, actor)
    for follower in _FOLLOWERS:
        follower(problem, entry.from_status, actor=actor)
    return entry


# --- action items ---------------------------------------------------------------------


@transaction.atomic
def assign_action_item(data: dict, *, actor, source=None) -> ActionItem:
    if source is None:
        source = ActionSource.LEADER if actor.is_leader else ActionSource.OFFICE
    data = dict(data)
    if data.get("problem") is not None and data.get("project") is None:
        # An item for a problem is about its project: the owner sees it and an escalation
        # goes to the project's responsible leader.
        data["project"] = data["problem"].project
    item = core.create(
        actor,
        ActionItem,
        data,
        related=data.get("project"),
        assigned_by=actor,
        source=source,
    )
    _entry(item, EntryKind.ASSIGNED, actor=actor, text=item.description)
    notify(
        event="action_assigned",
        title=message(
            gettext_noop("New assignment, due %(date)s: %(title)s"),
            title=item,
            date=item.due_date.isoformat(),
        ),
        body=item.description,
        url=item.get_absolute_url(),
        organisations=_departments(item),
        actor=actor,
    )
    return item


@transaction.atomic
def edit_action_item(item: ActionItem, changes: dict, *, version: int, actor) -> ActionItem:
    core.update_versioned(actor, item, changes, version, related=item.project)
    _entry(item, EntryKind.EDIT, actor=actor)
    return item


@transaction.atomic
def give_feedback(item: ActionItem, text: str, *, actor, files=()):
    """A lead or cooperating department reports what it has done (反馈)."""
    if not item.is_open:
        raise ValidationError(_("This action item is finished; no more feedback is taken."))
    if not text.strip():
        raise ValidationError({"text": _("Write the feedback.")})
    _touch(item)
    return _entry(item, EntryKind.FEEDBACK, actor=actor, text=text.strip(), files=files)


@transaction.atomic
def acknowledge(item: ActionItem, *, actor, version=None, text=""):
    """The lead department takes the item on (领办)."""
    return _move(
        item, ActionStatus.ACKNOWLEDGED, ACTION_FLOW, actor=actor, version=version, text=text
    )


@transaction.atomic
def submit_result(item: ActionItem, text: str, *, actor, version=None, files=()):
    """The lead department reports the item done, for the office to accept."""
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    entry = _move(
        item, ActionStatus.SUBMITTED, ACTION_FLOW, actor=actor, version=version, text=text.strip()
    )
    attach(entry, files, actor=actor)
    notify(
        event="action_submitted",
        title=message(gettext_noop("Result submitted for acceptance: %(title)s"), title=item),
        body=text,
        url=item.get_absolute_url(),
        organisations=office(),
        actor=actor,
    )
    return entry


@transaction.atomic
def accept(item: ActionItem, *, actor, version=None, text=""):
    """The office accepts the result (办结)."""
    entry = _move(
        item,
        ActionStatus.DONE,
        ACTION_FLOW,
        actor=actor,
        version=version,
        text=text,
        changes={"completed_on": timezone.localdate()},
    )
    notify(
        event="action_done",
        title=message(gettext_noop("Accepted as done: %(title)s"), title=item),
        url=item.get_absolute_url(),
        organisations=_departments(item),
        actor=actor,
    )
    return entry


@transaction.atomic
def return_for_rework(item: ActionItem, reason: str, *, actor, version=None):
    """The office sends the result back (退回重办), saying why."""
    if not reason.strip():
        raise ValidationError({"text": _("Say why the result is returned.")})
    entry = _move(
        item,
        ActionStatus.ACKNOWLEDGED,
        ACTION_FLOW,
        actor=actor,
        version=version,
        text=reason.strip(),
    )
    notify(
        event="action_returned",
        title=message(gettext_noop("Returned for rework: %(title)s"), title=item),
        body=reason,
        url=item.get_absolute_url(),
        organisations=[item.lead_department],
        actor=actor,
    )
    return entry


@transaction.atomic
def cancel(item: ActionItem, reason: str, *, actor, version=None):
    if not reason.strip():
        raise ValidationError({"text": _("Say why the item is cancelled.")})
    return _move(
        item, ActionStatus.CANCELLED, ACTION_FLOW, actor=actor, version=version, text=reason.strip()
    )


def move_action_item(item: ActionItem, to_status: str, *, actor, version=None, text="", files=()):
    """One entry point for every move, as pages and the API offer them: moving a submitted
    item back to "in hand" is returning it for rework."""
    if to_status == ActionStatus.ACKNOWLEDGED and item.status == ActionStatus.SUBMITTED:
        return return_for_rework(item, text, actor=actor, version=version)
    moves = {
        ActionStatus.ACKNOWLEDGED: lambda: acknowledge(
            item, actor=actor, version=version, text=text
        ),
        ActionStatus.SUBMITTED: lambda: submit_result(
            item, text, actor=actor, version=version, files=files
        ),
        ActionStatus.DONE: lambda: accept(item, actor=actor, version=version, text=text),
        ActionStatus.CANCELLED: lambda: cancel(item, text, actor=actor, version=version),
    }
    if to_status not in moves:
        raise ValidationError({"to_status": _("An action item cannot move to this status.")})
    return moves[to_status]()
