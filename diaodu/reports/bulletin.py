"""The monthly dispatch bulletin (调度通报), a Word document: overall progress, highlights,
lagging projects, and overdue problems by department.

It covers the projects the user may see, filtered as the project list is, and looks at
them as of the month's last day (or today, for the month under way): a bulletin for May
printed in July still says which projects were late at the end of May. Problems are
those still open and due before that day.

Downloaded, it is a draft with its number left blank. The office issues it: then it
covers the whole zone, is written in the site's language (it goes to every organisation),
takes the next number of the year's sequence (第N期) and is kept as issued.
"""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.core.models import DocumentSettings
from diaodu.lib.chinese import chinese_numeral
from diaodu.lib.docx_writer import OfficialDocument
from diaodu.lib.periods import MONTH, Period
from diaodu.meetings.documents import imprint
from diaodu.problems.access import visible_problems
from diaodu.problems.models import OPEN_PROBLEM
from diaodu.projects import health
from diaodu.projects.choices import Health, ReportStatus, Stage
from diaodu.projects.models import Milestone, ProgressReport
from diaodu.reports.exports import Export, dispatch_projects
from diaodu.reports.models import Bulletin, issue_label
from diaodu.reports.services import issue_bulletin

ZERO = Decimal("0")
# Tables span the text width, 15.6 cm; a date's column holds "2026年12月31日" on one line.


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _money(value) -> str:
    return formats.number_format(value, 2, force_grouping=True)


def bulletin(
    request, month: Period, today: date | None = None, params=None, issue: Bulletin | None = None
) -> Export:
    """The bulletin of ``month``: a draft (its number left blank) or, with ``issue``, the
    issued one with its number (第N期) and its date of issue."""
    today = today or timezone.localdate()
    if month.kind != MONTH:
        raise ValueError("a bulletin is for a month")
    as_of = min(today, month.end)
    queryset = dispatch_projects(request, params)
    # The month's lag is judged as of its last day, not read from today's stored health.
    projects = list(
        queryset.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.select_related("kind"))
        )
    )
    ids = queryset.values("pk")
    year = month.start.year

    doc = OfficialDocument()
    settings_ = DocumentSettings.load()
    doc.letterhead(settings_.issuer, issue.reference if issue else issue_label("\u3000\u3000"))
    month_name = formats.date_format(month.start, "YEAR_MONTH_FORMAT")
    doc.title(_("Key project dispatch bulletin"))
    doc.subtitle(_("%(month)s · as of %(date)s") % {"month": month_name, "date": _date(as_of)})

    sections = [
        (_("Overall progress"), _progress(projects, ids, month, year)),
        (_("Highlights"), _highlights(ids, month)),
        (_("Lagging projects"), _lagging(projects, as_of)),
        (_("Overdue problems by department"), _overdue(request.user, ids, as_of)),
    ]
    for number, (heading, write) in enumerate(sections, start=1):
        doc.heading(f"{chinese_numeral(number)}、{heading}")
        write(doc)
    imprint(doc, settings_, timezone.localdate(issue.issued_at) if issue else as_of)
    filename = _("Dispatch bulletin %(month)s.docx") % {"month": month.start.strftime("%Y-%m")}
    return Export(doc.to_bytes(), filename, len(projects))


def issue(request, month: Period) -> Bulletin:
    """Issue the bulletin of ``month`` as ``request.user`` (see the module's docstring)."""

    def render(issued: Bulletin) -> bytes:
        with translation.override(settings.LANGUAGE_CODE):
            return bulletin(request, month, params={}, issue=issued).content

    return issue_bulletin(month, render, actor=request.user)


