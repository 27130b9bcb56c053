"""Commitments as lists, the ledger export and the API show them."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from diaodu.agreements import access, fulfilment
from diaodu.agreements.choices import Fulfilment
from diaodu.agreements.filters import CommitmentFilter

STATE_CLASSES = {
    Fulfilment.MET: "success",
    Fulfilment.ON_TRACK: "primary",
    Fulfilment.AT_RISK: "warning",
    Fulfilment.BROKEN: "danger",
}


@dataclass
class ProjectSummary:
    """A project's agreements at a glance: how many, and their commitments by fulfilment
    (every state, in order, with its count)."""

    agreements: int
    commitments: int
    states: list[tuple[Fulfilment, int, str]]


def project_summary(user, project, today) -> ProjectSummary:
    """What ``user`` may see of ``project``'s agreements, summarised. Two queries."""
    agreements = access.visible_agreements(user).filter(project=project).count()
    states = dict(
        access.visible_commitments(user)
        .filter(agreement__project=project)
        .values_list("fulfilment")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return ProjectSummary(
        agreements,
        sum(states.values()),
        [(state, states.get(state, 0), STATE_CLASSES[state]) for state in Fulfilment],
    )


def commitment_rows(queryset):
    """Everything a row prints selected, so the number of queries does not grow with the
    rows."""
    return queryset.select_related(
        "agreement__project", "agreement__enterprise", "department", "milestone_kind", "problem"
    )


def explain(commitments) -> list:
    """Set ``assessment`` (reason and evidence, from the stored facts) and the state's
    label on rows, with no query. The state itself is the stored one, the one filters
    select by."""
    today = timezone.localdate()
    commitments = list(commitments)
    for commitment in commitments:
        commitment.assessment = fulfilment.assess(
            commitment, fulfilment.stored_facts(commitment), today
        )
        commitment.state_label = Fulfilment(commitment.fulfilment).label
        commitment.state_class = STATE_CLASSES[commitment.fulfilment]
    return commitments


def ledger(request, params=None) -> CommitmentFilter:
    """The commitments the user may see, filtered by the query string."""
    queryset = commitment_rows(access.visible_commitments(request.user))
    return CommitmentFilter(
        request.GET if params is None else params, queryset=queryset, request=request
    )
