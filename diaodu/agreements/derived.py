"""A commitment's fulfilment, stored on the commitment (see ``diaodu.core.derived``).

The rule is ``fulfilment.assess``. Besides its verdict, the commitment keeps the facts the
verdict was reached from (the fulfilment date, the amount measured and its year), so a
list explains each row's reason without reading the milestones, reports and returns.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from diaodu.agreements import fulfilment
from diaodu.agreements.choices import Measure, Unit
from diaodu.agreements.models import Commitment
from diaodu.core.derived import StoredState, rewrite

FIELDS = ("fulfilment", "fulfilled_on", "measured", "measured_year", "state_changes_on")
BATCH = 500


def _stored(commitment, facts: fulfilment.Facts, today: date) -> dict:
    assessment = fulfilment.assess(commitment, facts, today)
    return {
        "fulfilment": assessment.state,
        "fulfilled_on": facts.met_on,
        "measured": facts.measured,
        "measured_year": facts.measured_year,
        "state_changes_on": assessment.changes_on,
    }


def refresh(commitments, today: date) -> int:
    """Recompute the fulfilment of ``commitments`` by ``fulfilment.assess`` and write the
    rows whose stored values differ, in batches of constant queries. Returns how many."""

    def verdicts(batch):
        facts = fulfilment.facts_for(batch)
        return (_stored(commitment, facts[commitment.pk], today) for commitment in batch)

    rows = commitments.select_related("agreement__project", "milestone_kind")
    return rewrite(rows, FIELDS, verdicts, batch=BATCH)


def projects_changed(project_ids, today: date | None = None) -> int:
    """Refresh the commitments of many projects at once, for writes in bulk (an import)."""
    today = today or timezone.localdate()
    project_ids = list(project_ids)
    return sum(
        refresh(
            Commitment.objects.filter(agreement__project__in=project_ids[start : start + BATCH]),
            today,
        )
        for start in range(0, len(project_ids), BATCH)
    )


def _of_project(project_id, condition: Q):
    return Commitment.objects.filter(condition, agreement__project=project_id).values_list(
        "pk", flat=True
    )


STORED_STATES = [
    StoredState(
        model="agreements.Commitment",
        fields=FIELDS,
        refresh=refresh,
        inputs={
            "agreements.Commitment": lambda commitment: [commitment.pk],
            # The signing date sets the pro-rata share of investment.
            "agreements.Agreement": lambda agreement: Commitment.objects.filter(
                agreement=agreement.pk
            ).values_list("pk", flat=True),
            "agreements.FulfilmentRecord": lambda record: [record.commitment_id],
            # The land area turns a target per mu into an amount.
            "projects.Project": lambda project: _of_project(
                project.pk, Q(unit=Unit.WAN_YUAN_PER_MU)
            ),
            "projects.Milestone": lambda milestone: _of_project(
                milestone.project_id,
                Q(measure=Measure.MILESTONE, milestone_kind=milestone.kind_id),
            ),
            "projects.ProgressReport": lambda report: _of_project(
                report.project_id, Q(measure=Measure.INVESTMENT)
            ),
            "projects.AnnualReturn": lambda annual: _of_project(
                annual.project_id, Q(measure__in=fulfilment.RETURN_MEASURES)
            ),
        },
    )
]
