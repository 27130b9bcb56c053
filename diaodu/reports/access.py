"""Who may export and import: the only place it is decided.

What an export contains is decided by the apps' own ``visible_*`` querysets (an owner's
dispatch table holds their projects only); here is only whether one may ask at all. A
background job, and the file it made, is its owner's alone: anyone else gets a 404.
"""

from diaodu.reports.models import Bulletin, Job


def can_export(user) -> bool:
    """Anyone signed in: the file holds only what the list page shows them."""
    return user.is_authenticated and user.is_active


def can_import(user) -> bool:
    """Importing ledgers creates and changes projects and problems: the office's work."""
    return user.is_authenticated and user.is_active and user.is_coordinator


def visible_jobs(user):
    """The background jobs ``user`` started: nobody else's, whatever their role."""
    if not (user.is_authenticated and user.is_active):
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def can_issue_bulletin(user) -> bool:
    """The issued bulletin speaks for the office: coordinators issue it."""
    return user.is_authenticated and user.is_active and user.is_coordinator


def visible_bulletins(user):
    """An issued bulletin covers the whole zone, so only those who see every project read
    it; everyone else downloads the draft of what they may see."""
    if user.is_authenticated and user.is_active and user.sees_everything:
        return Bulletin.objects.all()
    return Bulletin.objects.none()
