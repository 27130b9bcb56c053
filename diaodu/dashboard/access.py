"""Who may read which dashboard views: the only place it is decided."""


def can_see_leader_view(user) -> bool:
    """The one-screen view counts the whole zone: for those who see everything."""
    return user.is_authenticated and user.sees_everything
