"""The .docx files of a meeting: the briefing pack and the minutes (会议纪要)."""

from django.conf import settings
from django.http import FileResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from diaodu.lib.chinese import chinese_numeral
from diaodu.lib.docx_writer import DOCX_TYPE, OfficialDocument


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _when(meeting) -> str:
    return formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


def _attendance(meeting) -> str:
    people = [f"{p.title}{p}" if p.title else str(p) for p in meeting.attendees.all()]
    organisations = [str(o) for o in meeting.organisations.all()]
    return "、".join(people + organisations) or "—"


def _assignments(actions) -> list[list[str]]:
    return [
        [
            action.title,
            "、".join(
                [str(action.lead_department)]
                + [str(o) for o in action.cooperating_departments.all()]
            ),
            _date(action.due_date),
        ]
        for action in actions
    ]


def minutes_document(meeting, briefs) -> bytes:
    """Title, time, place, chair, attendees, then per project: progress, problems,
    decisions and assignments with departments and deadlines.

    Always in the site's language (Simplified Chinese): the minutes are an official
    document sent to every organisation, and are frozen as issued, so their wording must
    not depend on the language of whoever drafts or issues them."""
    with translation.override(settings.LANGUAGE_CODE):
        return _minutes_document(meeting, briefs)


def _minutes_document(meeting, briefs) -> bytes:
    doc = OfficialDocument()
    doc.title(_("Minutes of %(meeting)s") % {"meeting": meeting})
    doc.paragraph(_when(meeting), label=_("Time: "), indent=False)
    doc.paragraph(meeting.place or "—", label=_("Place: "), indent=False)
    chair = f"{meeting.chair.title}{meeting.chair}" if meeting.chair else "—"
    doc.paragraph(chair, label=_("Chair: "), indent=False)
    doc.paragraph(_attendance(meeting), label=_("Attendees: "), indent=False)
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
            doc.paragraph(_("Assignments:"), indent=True)
            doc.table(
                [_("Task"), _("Departments"), _("Deadline")],
                _assignments(brief.meeting_actions),
                widths_cm=[8.5, 4.5, 3.0],
            )
    if meeting.closing:
        doc.paragraph(meeting.closing)
    if any(brief.photos for brief in briefs):
        doc.heading(_("Annex: photos from the sites"))
        for brief in briefs:
            if brief.photos:
                doc.paragraph(str(brief.project), indent=False)
                doc.pictures(_pictures(brief.photos))
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
            doc.paragraph(_("Open problems:"), indent=True)
            doc.table(
                [_("Problem"), _("Departments"), _("Due")],
                _assignments(brief.open_problems),
                widths_cm=[8.5, 4.5, 3.0],
            )
        if brief.earlier_actions:
            doc.paragraph(_("Action items from earlier meetings:"), indent=True)
            doc.table(
                [_("Task"), _("Lead department"), _("Due"), _("Status")],
                [
                    [a.title, str(a.lead_department), _date(a.due_date), a.get_status_display()]
                    for a in brief.earlier_actions
                ],
                widths_cm=[7.5, 3.5, 2.8, 2.2],
            )
        if brief.photos:
            doc.paragraph(_("Latest photos:"), indent=True)
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
