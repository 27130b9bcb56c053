"""The demo zone's enterprise requests: one in each state, the office's overdue one among
them; loading twice changes nothing. (Loading the demo takes a few seconds: one test.)"""

from diaodu import demo
from diaodu.accounts.models import User
from diaodu.appeals.inbox import INBOX_SOURCES
from diaodu.appeals.models import Appeal, AppealEntry


def test_the_demo_has_requests_in_every_state_and_loads_once(
    db, today, fast_password_hashing, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    demo.load()
    counts = (Appeal.objects.count(), AppealEntry.objects.count())
    demo.load()

    assert (Appeal.objects.count(), AppealEntry.objects.count()) == counts
    assert set(Appeal.objects.values_list("status", flat=True)) == {
        "raised",
        "accepted",
        "merged",
        "answered",
    }
    assert Appeal.objects.filter(status="raised", triage_due__lt=today).exists()
    assert Appeal.objects.filter(rating=5).exists()
    to_triage, _ = INBOX_SOURCES
    assert len(to_triage.queryset(User.objects.get(username="xietiaoban"))) == 2
