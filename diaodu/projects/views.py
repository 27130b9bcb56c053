from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.agreements import lists as agreement_lists
from diaodu.appeals import access as appeal_access
from diaodu.core.access import readable_changes
from diaodu.core.access import require as _require
from diaodu.core.replica import reads_from_replica
from diaodu.core.views import form_page, safe_next, save_form
from diaodu.lib.periods import Period
from diaodu.problems import access as problem_access
from diaodu.problems.lists import decorate, rows
from diaodu.projects import access, investment, land, services
from diaodu.projects.choices import RoundKind, Stage
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.forms import (
    AnnualReturnForm,
    MilestoneAddForm,
    MilestonePlanForm,
    MilestoneReplanForm,
    MilestoneReportForm,
    ProgressReportForm,
    ProjectForm,
    ReportingRoundForm,
    ReviewForm,
)
from diaodu.projects.inbox import rounds_to_report
from diaodu.projects.models import Milestone, ProgressReport, Project
from diaodu.sites import access as site_access

PAGE_SIZE = 25
# The project page shows the latest changes; "more" loads the next as many, and so on.
HISTORY_PAGE = 10


def _project_or_404(request: HttpRequest, pk: int) -> Project:
    """A project the user may see; any other id is "not found", not "forbidden", so ids
    of other enterprises' projects reveal nothing."""
    return get_object_or_404(access.visible_projects(request.user), pk=pk)


@login_required
@reads_from_replica
def project_list(request: HttpRequest) -> HttpResponse:
    projects = (
        access.visible_projects(request.user)
        .with_reasons()
        .select_related("owner", "lead_department", "industry", "responsible_leader")
    )
    project_filter = ProjectFilter(request.GET, queryset=projects, request=request)
    page = Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "query": query.urlencode(),
            "can_create": access.can_create_project(request.user),
            # An owner's projects page is their desk: the rounds still waiting for them.
            "open_rounds": (
                list(rounds_to_report(request.user))
                if access.reports_as_owner(request.user)
                else []
            ),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        access.visible_projects(request.user)
        .with_reasons()
        .select_related("owner", "lead_department", "industry", "responsible_leader", "township"),
        pk=pk,
    )
    today = timezone.localdate()
    milestones = list(project.milestones.select_related("kind", "approving_department"))
    reports = investment.with_running_totals(
        project.progress_reports.select_related("submitted_by", "reviewed_by")
    )
    user = request.user
    problems = decorate(rows(problem_access.visible_problems(user).filter(project=project)), user)
    action_items = decorate(
        rows(problem_access.visible_action_items(user).filter(project=project)), user
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "lists": project.lists.all(),
            "cooperating": project.cooperating_departments.all(),
            "milestones": milestones,
            "assessment": project.assessment,
            "today": today,
            "totals": investment.totals(project),
            "reports": reports,
            **_history_page(user, project, 0),
            "can_edit": access.can_edit_project(user, project),
            "can_plan": access.can_plan_milestones(user, project),
            "can_report_milestone": access.can_report_milestone(user, project),
            "can_submit_report": access.can_submit_report(user, project),
            "can_edit_site": site_access.can_edit_site(user, project),
            "can_review": access.can_review_reports(user),
            "problems": problems,
            "action_items": action_items,
            "can_raise": problem_access.can_raise_problem(user, project),
            "can_raise_appeal": appeal_access.can_raise_appeal(user, project),
            "can_assign": problem_access.can_create_action_item(user),
            "land": land.assess_many([project])[0],
            "agreements": agreement_lists.project_summary(user, project, today),
        },
    )


def _history_page(user, project, start: int) -> dict:
    """``HISTORY_PAGE`` changes from ``start`` (newest first) of those ``user`` may read, and
    where the next begin."""
    history = readable_changes(user, services.history_of(project))
    changes = list(history[start : start + HISTORY_PAGE + 1])
    more = len(changes) > HISTORY_PAGE
    return {
        "changes": changes[:HISTORY_PAGE],
        "history_next": start + HISTORY_PAGE if more else None,
    }


