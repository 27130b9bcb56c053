from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from diaodu.inbox.sources import sections_for


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the reader, by kind, oldest first, with the action in place."""
    sections = sections_for(request.user)
    # Busy kinds come first; the kinds with nothing waiting are named once, together, so a
    # quiet day does not read as a wall of empty tables.
    sections.sort(key=lambda section: not section.items)
    return render(
        request,
        "inbox/inbox.html",
        {
            "sections": sections,
            "idle": [section for section in sections if not section.items],
            "total": sum(section.count for section in sections),
            "today": timezone.localdate(),
        },
    )
