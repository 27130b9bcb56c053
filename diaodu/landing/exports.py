"""The evaluation table (亩均效益评价表) as the zones file it: one row per project in
production, ranked, in the house spreadsheet style."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.dashboard.views import scoped
from diaodu.landing import evaluation as evaluations
from diaodu.landing.choices import Grade
from diaodu.landing.evaluation import Evaluation
from diaodu.landing.forms import YearForm
from diaodu.lib import xlsx
from diaodu.lib.xlsx import Column, Highlight
from diaodu.reports.exports import Export, table_export

GRADE_FILLS = {Grade.A: "green", Grade.B: "", Grade.C: "yellow", Grade.D: "red"}


def _figure(row: Evaluation, key: str):
    """A figure, on red when it falls short of its threshold."""
    value = getattr(row, key)
    return Highlight(value, "red") if row.meets(key) is False else value


def evaluation_year(request, projects, years: list[int] | None = None) -> int:
    """The year the query string asks for, else the latest year with returns (of
    ``years`` when the caller has them already)."""
    form = YearForm(request.GET)
    year = form.is_valid() and form.cleaned_data["year"]
    if not year:
        years = evaluations.years(projects) if years is None else years
        year = years[0] if years else timezone.localdate().year - 1
    return year


def evaluation_count(request) -> int:
    """At most how many rows the evaluation would have: the projects it looks at."""
    _filter, projects, _base = scoped(request)
    return projects.count()


def evaluation(request, progress=None) -> Export:
    """The evaluation page's table as a file: its projects, filters and year."""
    _filter, projects, _base = scoped(request)
    year = evaluation_year(request, projects)
    rows = evaluations.evaluation(projects, year)
    return evaluation_table(request.user, rows, year, progress=progress)


def evaluation_table(user, rows: list[Evaluation], year: int, progress=None) -> Export:
    reported = _("Reported")
    per_mu = _("Per mu (10k yuan)")
    columns = [
        Column(_("Rank"), style=xlsx.INTEGER),
        Column(_("Project number")),
        Column(_("Project")),
        Column(_("Owner")),
        Column(_("Industry")),
        Column(_("Land (mu)"), style=xlsx.MONEY),
        Column(_("Total investment (10k yuan)"), style=xlsx.MONEY),
        Column(_("Output (10k yuan)"), group=reported, style=xlsx.MONEY),
        Column(_("Tax (10k yuan)"), group=reported, style=xlsx.MONEY),
        Column(_("Energy (tonnes of standard coal)"), group=reported, style=xlsx.MONEY),
        Column(_("Investment"), group=per_mu, style=xlsx.MONEY),
        Column(_("Output"), group=per_mu, style=xlsx.MONEY),
        Column(_("Tax"), group=per_mu, style=xlsx.MONEY),
        # Four decimals are stored; the house money format shows two.
        Column(_("Energy per 10k yuan of output"), style=xlsx.MONEY),
        Column(_("Score"), style=xlsx.MONEY),
        Column(_("Grade")),
    ]
    grades = {value: str(label) for value, label in Grade.choices}
    table = []
    for row in rows:
        project, annual_return = row.project, row.annual_return
        fill = GRADE_FILLS[row.grade]
        grade = grades[row.grade]
        table.append(
            [
                row.rank,
                project.code,
                project.name,
                project.owner.name,
                str(project.industry) if project.industry_id else None,
                project.land_area,
                project.total_investment,
                annual_return.output,
                annual_return.tax,
                annual_return.energy,
                _figure(row, "investment_per_mu"),
                _figure(row, "output_per_mu"),
                _figure(row, "tax_per_mu"),
                _figure(row, "energy_per_output"),
                row.score,
                Highlight(grade, fill) if fill else grade,
            ]
        )
    title = _("%(year)s land-efficiency evaluation") % {"year": year}
    count = ngettext("%(count)d project", "%(count)d projects", len(rows)) % {"count": len(rows)}
    return table_export(
        user,
        _("Evaluation"),
        columns,
        table,
        title=title,
        count_text=count,
        freeze_columns=3,
        today=timezone.localdate(),
        progress=progress,
    )