@login_required
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    """More of a project's history: the next changes, for the page's "more" button (or,
    without JavaScript, as a page of their own)."""
    project = get_object_or_404(access.visible_projects(request.user), pk=pk)
    try:
        start = max(int(request.GET.get("start", 0)), 0)
    except ValueError:
        start = 0
    template = (
        "projects/_history_items.html"
        if request.headers.get("HX-Request")
        else "projects/project_history.html"
    )
    return render(
        request, template, {"project": project, **_history_page(request.user, project, start)}
    )


def _milestone_or_404(request, pk) -> Milestone:
    return get_object_or_404(
        access.visible_milestones(request.user).select_related("project", "kind"), pk=pk
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_create_project(request.user))
    return form_page(
        request,
        ProjectForm(request.POST or None),
        save=lambda data: services.create_project(data, actor=request.user),
        message=_("Project created."),
        template="projects/project_form.html",
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require(access.can_edit_project(request.user, project))
    return form_page(
        request,
        ProjectForm(request.POST or None, instance=project),
        save=lambda data, version: services.update_project(
            project, data, version=version, actor=request.user
        ),
        message=_("Project saved."),
        template="projects/project_form.html",
        context={"project": project},
    )


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone_or_404(request, pk)
    _require(access.can_plan_milestones(request.user, milestone.project))
    return form_page(
        request,
        MilestonePlanForm(request.POST or None, instance=milestone),
        save=lambda data, version: services.plan_milestone(
            milestone, data, version=version, actor=request.user
        ),
        message=_("Milestone saved."),
        template="projects/milestone_form.html",
        context={"project": milestone.project, "milestone": milestone},
        then=milestone.project,
    )


@login_required
@require_POST
def milestone_replan(request: HttpRequest, pk: int) -> JsonResponse:
    """The office drags a milestone on the Gantt chart: a new planned date, through the same
    service (and history) as the milestone's form. Answers JSON for the chart."""
    milestone = _milestone_or_404(request, pk)
    _require(access.can_plan_milestones(request.user, milestone.project))
    form = MilestoneReplanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_milestone(milestone, form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return JsonResponse(
            {"errors": [e for errors in form.errors.values() for e in errors]}, status=400
        )
    return JsonResponse({"id": milestone.pk, "planned_date": milestone.planned_date.isoformat()})


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require(access.can_plan_milestones(request.user, project))
    return form_page(
        request,
        MilestoneAddForm(request.POST or None, project=project),
        save=lambda data: services.add_milestone(project, data, actor=request.user),
        message=_("Milestone added."),
        template="projects/milestone_form.html",
        context={"project": project},
        then=project,
    )


@login_required
def milestone_report(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone_or_404(request, pk)
    _require(access.can_report_milestone(request.user, milestone.project))
    return form_page(
        request,
        MilestoneReportForm(request.POST or None, request.FILES or None),
        save=lambda data: services.report_milestone(
            milestone, data["reported_date"], actor=request.user, photos=data["photos"]
        ),
        message=_("Reported. The office will confirm the date."),
        template="projects/milestone_form.html",
        context={"project": milestone.project, "milestone": milestone},
        then=milestone.project,
    )


@login_required
@require_POST
def milestone_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(
        access.visible_milestones(request.user).select_related("project"), pk=pk
    )
    _require(access.can_plan_milestones(request.user, milestone.project))
    try:
        services.confirm_milestone(milestone, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Milestone confirmed."))
    return redirect(safe_next(request) or milestone.project)


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require(access.can_submit_report(request.user, project))
    initial = {k: request.GET[k] for k in ("period_kind", "period_start") if request.GET.get(k)}
    return form_page(
        request,
        ProgressReportForm(
            request.POST or None, request.FILES or None, project=project, initial=initial
        ),
        save=lambda data: services.submit_report(project, data, actor=request.user),
        message=_("Progress report submitted."),
        template="projects/report_form.html",
        context={"project": project},
        then=project,
    )


def _report_or_404(request, pk) -> ProgressReport:
    return get_object_or_404(access.visible_reports(request.user).select_related("project"), pk=pk)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    _require(access.can_edit_report(request.user, report))
    return form_page(
        request,
        ProgressReportForm(
            request.POST or None, request.FILES or None, instance=report, project=report.project
        ),
        save=lambda data, version: services.revise_report(
            report, data, version=version, actor=request.user
        ),
        message=_("Progress report saved."),
        template="projects/report_form.html",
        context={"project": report.project, "report": report},
        then=report.project,
    )


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    _require(access.can_review_reports(request.user))
    return form_page(
        request,
        ReviewForm(request.POST or None),
        save=lambda data: services.review_report(
            report, approve=data["approve"], note=data["note"], actor=request.user
        ),
        message=_("Review saved."),
        template="projects/report_review.html",
        context={"project": report.project, "report": report},
        then=report.project,
    )


@login_required
def return_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require(access.can_submit_report(request.user, project))
    initial = {"year": request.GET["year"]} if request.GET.get("year") else None
    return form_page(
        request,
        AnnualReturnForm(request.POST or None, project=project, initial=initial),
        save=lambda data: services.record_annual_return(project, data, actor=request.user),
        message=_("Annual return saved."),
        template="projects/return_form.html",
        context={"project": project},
        then=project,
    )


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    # Counted among the projects the reader sees: an owner's round has their projects.
    visible = access.visible_projects(request.user)
    rounds = access.visible_rounds(request.user).annotate(
        project_count=Count("projects", filter=Q(projects__in=visible), distinct=True)
    )
    return render(
        request,
        "projects/round_list.html",
        {"rounds": rounds, "can_manage": access.can_manage_rounds(request.user)},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage_rounds(request.user))
    today = timezone.localdate()
    previous_month = Period.containing("month", today).previous()
    initial = {
        "period_kind": "month",
        "period_start": previous_month.start,
        "due_date": today.replace(day=25) if today.day <= 25 else today,
        "projects": Project.objects.values_list("pk", flat=True),
    }
    if request.GET.get("kind") == RoundKind.ANNUAL_RETURN:
        # Last year's returns, from the enterprises in production.
        initial.update(
            kind=RoundKind.ANNUAL_RETURN,
            period_start=date(today.year - 1, 1, 1),
            projects=Project.objects.filter(stage=Stage.PRODUCTION).values_list("pk", flat=True),
        )
    form = ReportingRoundForm(request.POST or None, initial=initial)
    if request.method == "POST":
        reporting_round = save_form(
            request,
            form,
            lambda data: services.open_round(data, actor=request.user),
            _("Reporting round opened; the owners have been notified."),
        )
        if reporting_round:
            return redirect(reporting_round)
    return render(request, "projects/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reporting_round = get_object_or_404(access.visible_rounds(request.user), pk=pk)
    projects = access.visible_projects(request.user)
    missing = reporting_round.missing().filter(pk__in=projects.values("pk"))
    received = reporting_round.reports().filter(project__in=projects).select_related("project")
    if not reporting_round.asks_for_returns:
        received = received.select_related("submitted_by")
    context = {
        "round": reporting_round,
        "missing": missing.select_related("owner", "lead_department"),
        "reports": received,
        "can_manage": access.can_manage_rounds(request.user),
        "can_review": access.can_review_reports(request.user),
        "owner_projects": {p.pk for p in missing if access.can_submit_report(request.user, p)},
    }
    if request.headers.get("HX-Request"):
        return render(request, "projects/_round_missing.html", context)
    return render(request, "projects/round_detail.html", context)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    reporting_round = get_object_or_404(access.visible_rounds(request.user), pk=pk)
    _require(access.can_manage_rounds(request.user))
    services.close_round(reporting_round, actor=request.user)
    messages.success(request, _("Reporting round closed."))
    return redirect(reporting_round)
