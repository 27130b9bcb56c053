"""Who may see landing figures and evaluations, and who sets the targets.

The figures are over the projects a user may see (``projects.access.visible_projects``):
the office and leaders see the zone, departments and owners their own projects.
"""


def can_view_landing(user) -> bool:
    return user.is_authenticated and user.is_active


def can_edit_targets(user) -> bool:
    """Targets are the zone's policy: the office sets them."""
    return user.is_authenticated and user.is_active and user.is_coordinator
