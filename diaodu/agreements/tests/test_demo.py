"""The demo zone's agreements: commitments in every state on both sides, the broken
department commitments turned into problems and the enterprise's flagged; loading twice
changes nothing; every stored fulfilment is what its inputs say. (Loading the demo takes a
few seconds: one test.)"""

from collections import Counter

from diaodu import demo
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core import derived
from diaodu.core.models import Attachment
from diaodu.problems.models import Problem


def test_the_demo_has_agreements_with_commitments_in_every_state_and_loads_once(
    db, today, fast_password_hashing, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    demo.load()
    counts = (
        Agreement.objects.count(),
        Commitment.objects.count(),
        FulfilmentRecord.objects.count(),
        Problem.objects.count(),
        Attachment.objects.count(),
    )
    demo.load()

    assert not any(derived.inconsistencies(today).values())
    states = Counter(Commitment.objects.values_list("side", "fulfilment"))
    for side in ("enterprise", "department"):
        for state in ("met", "on_track", "at_risk", "broken"):
            assert states[(side, state)], f"no {state} commitment of the {side} side"
    broken = Commitment.objects.filter(fulfilment="broken")
    assert all(c.problem_id for c in broken.filter(side="department"))
    assert all(c.flagged_on == today for c in broken.filter(side="enterprise"))
    assert (
        Agreement.objects.count(),
        Commitment.objects.count(),
        FulfilmentRecord.objects.count(),
        Problem.objects.count(),
        Attachment.objects.count(),
    ) == counts
