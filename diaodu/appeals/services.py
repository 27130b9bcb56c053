"""Every write to enterprise requests: atomic, with ``actor=``, a timeline entry the owner
sees, a change-log row and notifications to whoever must act next (raised → the office;
triaged, answered, finished → the owner's organisation)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diaodu.appeals.choices import AppealEntryKind, AppealStatus
from diaodu.appeals.models import Appeal, AppealEntry
from diaodu.core import services as core
from diaodu.core.attachments import attach
from diaodu.notifications.messages import message
from diaodu.notifications.services import notify
from diaodu.problems import services as problems
from diaodu.problems.choices import ProblemStatus
from diaodu.problems.models import OPEN_PROBLEM, Problem


def triage_due(raised_on):
    return raised_on + timedelta(days=settings.DIAODU_APPEAL_TRIAGE_DAYS)


def _entry(appeal, kind, *, actor, text="", from_status="", to_status="", files=()):
    entry = AppealEntry.objects.create(
        appeal=appeal,
        kind=kind,
        author=actor,
        organisation=actor.organisation,
        text=text,
        from_status=from_status,
        to_status=to_status,
    )
    attach(entry, files, actor=actor)
    return entry


def _tell_owner(appeal, event, title, *, actor, body=""):
    notify(
        event=event,
        title=message(title, title=appeal),
        body=body,
        url=appeal.get_absolute_url(),
        organisations=[appeal.project.owner],
        actor=actor,
    )


@transaction.atomic
def raise_appeal(project, data: dict, *, actor, files=()) -> Appeal:
    data = dict(data)
    # Now, unless the request was received earlier (on paper, by telephone).
    raised_at = data.pop("raised_at", None) or timezone.now()
    appeal = core.create(
        actor,
        Appeal,
        data,
        related=project,
        project=project,
        raised_by=actor,
        raised_at=raised_at,
        triage_due=triage_due(timezone.localdate(raised_at)),
    )
    _entry(appeal, AppealEntryKind.RAISED, actor=actor, text=appeal.description, files=files)
    notify(
        event="appeal_raised",
        title=message(
            gettext_noop("Enterprise request on %(project)s: %(title)s"),
            project=project,
            title=appeal,
        ),
        body=appeal.description,
        url=appeal.get_absolute_url(),
        organisations=problems.office(),
        actor=actor,
    )
    return appeal


def _lock_for_triage(appeal, version) -> None:
    """Refuse to decide on a request someone else has changed or already decided on. A
    stale version is a conflict before anything else, as for problems: the user chose
    from a state that is gone."""
    current = Appeal._base_manager.select_for_update().get(pk=appeal.pk)
    if current.version != version:
        raise core.Conflict(current)
    if not current.awaits_triage:
        raise ValidationError(_("This request has already been triaged."))


def _triage(appeal, kind, to_status, *, actor, version, changes: dict, text=""):
    """Record the office's decision on a request locked by ``_lock_for_triage``."""
    core.update_versioned(
        actor,
        appeal,
        {"status": to_status, "triaged_by": actor, "triaged_at": timezone.now(), **changes},
        version,
        related=appeal.project,
    )
    return _entry(
        appeal, kind, actor=actor, text=text, from_status=AppealStatus.RAISED, to_status=to_status
    )


@transaction.atomic
def accept_appeal(appeal: Appeal, problem_data: dict, *, actor, version: int, text="") -> Problem:
    """Turn the request into a problem for the departments: the office gives the lead and
    cooperating departments, due date and level; the request's words are the problem's."""
    _lock_for_triage(appeal, version)
    data = {
        "title": appeal.title,
        "description": appeal.description,
        "category": appeal.category,
        **problem_data,
    }
    problem = problems.raise_problem(appeal.project, data, actor=actor)
    entry = _triage(
        appeal,
        AppealEntryKind.ACCEPTED,
        AppealStatus.ACCEPTED,
        actor=actor,
        version=version,
        text=text.strip(),
        changes={"problem": problem},
    )
    _tell_owner(
        appeal,
        "appeal_accepted",
        gettext_noop("Your request is now a problem for the departments: %(title)s"),
        actor=actor,
        body=entry.text,
    )
    return problem


