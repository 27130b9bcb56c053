"""Who may see the dashboard's zone-wide pages: the only place it is decided, for pages
and the API alike."""


def can_view_overview(user) -> bool:
    """The dashboard in the menu: the office and the leaders, who see the whole zone (others
    reach their own projects from their landing page)."""
    return user.is_authenticated and user.sees_everything


def can_view_scorecard(user) -> bool:
    """Every department's record: for the office and leaders, who hold them to it."""
    return user.is_authenticated and user.sees_everything


def can_see_leader_view(user) -> bool:
    """The one-screen view counts the whole zone: for those who see everything."""
    return user.is_authenticated and user.sees_everything
