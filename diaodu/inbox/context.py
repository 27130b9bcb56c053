"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from diaodu.inbox.sources import counts_for, sources_for


def inbox_count(request) -> dict:
    """``inbox_count``: how many items wait for the reader, behind the menu's Inbox, and
    ``has_inbox``: whether the reader has an inbox at all.

    Lazy, so only pages with the menu pay for it: one COUNT per source of the reader's.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "has_inbox": SimpleLazyObject(lambda: bool(sources_for(user))),
        "inbox_count": SimpleLazyObject(lambda: sum(counts_for(user).values())),
    }
