"""Reading back what the meeting pages return: Word files, flash messages, form data."""

from io import BytesIO

from django.contrib.messages import get_messages
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_of(response):
    """The Word document a download returned (after checking it is one)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    return Document(BytesIO(response.getvalue()))


def read_docx(content: bytes):
    return Document(BytesIO(content))


def paragraphs(document) -> list[str]:
    """The body paragraphs' texts, empty ones left out."""
    return [p.text for p in document.paragraphs if p.text]


def tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def all_text(document) -> str:
    """Every paragraph and every table cell, one per line."""
    cells = [cell for table in tables(document) for row in table for cell in row]
    return "\n".join(paragraphs(document) + cells)


def runs(document):
    """Every run with text, in the body and in tables."""
    found = [r for p in document.paragraphs for r in p.runs if r.text]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [r for p in cell.paragraphs for r in p.runs if r.text]
    return found


def east_asian_font(run) -> str | None:
    """The font Word uses for the run's Chinese characters (``w:rFonts/@w:eastAsia``)."""
    properties = run._element.rPr
    fonts = properties.find(qn("w:rFonts")) if properties is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def messages_of(response) -> list[tuple[str, str]]:
    """The flash messages a page set: ``[(level, text), ...]``."""
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def meeting_form_data(meeting=None, **overrides) -> dict:
    """What the meeting form posts: the meeting's values (or a new weekly meeting's)."""
    data = {
        "kind": "weekly",
        "title": "重点项目周调度会",
        "starts_at": "2026-06-17T09:00",
        "place": "项目协调办会议室",
        "chair": "",
        "previous": "",
        "preamble": "",
        "closing": "",
        "status": "upcoming",
    }
    if meeting is not None:
        data.update(
            kind=meeting.kind,
            title=meeting.title,
            starts_at=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            place=meeting.place,
            chair=meeting.chair_id or "",
            previous=meeting.previous_id or "",
            preamble=meeting.preamble,
            closing=meeting.closing,
            status=meeting.status,
            attendees=list(meeting.attendees.values_list("pk", flat=True)),
            organisations=list(meeting.organisations.values_list("pk", flat=True)),
            version=meeting.version,
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def discussion_data(item, summary="", decisions="") -> dict:
    """The inline discussion form of one agenda item (its fields carry the item's prefix)."""
    return {
        f"d{item.pk}-summary": summary,
        f"d{item.pk}-decisions": decisions,
        f"d{item.pk}-version": item.version,
    }


def action_data(item, **fields) -> dict:
    """The inline "assign an action item" form of one agenda item."""
    values = {"title": "", "lead_department": "", "due_date": "", "problem": "", **fields}
    return {f"a{item.pk}-{name}": value for name, value in values.items()}


HTMX = {"HX-Request": "true"}


#: The day before the tests' today (10 June 2026), 15:00 Shanghai time.
HELD_AT = timezone.make_aware(timezone.datetime(2026, 6, 9, 15, 0))


def ready_to_issue(meeting, actor):
    """Record ``meeting`` as held the day before today, so its minutes may be issued (it
    needs an agenda too)."""
    from diaodu.meetings import services
    from diaodu.meetings.choices import MeetingStatus

    services.update_meeting(
        meeting, {"status": MeetingStatus.HELD, "starts_at": HELD_AT}, actor=actor
    )
    return meeting
