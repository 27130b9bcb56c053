"""Template context shared by every page: what the menu offers, as each app's access
rules decide (templates do not test roles)."""

from django.utils.functional import SimpleLazyObject


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": SimpleLazyObject(lambda: _navigation(user))}


def _navigation(user) -> dict:
    from diaodu.accounts.access import can_administer
    from diaodu.appeals.access import can_view_appeals
    from diaodu.dashboard.access import can_view_overview
    from diaodu.problems.access import can_supervise

    overview = can_view_overview(user)
    return {
        # The zone-wide overviews; others see their own projects' figures from their pages.
        "dashboard": overview,
        "landing": overview,
        "appeals": can_view_appeals(user),
        "supervision": can_supervise(user),
        "administration": can_administer(user),
    }
