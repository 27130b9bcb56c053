from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.core.access import require as _require
from diaodu.core.attachments import attachments_of
from diaodu.core.replica import reads_from_replica
from diaodu.core.search import SearchForm, matching
from diaodu.core.services import Conflict
from diaodu.core.views import CONFLICT_MESSAGE
from diaodu.org.models import Organisation
from diaodu.problems import access, lights, services
from diaodu.problems.choices import Light
from diaodu.problems.filters import ActionItemFilter, ProblemFilter
from diaodu.problems.forms import (
    ActionItemEditForm,
    ActionItemForm,
    ActionTransitionForm,
    ProblemEditForm,
    ProblemRaiseForm,
    ProblemTransitionForm,
    UpdateForm,
)
from diaodu.problems.lists import RowPaginator, decorate, rows
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.projects.access import visible_projects

PAGE_SIZE = 30
DESK_PAGE = 30


def _problem_or_404(request, pk) -> Problem:
    return get_object_or_404(
        access.visible_problems(request.user).select_related(
            "project", "lead_department", "raised_by"
        ),
        pk=pk,
    )


def _item_or_404(request, pk) -> ActionItem:
    return get_object_or_404(
        access.visible_action_items(request.user).select_related(
            "project", "problem", "lead_department", "assigned_by"
        ),
        pk=pk,
    )


def _done(request, item, message) -> HttpResponse:
    """After a quick action: the refreshed desk row for htmx, else back where the user was."""
    if request.headers.get("HX-Request"):
        return _desk_row(request, item, message=message)
    messages.success(request, message)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(item)


def _failed(request, item, error) -> HttpResponse:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    if request.headers.get("HX-Request"):
        return _desk_row(request, item, error=text)
    messages.error(request, text)
    return redirect(item)


def _act(request, item, call, message) -> HttpResponse:
    """Run a quick action's service call and answer as _done or _failed do."""
    try:
        call()
    except Conflict:
        return _failed(request, item, ValidationError(_conflict_message()))
    except ValidationError as error:
        return _failed(request, item, error)
    return _done(request, item, message)


def _desk_row(request, item, message="", error=""):
    today = timezone.localdate()
    [row] = decorate(rows(type(item).objects.filter(pk=item.pk)), request.user)
    return render(
        request,
        "problems/_desk_row.html",
        {"item": row, "today": today, "flash": message, "error": error},
    )


def _quick_actions(request, item) -> HttpResponse:
    """A desk row's forms, fetched when the row is opened: a page of rows carries none."""
    [item] = decorate([item], request.user)
    _require(item.can_write or bool(item.moves))
    return render(
        request,
        "problems/_quick_actions.html",
        # Where a form sent without htmx returns to: the page the row is on.
        {"item": item, "next": request.headers.get("HX-Current-URL", "")},
    )


@login_required
def problem_quick_actions(request: HttpRequest, pk: int) -> HttpResponse:
    return _quick_actions(request, _problem_or_404(request, pk))


@login_required
def action_quick_actions(request: HttpRequest, pk: int) -> HttpResponse:
    return _quick_actions(request, _item_or_404(request, pk))


# --- desk and supervision -------------------------------------------------------------


@login_required
@reads_from_replica
def desk(request: HttpRequest) -> HttpResponse:
    """What is assigned to one organisation, as lead or cooperating, overdue first."""
    user = request.user
    organisation = user.organisation
    choosable = access.desk_choices(user)
    if choosable is not None:
        chosen = request.GET.get("organisation")
        if chosen and not chosen.isdecimal():
            return HttpResponseBadRequest(
                _("The organisation is chosen by its number, not %(value)s.") % {"value": chosen},
                content_type="text/plain; charset=utf-8",
            )
        if chosen:
            organisation = get_object_or_404(choosable, pk=chosen)
    if organisation is None:
        raise PermissionDenied
    today = timezone.localdate()
    problems = access.visible_problems(user).filter(status__in=lights.OPEN_PROBLEM)
    actions = access.visible_action_items(user).filter(status__in=lights.OPEN_ACTION)
    shows_assignments = access.desk_shows_assignments(user)
    if shows_assignments:
        involving = Q(lead_department=organisation) | Q(cooperating_departments=organisation)
        problems = problems.filter(pk__in=Problem.objects.filter(involving).values("pk"))
        actions = actions.filter(pk__in=ActionItem.objects.filter(involving).values("pk"))
    search = SearchForm(request.GET)
    problems, actions = matching(problems, search.text()), matching(actions, search.text())
    # A busy department has hundreds of open items: show them a page at a time, the most
    # urgent first.
    problem_page = RowPaginator(rows(problems), DESK_PAGE).get_page(
        request.GET.get("problems_page")
    )
    action_page = RowPaginator(rows(actions), DESK_PAGE).get_page(request.GET.get("actions_page"))
    problem_page.object_list = decorate(problem_page.object_list, user)
    action_page.object_list = decorate(action_page.object_list, user)
    query = request.GET.copy()
    query.pop("problems_page", None)
    query.pop("actions_page", None)
    return render(
        request,
        "problems/desk.html",
        {
            "organisation": organisation,
            "choosable": choosable,
            "shows_assignments": shows_assignments,
            "problem_page": problem_page,
            "action_page": action_page,
            "problems": problem_page.object_list,
            "actions": action_page.object_list,
            "search": search,
            "query": query.urlencode(),
            "today": today,
        },
    )


