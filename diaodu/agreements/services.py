"""Every write to agreements, commitments and fulfilment records: atomic, with ``actor=``
and a change-log row on the agreement's history; and the daily check that turns broken
commitments into a problem (a department's) or a notice to the office (an enterprise's)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from diaodu.agreements import derived, fulfilment
from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core import services as core
from diaodu.core.attachments import attach
from diaodu.notifications.messages import in_each_language, message
from diaodu.notifications.services import notify
from diaodu.problems.choices import Category
from diaodu.problems.services import office, raise_problem


@transaction.atomic
def create_agreement(project, data: dict, *, actor, files=()) -> Agreement:
    agreement = core.create(
        actor, Agreement, dict(data), related=project, project=project, recorded_by=actor
    )
    attach(agreement, files, actor=actor)
    return agreement


@transaction.atomic
def edit_agreement(agreement: Agreement, changes: dict, *, version: int, actor, files=()):
    core.update_versioned(actor, agreement, changes, version, related=agreement.project)
    attach(agreement, files, actor=actor)
    return agreement


@transaction.atomic
def add_commitment(agreement: Agreement, data: dict, *, actor) -> Commitment:
    commitment = core.create(actor, Commitment, dict(data), related=agreement, agreement=agreement)
    # Its fulfilment was stored through another instance (``derived``).
    commitment.refresh_from_db(fields=derived.FIELDS)
    return commitment


@transaction.atomic
def edit_commitment(commitment: Commitment, changes: dict, *, version: int, actor):
    core.update_versioned(actor, commitment, changes, version, related=commitment.agreement)
    commitment.refresh_from_db(fields=derived.FIELDS)
    return commitment


@transaction.atomic
def record_fulfilment(commitment: Commitment, data: dict, *, actor, files=()):
    """A fulfilment of a hand-measured commitment, with its evidence."""
    if commitment.measure != Measure.MANUAL:
        raise ValidationError(
            _("This commitment is measured by %(measure)s; record that instead.")
            % {"measure": commitment.get_measure_display()}
        )
    if not files:
        raise ValidationError({"files": _("Attach the evidence (a scan, a photo, a document).")})
    record = core.create(
        actor,
        FulfilmentRecord,
        dict(data),
        related=commitment.agreement,
        commitment=commitment,
        recorded_by=actor,
    )
    attach(record, files, actor=actor)
    return record


# --- the daily check --------------------------------------------------------------------

PROBLEM_CATEGORIES = {
    CommitmentKind.LAND_DELIVERY: Category.LAND,
    CommitmentKind.APPROVAL: Category.APPROVAL,
    CommitmentKind.UTILITIES: Category.UTILITIES,
    CommitmentKind.INCENTIVE: Category.FUNDING,
}


@dataclass
class CheckRun:
    today: date
    problems: list = field(default_factory=list)
    flagged: list = field(default_factory=list)


def broken_unhandled(today: date):
    """Commitments that may be broken on ``today`` and are not yet turned into a problem
    (a department's) or a notice to the office (an enterprise's): broken as stored, or
    whose state may have changed by ``today`` (``check_commitments`` judges them)."""
    department = Q(side=Side.DEPARTMENT)
    return (
        Commitment.objects.filter(Q(fulfilment=Fulfilment.BROKEN) | Q(state_changes_on__lte=today))
        .filter((department & Q(problem__isnull=True)) | (~department & Q(flagged_on__isnull=True)))
        .select_related(
            "agreement__project",
            "agreement__enterprise",
            "agreement__recorded_by",
            "department",
            "milestone_kind",
        )
    )


def _explained(commitment: Commitment, today: date) -> dict:
    """The reason and evidence in each reader's language (the assessment speaks the
    active one)."""
    facts = fulfilment.stored_facts(commitment)

    def reassess():
        return fulfilment.assess(commitment, facts, today)

    return {
        "reason": in_each_language(lambda: reassess().reason),
        "evidence": in_each_language(lambda: reassess().evidence),
    }


def _open_problem(commitment: Commitment, today: date):
    agreement = commitment.agreement
    values = {
        "commitment": commitment,
        "agreement": agreement.number,
        **_explained(commitment, today),
    }
    problem = raise_problem(
        agreement.project,
        {
            "title": _("Commitment not kept: %(commitment)s") % values,
            "description": _(
                "Agreement %(agreement)s: “%(commitment)s” is broken (%(reason)s; %(evidence)s)."
            )
            % values,
            "category": PROBLEM_CATEGORIES.get(commitment.kind, Category.OTHER),
            "lead_department": commitment.department,
            "raised_on": today,
            "due_date": today + timedelta(days=settings.DIAODU_COMMITMENT_PROBLEM_DAYS),
        },
        # The office raises it, in the name of whoever recorded the agreement.
        actor=agreement.recorded_by,
    )
    core.update(agreement.recorded_by, commitment, {"problem": problem}, related=agreement)
    return problem


def _flag(commitment: Commitment, today: date):
    agreement = commitment.agreement
    values = {
        "enterprise": agreement.enterprise,
        "commitment": commitment,
        "agreement": agreement.number,
        **_explained(commitment, today),
        "remedy": commitment.remedy or message(gettext_noop("none agreed")),
    }
    notify(
        event="commitment_broken",
        title=message(
            gettext_noop("%(enterprise)s has not kept a commitment: %(commitment)s"), **values
        ),
        body=message(
            gettext_noop(
                "Agreement %(agreement)s: %(reason)s; %(evidence)s.\nAgreed remedy: %(remedy)s"
            ),
            **values,
        ),
        url=commitment.get_absolute_url(),
        organisations=office(),
    )
    core.update(None, commitment, {"flagged_on": today}, related=agreement)


@transaction.atomic
def check_commitments(today: date, *, dry_run: bool = False) -> CheckRun:
    """Open one problem per broken department commitment and tell the office once about
    each broken enterprise commitment. Idempotent: what was done is recorded on the
    commitment (``problem``, ``flagged_on``), and only what is not is done."""
    run = CheckRun(today)
    with override(settings.LANGUAGE_CODE):
        # Locked so that two runs at once cannot both open a problem for one commitment.
        for commitment in broken_unhandled(today).select_for_update(of=("self",)):
            facts = fulfilment.stored_facts(commitment)
            if fulfilment.assess(commitment, facts, today).state != Fulfilment.BROKEN:
                continue
            if commitment.is_department:
                run.problems.append(commitment)
                if not dry_run:
                    _open_problem(commitment, today)
            else:
                run.flagged.append(commitment)
                if not dry_run:
                    _flag(commitment, today)
    return run
