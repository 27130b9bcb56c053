"""The commitments ledger (履约台账) as .xlsx: exactly what the commitments page shows the
same user with the same filters, with no query per row."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side, Unit
from diaodu.agreements.lists import explain, ledger
from diaodu.lib import xlsx
from diaodu.lib.xlsx import Column, Highlight
from diaodu.reports.exports import Export, table_export

STATE_FILLS = {
    Fulfilment.MET: "grey",
    Fulfilment.ON_TRACK: "green",
    Fulfilment.AT_RISK: "yellow",
    Fulfilment.BROKEN: "red",
}


def _labels(choices) -> dict[str, str]:
    # Looked up once: a lazy label costs a translation per call.
    return {value: str(label) for value, label in choices.choices}


def commitment_count(request) -> int:
    """How many rows the commitments ledger would have."""
    return ledger(request).qs.count()


def commitment_ledger(request, today: date | None = None, progress=None) -> Export:
    today = today or timezone.localdate()
    commitments = explain(ledger(request).qs)
    columns = [
        Column(_("No."), style=xlsx.INTEGER),
        Column(_("project number")),
        Column(_("project")),
        Column(_("agreement number"), group=_("agreement")),
        Column(_("signed on"), group=_("agreement"), style=xlsx.DATE),
        Column(_("committing side"), group=_("commitment")),
        Column(_("committed by"), group=_("commitment")),
        Column(_("kind"), group=_("commitment")),
        Column(_("commitment"), group=_("commitment"), style=xlsx.WRAP),
        Column(_("target"), group=_("commitment"), style=xlsx.MONEY),
        Column(_("unit"), group=_("commitment")),
        Column(_("due date"), group=_("commitment"), style=xlsx.DATE),
        Column(_("measured by"), group=_("fulfilment")),
        Column(_("fulfilment"), group=_("fulfilment")),
        Column(_("reason"), group=_("fulfilment"), style=xlsx.WRAP),
        Column(_("evidence"), group=_("fulfilment"), style=xlsx.WRAP),
        Column(_("agreed remedy"), style=xlsx.WRAP),
        Column(_("problem opened")),
    ]
    sides, kinds, measures, units, states = (
        _labels(Side),
        _labels(CommitmentKind),
        _labels(Measure),
        _labels(Unit),
        _labels(Fulfilment),
    )
    rows = []
    for number, c in enumerate(commitments, start=1):
        agreement = c.agreement
        rows.append(
            [
                number,
                agreement.project.code,
                agreement.project.name,
                agreement.number,
                agreement.signed_on,
                sides[c.side],
                str(c.department if c.is_department else agreement.enterprise),
                kinds[c.kind],
                c.description,
                c.target_amount,
                units.get(c.unit),
                c.due_date,
                measures[c.measure],
                Highlight(states[c.fulfilment], STATE_FILLS[c.fulfilment]),
                c.assessment.reason,
                c.assessment.evidence or None,
                c.remedy or None,
                str(c.problem) if c.problem_id else None,
            ]
        )
    title = _("Commitments ledger")
    count = ngettext("%(count)d commitment", "%(count)d commitments", len(rows)) % {
        "count": len(rows)
    }
    return table_export(
        request.user,
        title,
        columns,
        rows,
        title=title,
        count_text=count,
        freeze_columns=3,
        today=today,
        progress=progress,
    )