@transaction.atomic
def merge_appeal(appeal: Appeal, problem: Problem, *, actor, version: int, text="") -> Problem:
    """Join the request to an open problem of the same project: it follows that problem,
    whose departments hear of the enterprise's words as an update."""
    if problem.project_id != appeal.project_id:
        raise ValidationError({"problem": _("This problem belongs to another project.")})
    if problem.status not in OPEN_PROBLEM:
        raise ValidationError(
            {"problem": _("Only an open problem can take a request; this one is finished.")}
        )
    _lock_for_triage(appeal, version)
    _triage(
        appeal,
        AppealEntryKind.MERGED,
        AppealStatus.MERGED,
        actor=actor,
        version=version,
        text=text.strip(),
        changes={"problem": problem},
    )
    problems.add_problem_update(
        problem,
        _("Enterprise request merged into this problem: %(title)s\n%(description)s")
        % {"title": appeal.title, "description": appeal.description},
        actor=actor,
    )
    _tell_owner(
        appeal,
        "appeal_merged",
        gettext_noop("Your request joins a problem already being worked on: %(title)s"),
        actor=actor,
        body=text.strip(),
    )
    return problem


@transaction.atomic
def answer_appeal(appeal: Appeal, answer: str, *, actor, version: int) -> AppealEntry:
    """Answer the request in writing and close it: the owner may then rate the answer."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the enterprise.")})
    _lock_for_triage(appeal, version)
    entry = _triage(
        appeal,
        AppealEntryKind.ANSWERED,
        AppealStatus.ANSWERED,
        actor=actor,
        version=version,
        text=answer,
        changes={"answer": answer, "finished_at": timezone.now()},
    )
    _tell_owner(
        appeal,
        "appeal_answered",
        gettext_noop("Your request was answered: %(title)s"),
        actor=actor,
        body=answer,
    )
    return entry


@transaction.atomic
def rate_appeal(appeal: Appeal, rating: int, comment="", *, actor) -> AppealEntry:
    """The owner's satisfaction with the answer (1–5), once."""
    current = Appeal._base_manager.select_for_update().get(pk=appeal.pk)
    if current.rating is not None:
        raise ValidationError(_("This request has already been rated."))
    if current.finished_at is None:
        raise ValidationError(
            _("A request can be rated once it is answered or its problem is closed.")
        )
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose a satisfaction from 1 to 5.")})
    comment = comment.strip()
    core.update_versioned(
        actor,
        appeal,
        {"rating": rating, "rating_comment": comment, "rated_at": timezone.now()},
        current.version,
        related=appeal.project,
    )
    # The satisfaction is named on the timeline in each reader's language (``rating_label``):
    # the entry keeps only the owner's own words.
    entry = _entry(appeal, AppealEntryKind.RATED, actor=actor, text=comment)
    notify(
        event="appeal_rated",
        title=message(
            gettext_noop("Request rated %(rating)s of 5: %(title)s"), rating=rating, title=appeal
        ),
        body=comment,
        url=appeal.get_absolute_url(),
        organisations=problems.office(),
        actor=actor,
    )
    return entry


def follow_problem(problem: Problem, from_status: str, *, actor) -> None:
    """Keep the requests that became ``problem`` (or joined it) in step with it: its
    closing is their end, which the owner hears of and may rate; reopening takes the end
    back (a rating already given stays)."""
    closed = problem.status == ProblemStatus.CLOSED
    reopened = from_status == ProblemStatus.CLOSED and not closed
    if not closed and not reopened:
        return
    appeals = list(
        Appeal.objects.filter(problem=problem).select_related("project__owner").order_by("pk")
    )
    for appeal in appeals:
        core.update_versioned(
            actor,
            appeal,
            {"finished_at": timezone.now() if closed else None},
            appeal.version,
            related=appeal.project,
        )
        if closed:
            _entry(appeal, AppealEntryKind.PROBLEM_CLOSED, actor=actor, text=problem.resolution)
            _tell_owner(
                appeal,
                "appeal_closed",
                gettext_noop(
                    "The problem from your request is closed; please rate the answer: %(title)s"
                ),
                actor=actor,
                body=problem.resolution,
            )
        else:
            _entry(appeal, AppealEntryKind.PROBLEM_REOPENED, actor=actor)
