"""Which menu section a page belongs to, so the menu can highlight where the reader is.

One table instead of a condition on every menu item: a page belongs to the section named
for its view, else for its app. Work on single problems and action items belongs to
supervision for those who have that menu item, to the desk for the rest.
"""

PROJECTS = "projects"
DASHBOARD = "dashboard"
LANDING = "landing"
AGREEMENTS = "agreements"
DESK = "desk"
SUPERVISION = "supervision"
MEETINGS = "meetings"
ROUNDS = "rounds"
INBOX = "inbox"
APPEALS = "appeals"
NOTIFICATIONS = "notifications"
# Not a menu item: resolved to the desk or supervision by who is reading.
_WORK = "work"

_BY_APP = {
    "projects": PROJECTS,
    "dashboard": DASHBOARD,
    "landing": LANDING,
    "agreements": AGREEMENTS,
    "inbox": INBOX,
    "appeals": APPEALS,
    "problems": _WORK,
    "meetings": MEETINGS,
    "notifications": NOTIFICATIONS,
}

_BY_VIEW = {
    "problems:desk": DESK,
    "problems:supervision": SUPERVISION,
    "projects:round_list": ROUNDS,
    "projects:round_create": ROUNDS,
    "projects:round_detail": ROUNDS,
    "projects:round_close": ROUNDS,
    "projects:report_create": ROUNDS,
    "projects:report_edit": ROUNDS,
    "projects:report_review": ROUNDS,
    # Spreadsheets and documents are files, not pages; the bulletin's form and the
    # importer are reached from the project list.
    "reports:bulletin": PROJECTS,
    "reports:import_start": PROJECTS,
    "reports:import_preview": PROJECTS,
    "reports:import_commit": PROJECTS,
}


def section(request) -> str:
    """The menu section of the page ``request`` asks for; "" for none (an error page
    rendered without a request, the search results)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    found = _BY_VIEW.get(f"{match.app_name}:{match.url_name}") or _BY_APP.get(match.app_name, "")
    if found == _WORK:
        user = getattr(request, "user", None)
        return SUPERVISION if user is not None and user.sees_everything else DESK
    return found