def _progress(projects, ids, month: Period, year: int):
    stages = Counter(project.stage for project in projects)
    plan = sum((p.annual_plan for p in projects if p.plan_year == year), ZERO)
    approved = ProgressReport.objects.filter(
        project__in=ids, status=ReportStatus.APPROVED, period_start__year=year
    )
    sums = approved.aggregate(
        to_date=Sum("investment", filter=Q(period_start__lte=month.end)),
        in_month=Sum("investment", filter=Q(period_start__range=(month.start, month.end))),
    )
    done, in_month = sums["to_date"] or ZERO, sums["in_month"] or ZERO
    rate = f"{(done / plan * 100).quantize(Decimal('0.1'))}%" if plan else "—"

    def write(doc):
        by_stage = "；".join(
            f"{label} {stages[value]}" for value, label in Stage.choices if stages[value]
        )
        doc.paragraph(
            ngettext(
                "%(count)d key project: %(stages)s.",
                "%(count)d key projects: %(stages)s.",
                len(projects),
            )
            % {"count": len(projects), "stages": by_stage or "—"}
        )
        doc.paragraph(
            _(
                "Annual investment plan %(plan)s (10k yuan); completed to the end of "
                "%(month)s %(done)s, %(rate)s of the plan; %(in_month)s in the month."
            )
            % {
                "plan": _money(plan),
                "month": formats.date_format(month.start, "YEAR_MONTH_FORMAT"),
                "done": _money(done),
                "rate": rate,
                "in_month": _money(in_month),
            }
        )

    return write


def _highlights(ids, month: Period):
    achieved = list(
        Milestone.objects.filter(project__in=ids, actual_date__range=(month.start, month.end))
        .select_related("project", "kind")
        .order_by("actual_date", "project__code", "kind__sort_order")
    )

    def write(doc):
        if not achieved:
            doc.paragraph(_("No milestone was achieved in the month."))
            return
        doc.paragraph(
            ngettext(
                "%(count)d milestone achieved:",
                "%(count)d milestones achieved:",
                len(achieved),
            )
            % {"count": len(achieved)},
            introduces=True,
        )
        doc.table(
            [_("Project"), _("Milestone"), _("Achieved")],
            [[m.project.name, str(m.kind), _date(m.actual_date)] for m in achieved],
            widths_cm=[7.6, 4.0, 4.0],
        )

    return write


def _lagging(projects, as_of: date):
    assessments = {p.pk: health.assess(p.milestones.all(), as_of) for p in projects}
    late = [p for p in projects if assessments[p.pk].health == Health.DELAYED]

    def write(doc):
        if not late:
            doc.paragraph(_("No project is behind its time nodes."))
            return
        doc.paragraph(
            ngettext(
                "%(count)d project is behind its time nodes:",
                "%(count)d projects are behind their time nodes:",
                len(late),
            )
            % {"count": len(late)},
            introduces=True,
        )
        doc.table(
            [_("Project"), _("Lead department"), _("Reason")],
            [[p.name, str(p.lead_department), assessments[p.pk].reason] for p in late],
            widths_cm=[5.0, 3.2, 7.4],
        )

    return write


def _overdue(user, ids, as_of: date):
    problems = (
        visible_problems(user)
        .filter(project__in=ids, status__in=OPEN_PROBLEM, due_date__lt=as_of)
        .select_related("project", "lead_department")
        .order_by("lead_department__sort_order", "lead_department__name", "due_date", "pk")
    )
    by_department = defaultdict(list)
    for problem in problems:
        by_department[problem.lead_department].append(problem)

    def write(doc):
        if not by_department:
            doc.paragraph(_("No problem is overdue."))
            return
        for department, items in by_department.items():
            doc.paragraph(
                ngettext("%(count)d overdue", "%(count)d overdue", len(items))
                % {"count": len(items)},
                label=_("%(department)s: ") % {"department": department},
                introduces=True,
            )
            doc.table(
                [_("Problem"), _("Project"), _("Due"), _("Days overdue")],
                [
                    [p.title, p.project.name, _date(p.due_date), str((as_of - p.due_date).days)]
                    for p in items
                ],
                widths_cm=[5.0, 3.8, 4.0, 2.8],
            )

    return write