@login_required
@reads_from_replica
def supervision(request: HttpRequest) -> HttpResponse:
    """督办: every open problem and action item, filterable, with counts per department."""
    _require(access.can_supervise(request.user))
    today = timezone.localdate()
    tab = "actions" if request.GET.get("tab") == "actions" else "problems"
    if tab == "problems":
        filterset = ProblemFilter(
            request.GET, queryset=rows(Problem.objects.all()), request=request
        )
    else:
        filterset = ActionItemFilter(
            request.GET, queryset=rows(ActionItem.objects.all()), request=request
        )
    page = RowPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = decorate(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "problems/supervision.html",
        {
            "tab": tab,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "counts": department_counts(),
            "today": today,
            "can_assign": access.can_create_action_item(request.user),
        },
    )


def department_counts():
    """Per department: open and overdue problems it leads, open and overdue action items.

    Problems and action items are counted in two grouped queries, not one query joining
    both: that join multiplies every department's problems by its action items."""

    def per_department(model):
        return {
            row["lead_department"]: row
            for row in model.objects.filter(lights.open_q(model))
            .values("lead_department")
            .annotate(open=Count("*"), overdue=Count("light", filter=Q(light=Light.RED)))
            .order_by()
        }

    problems = per_department(Problem)
    actions = per_department(ActionItem)
    departments = list(
        Organisation.objects.departments().filter(pk__in=set(problems) | set(actions))
    )
    for department in departments:
        p, a = problems.get(department.pk, {}), actions.get(department.pk, {})
        department.problems_open, department.problems_overdue = (
            p.get("open", 0),
            p.get("overdue", 0),
        )
        department.actions_open, department.actions_overdue = a.get("open", 0), a.get("overdue", 0)
    departments.sort(key=lambda d: (-d.problems_overdue, -d.actions_overdue, d.sort_order))
    return departments


# --- problems -------------------------------------------------------------------------


