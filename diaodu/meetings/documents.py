"""The .docx files of a meeting: the briefing pack and the minutes (会议纪要)."""

from django.conf import settings
from django.http import FileResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from diaodu.core.models import DocumentSettings
from diaodu.lib.chinese import chinese_numeral
from diaodu.lib.docx_writer import DOCX_TYPE, OfficialDocument
from diaodu.meetings.models import minutes_reference


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _when(meeting) -> str:
    return formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


def _people(meeting) -> str:
    return "、".join(f"{p.title}{p}" if p.title else str(p) for p in meeting.attendees.all())


def _assignments(actions) -> list[list[str]]:
    """Task, lead (牵头单位), cooperating (配合单位), deadline."""
    return [
        [
            action.title,
            str(action.lead_department),
            "、".join(str(o) for o in action.cooperating_departments.all()) or "—",
            _date(action.due_date),
        ]
        for action in actions
    ]


# The text width, 15.6 cm; the deadline's column holds "2026年12月31日" on one line.
ASSIGNMENT_WIDTHS = [5.2, 3.1, 3.3, 4.0]


def _assignment_headers(task: str, due: str) -> list[str]:
    return [task, _("Lead unit"), _("Cooperating units"), due]


def minutes_number(settings_, minutes) -> str:
    """〔2026〕3号 after the office's code; a draft leaves the number blank."""
    if minutes:
        return minutes.reference
    return minutes_reference(settings_.minutes_code, timezone.localdate().year, "\u3000\u3000")


def imprint(doc, settings_, printed_on) -> None:
    """分送/抄送 and the printing body with the date, as the document's last lines."""
    doc.imprint(
        settings_.issuer,
        _("Printed %(date)s") % {"date": _date(printed_on)},
        [
            (_("Distribution"), settings_.distribution.strip()),
            (_("Copy to"), settings_.copy_to.strip()),
        ],
    )


def minutes_document(meeting, briefs, minutes=None) -> bytes:
    """Letterhead with the number (of ``minutes`` being issued; blank in a draft), title,
    time, place, chair, attendees, then per project: progress, problems, decisions and
    assignments with lead and cooperating units and deadlines; distribution and imprint.

    Always in the site's language (Simplified Chinese): the minutes are an official
    document sent to every organisation, and are frozen as issued, so their wording must
    not depend on the language of whoever drafts or issues them."""
    with translation.override(settings.LANGUAGE_CODE):
        return _minutes_document(meeting, briefs, minutes)


def _minutes_document(meeting, briefs, minutes) -> bytes:
    doc = OfficialDocument()
    settings_ = DocumentSettings.load()
    doc.letterhead(settings_.issuer, minutes_number(settings_, minutes))
    doc.title(_("Minutes of %(meeting)s") % {"meeting": meeting})
    doc.paragraph(_when(meeting), label=_("Time: "), indent=False)
    doc.paragraph(meeting.place or "—", label=_("Place: "), indent=False)
    chair = f"{meeting.chair.title}{meeting.chair}" if meeting.chair else "—"
    doc.paragraph(chair, label=_("Chair: "), indent=False)
    doc.paragraph(_people(meeting) or "—", label=_("Attendees: "), indent=False)
    organisations = "、".join(str(o) for o in meeting.organisations.all())
    if organisations:
        doc.paragraph(organisations, label=_("Attending units: "), indent=False)
    if meeting.preamble:
        doc.paragraph(meeting.preamble)
    for number, brief in enumerate(briefs, start=1):
        doc.heading(f"{chinese_numeral(number)}、{brief.project}")
        if brief.item.summary:
            doc.paragraph(brief.item.summary, label=_("Progress: "))
        elif brief.latest_report:
            doc.paragraph(brief.latest_report.narrative, label=_("Progress: "))
        if brief.open_problems:
            doc.paragraph(
                "；".join(p.title for p in brief.open_problems) + "。",
                label=_("Problems: "),
            )
        if brief.item.decisions:
            doc.paragraph(brief.item.decisions, label=_("Decisions: "))
        if brief.meeting_actions:
            doc.paragraph(_("Assignments:"), introduces=True)
            doc.table(
                _assignment_headers(_("Task"), _("Deadline")),
                _assignments(brief.meeting_actions),
                widths_cm=ASSIGNMENT_WIDTHS,
            )
    if meeting.closing:
        doc.paragraph(meeting.closing)
    if any(brief.photos for brief in briefs):
        doc.heading(_("Annex: photos from the sites"))
        for brief in briefs:
            if brief.photos:
                doc.paragraph(str(brief.project), indent=False)
                doc.pictures(_pictures(brief.photos))
    imprint(
        doc, settings_, timezone.localdate(minutes.issued_at) if minutes else timezone.localdate()
    )
    return doc.to_bytes()


def _pictures(photos):
    """The web copies (re-encoded without EXIF: no place leaves in a document), captioned
    with the day each was taken."""
    return [(photo.web.open("rb"), _date(timezone.localtime(photo.when))) for photo in photos]


def briefing_document(meeting, briefs, today) -> bytes:
    doc = OfficialDocument()
    doc.title(_("Briefing pack: %(meeting)s") % {"meeting": meeting})
    doc.subtitle(_when(meeting))
    for number, brief in enumerate(briefs, start=1):
        project = brief.project
        doc.heading(f"{chinese_numeral(number)}、{project}")
        doc.paragraph(
            f"{project.get_stage_display()}；{brief.assessment.health.label}："
            f"{brief.assessment.reason}",
            label=_("Stage and health: "),
        )
        rate = brief.totals.plan_rate
        doc.paragraph(
            _("plan %(plan)s, completed %(done)s (10k yuan)%(rate)s")
            % {
                "plan": formats.number_format(brief.totals.plan, 2, force_grouping=True),
                "done": formats.number_format(brief.totals.year_to_date, 2, force_grouping=True),
                "rate": f"，{rate}%" if rate is not None else "",
            },
            label=_("Investment this year: "),
        )
        if brief.due_milestones:
            doc.paragraph(
                "；".join(f"{m.kind} {_date(m.planned_date)}" for m in brief.due_milestones),
                label=_("Milestones due or overdue: "),
            )
        if brief.latest_report:
            doc.paragraph(
                f"（{brief.latest_report.period_label}）{brief.latest_report.narrative}",
                label=_("Latest progress: "),
            )
        if brief.open_problems:
            doc.paragraph(_("Open problems:"), introduces=True)
            doc.table(
                _assignment_headers(_("Problem"), _("Due")),
                _assignments(brief.open_problems),
                widths_cm=ASSIGNMENT_WIDTHS,
            )
        if brief.earlier_actions:
            doc.paragraph(_("Action items from earlier meetings:"), introduces=True)
            doc.table(
                [_("Task"), _("Lead department"), _("Due"), _("Status")],
                [
                    [a.title, str(a.lead_department), _date(a.due_date), a.get_status_display()]
                    for a in brief.earlier_actions
                ],
                widths_cm=[6.0, 3.2, 4.0, 2.4],
            )
        if brief.photos:
            doc.paragraph(_("Latest photos:"), introduces=True)
            doc.pictures(_pictures(brief.photos))
    return doc.to_bytes()


def issued_minutes_download(minutes) -> FileResponse:
    """The minutes exactly as issued (frozen), for the meeting page and the API alike."""
    return FileResponse(
        minutes.document.open("rb"),
        as_attachment=True,
        filename=_("Minutes %(meeting)s.docx") % {"meeting": minutes.meeting},
        content_type=DOCX_TYPE,
    )
