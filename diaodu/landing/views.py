from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.core.access import require as _require
from diaodu.core.replica import reads_from_replica
from diaodu.core.views import form_page, save_form
from diaodu.dashboard.views import scoped
from diaodu.landing import access, evaluation, exports, services, speed
from diaodu.landing.forms import SpeedForm, StageTargetForm, YearForm
from diaodu.landing.models import StageTarget
from diaodu.projects.access import visible_projects
from diaodu.projects.models import Project
from diaodu.reports import access as export_access
from diaodu.reports.choices import JobKind
from diaodu.reports.views import export_response

PAGE_SIZE = 50
NOT_REPORTED_SHOWN = 50
HISTORY_SHOWN = 30


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _with(request, name, value) -> str:
    query = request.GET.copy()
    query[name] = value
    return query.urlencode()


@login_required
def speed_page(request: HttpRequest) -> HttpResponse:
    """Days from signing to each stage, per project and per industry or signing year."""
    _require(access.can_view_landing(request.user))
    today = timezone.localdate()
    project_filter, projects, _base = scoped(request)
    grouping = SpeedForm(request.GET).grouping()
    targets = speed.Targets()
    total, groups = speed.summary(projects, grouping, targets)
    zone = targets.zone()
    page = Paginator(speed.Landings(projects, today, targets, total.projects), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    chart = {
        "stages": [str(stage.label) for stage in speed.STAGES],
        "targets": [zone[stage] for stage in speed.STAGES],
        "series": [
            {
                "name": group.label,
                "data": [
                    float(s.median) if s.median is not None else None for s in group.summaries
                ],
            }
            for group in [total, *groups]
        ],
    }
    return render(
        request,
        "landing/speed.html",
        {
            "filter": project_filter,
            "grouping": grouping,
            "stages": speed.STAGES,
            "zone_targets": [zone[stage] for stage in speed.STAGES],
            "total": total,
            "groups": groups,
            "page": page,
            "paging": _query_without(request, "page"),
            "by_query": _query_without(request, "page", "by"),
            "extra_params": [("by", grouping)],
            "chart": chart,
            "today": today,
        },
    )


@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The landing of one project, for its page (loaded there by htmx)."""
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    rows = speed.landings(Project.objects.filter(pk=project.pk), timezone.localdate())
    return render(
        request,
        "landing/_project_panel.html",
        {"project": project, "landing": rows[0] if rows else None, "stages": speed.STAGES},
    )


def _evaluation(request):
    """(filter, year form, year, ranked rows, not reported, years) for the page."""
    project_filter, projects, _base = scoped(request)
    form = YearForm(request.GET)
    years = evaluation.years(projects)
    year = exports.evaluation_year(request, projects, years)
    rows = evaluation.evaluation(projects, year)
    return project_filter, form, year, rows, projects, years


@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    _require(access.can_view_landing(request.user))
    project_filter, form, year, rows, projects, years = _evaluation(request)
    grades = {grade: 0 for grade in evaluation.Grade}
    for row in rows:
        grades[row.grade] += 1
    # Ranked over all; a page of them drawn. Of the projects that did not report, the
    # first ones: a zone-wide list of thousands would be the page's weight.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    not_reported = list(evaluation.not_reported(projects, year)[: NOT_REPORTED_SHOWN + 1])
    return render(
        request,
        "landing/evaluation.html",
        {
            "filter": project_filter,
            "year_form": form,
            "year": year,
            "years": years,
            "rows": page,
            "page": page,
            "paging": _query_without(request, "page"),
            "grades": grades,
            "indicators": evaluation.INDICATORS,
            "not_reported": not_reported[:NOT_REPORTED_SHOWN],
            "more_not_reported": len(not_reported) > NOT_REPORTED_SHOWN,
            "year_links": [(y, _with(request, "year", y)) for y in years],
            "export_query": _with(request, "year", year),
            "can_export": export_access.can_export(request.user),
            "extra_params": [("year", year)],
        },
    )


@login_required
@reads_from_replica
def evaluation_export(request: HttpRequest) -> HttpResponse:
    _require(export_access.can_export(request.user))
    return export_response(request, JobKind.EVALUATION)


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    _require(access.can_view_landing(request.user))
    can_edit = access.can_edit_targets(request.user)
    form = StageTargetForm(request.POST or None)
    if request.method == "POST":
        _require(can_edit)
        saved = save_form(
            request,
            form,
            lambda data: services.set_target(data, actor=request.user),
            _("Target saved."),
        )
        if saved:
            return redirect("landing:targets")
    return render(
        request,
        "landing/targets.html",
        {
            "targets": StageTarget.objects.select_related("industry"),
            "form": form,
            "can_edit": can_edit,
            "changes": services.target_history()[:HISTORY_SHOWN],
        },
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_edit_targets(request.user))
    target = get_object_or_404(StageTarget, pk=pk)
    return form_page(
        request,
        StageTargetForm(request.POST or None, instance=target),
        save=lambda data: services.update_target(target, data, actor=request.user),
        message=_("Target saved."),
        template="landing/target_form.html",
        context={"target": target},
        then="landing:targets",
    )


@login_required
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_edit_targets(request.user))
    target = get_object_or_404(StageTarget, pk=pk)
    services.remove_target(target, actor=request.user)
    messages.success(request, _("Target removed."))
    return redirect("landing:targets")