@login_required
def problem_raise(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=project_pk)
    _require(access.can_raise_problem(request.user, project))
    form = ProblemRaiseForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        try:
            problem = services.raise_problem(
                project, data, actor=request.user, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Problem raised and sent to the departments."))
            return redirect(problem)
    return render(request, "problems/problem_form.html", {"form": form, "project": project})


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_or_404(request, pk)
    user = request.user
    entries = list(problem.entries.select_related("author", "organisation"))
    files = attachments_of(ProblemEntry, [e.pk for e in entries])
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    decorate([problem], user)
    return render(
        request,
        "problems/problem_detail.html",
        {
            "problem": problem,
            "cooperating": problem.cooperating_departments.all(),
            "entries": entries,
            "today": timezone.localdate(),
            # Only the action items this reader may open (a department sees its own).
            "action_items": access.visible_action_items(user)
            .filter(problem=problem)
            .select_related("lead_department"),
            "transitions": problem.moves,
            "transition_form": ProblemTransitionForm(initial={"version": problem.version}),
            "update_form": UpdateForm(),
            "can_update": access.can_update_problem(user, problem),
            "can_instruct": access.can_instruct(user, problem),
            "can_edit": access.can_edit_problem(user, problem),
            "can_assign": access.can_create_action_item(user),
        },
    )


@login_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_or_404(request, pk)
    _require(access.can_edit_problem(request.user, problem))
    form = ProblemEditForm(request.POST or None, instance=problem)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.edit_problem(
                problem, data, version=form.cleaned_data["version"], actor=request.user
            )
        except Conflict as conflict:
            form.rebase(conflict.current)
            messages.error(request, CONFLICT_MESSAGE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Problem saved."))
            return redirect(problem)
    return render(
        request,
        "problems/problem_form.html",
        {"form": form, "project": problem.project, "problem": problem},
    )


def _conflict_message() -> str:
    return _(
        "Someone else changed this since you opened it. Their values are shown now; "
        "make your change again."
    )


@login_required
@require_POST
def problem_update(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_or_404(request, pk)
    instruction = request.POST.get("instruction") == "1"
    allowed = (
        access.can_instruct(request.user, problem)
        if instruction
        else access.can_update_problem(request.user, problem)
    )
    _require(allowed)
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, problem, ValidationError(list(form.errors.values())))
    try:
        services.add_problem_update(
            problem,
            form.cleaned_data["text"],
            actor=request.user,
            files=form.cleaned_data["files"],
            instruction=instruction,
        )
    except ValidationError as error:
        return _failed(request, problem, error)
    return _done(request, problem, _("Update added."))


@login_required
@require_POST
def problem_transition(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_or_404(request, pk)
    form = ProblemTransitionForm(request.POST)
    if not form.is_valid():
        return _failed(request, problem, ValidationError(_("The form was incomplete.")))
    data = form.cleaned_data
    _require(access.can_transition_problem(request.user, problem, data["to_status"]))
    return _act(
        request,
        problem,
        lambda: services.transition_problem(
            problem,
            data["to_status"],
            actor=request.user,
            version=data["version"],
            text=data["text"],
            resolution=data["resolution"],
            root_cause=data["root_cause"],
        ),
        _("Status changed."),
    )


# --- action items ---------------------------------------------------------------------


def _action_form(request, form_class, **kwargs):
    projects = visible_projects(request.user)
    problems = access.visible_problems(request.user).filter(status__in=lights.OPEN_PROBLEM)
    return form_class(request.POST or None, projects=projects, problems=problems, **kwargs)


@login_required
def action_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_create_action_item(request.user))
    initial = {k: request.GET[k] for k in ("project", "problem") if request.GET.get(k)}
    form = _action_form(request, ActionItemForm, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.assign_action_item(form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action item assigned."))
            return redirect(item)
    return render(request, "problems/action_form.html", {"form": form})


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    user = request.user
    entries = list(item.entries.select_related("author", "organisation"))
    files = attachments_of(ActionItemEntry, [e.pk for e in entries])
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    decorate([item], user)
    return render(
        request,
        "problems/action_detail.html",
        {
            "item": item,
            "cooperating": item.cooperating_departments.all(),
            "entries": entries,
            "today": timezone.localdate(),
            "transitions": item.moves,
            "transition_form": ActionTransitionForm(initial={"version": item.version}),
            "feedback_form": UpdateForm(),
            "can_feedback": access.can_give_feedback(user, item),
            "can_edit": access.can_edit_action_item(user, item),
        },
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_edit_action_item(request.user, item))
    form = _action_form(request, ActionItemEditForm, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.edit_action_item(
                item, data, version=form.cleaned_data["version"], actor=request.user
            )
        except Conflict as conflict:
            form.rebase(conflict.current)
            messages.error(request, CONFLICT_MESSAGE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action item saved."))
            return redirect(item)
    return render(request, "problems/action_form.html", {"form": form, "item": item})


@login_required
@require_POST
def action_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_give_feedback(request.user, item))
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, item, ValidationError(list(form.errors.values())))
    try:
        services.give_feedback(
            item, form.cleaned_data["text"], actor=request.user, files=form.cleaned_data["files"]
        )
    except ValidationError as error:
        return _failed(request, item, error)
    return _done(request, item, _("Feedback added."))


@login_required
@require_POST
def action_transition(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    form = ActionTransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, item, ValidationError(list(form.errors.values())))
    data = form.cleaned_data
    _require(access.can_transition_action_item(request.user, item, data["to_status"]))
    return _act(
        request,
        item,
        lambda: services.move_action_item(
            item,
            data["to_status"],
            actor=request.user,
            version=data["version"],
            text=data["text"],
            files=data["files"],
        ),
        _("Status changed."),
    )
