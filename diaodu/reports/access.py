"""Who may export and import: the only place it is decided.

What an export contains is decided by the apps' own ``visible_*`` querysets (an owner's
dispatch table holds their projects only); here is only whether one may ask at all.
"""


def can_export(user) -> bool:
    """Anyone signed in: the file holds only what the list page shows them."""
    return user.is_authenticated and user.is_active


def can_import(user) -> bool:
    """Importing ledgers creates and changes projects and problems: the office's work."""
    return user.is_authenticated and user.is_active and user.is_coordinator
