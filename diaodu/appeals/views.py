from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.appeals import access, services
from diaodu.appeals.filters import AppealFilter
from diaodu.appeals.forms import AcceptForm, AnswerForm, AppealRaiseForm, MergeForm, RateForm
from diaodu.appeals.models import AppealEntry, with_triage_late
from diaodu.core.access import require as _require
from diaodu.core.attachments import attachments_of
from diaodu.core.services import Conflict
from diaodu.core.views import save_form
from diaodu.problems.access import visible_problems
from diaodu.problems.models import OPEN_PROBLEM
from diaodu.problems.views import _conflict_message
from diaodu.projects.access import visible_projects

PAGE_SIZE = 30


def _appeal_or_404(request, pk):
    return get_object_or_404(
        access.visible_appeals(request.user).select_related(
            "project__owner", "raised_by", "triaged_by", "problem__lead_department"
        ),
        pk=pk,
    )


def _open_problems(user, appeal):
    """What a request may be merged into: the open problems of its project."""
    return (
        visible_problems(user)
        .filter(project=appeal.project_id, status__in=OPEN_PROBLEM)
        .order_by("due_date", "pk")
    )


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(access.can_view_appeals(user))
    today = timezone.localdate()
    filterset = AppealFilter(
        request.GET,
        queryset=with_triage_late(access.visible_appeals(user), today).select_related(
            "project", "problem"
        ),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/appeal_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "triage_days": settings.DIAODU_APPEAL_TRIAGE_DAYS,
            "can_raise": access.can_raise_appeals(user),
        },
    )


@login_required
def appeal_raise(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=project_pk)
    _require(access.can_raise_appeal(request.user, project))
    form = AppealRaiseForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST":
        appeal = save_form(
            request,
            form,
            lambda data: services.raise_appeal(
                project,
                {k: v for k, v in data.items() if k != "files"},
                actor=request.user,
                files=data["files"],
            ),
            _("Request sent to the coordination office."),
        )
        if appeal:
            return redirect(appeal)
    return render(
        request,
        "appeals/appeal_form.html",
        {"form": form, "project": project, "triage_days": settings.DIAODU_APPEAL_TRIAGE_DAYS},
    )


def _detail(request, appeal, **forms) -> HttpResponse:
    """The request's page; a refused triage or rating shows its form again, with errors,
    where it was."""
    user = request.user
    entries = list(appeal.entries.select_related("author", "organisation"))
    files = attachments_of(AppealEntry, [e.pk for e in entries])
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    can_triage = access.can_triage_appeal(user, appeal)
    can_rate = access.can_rate_appeal(user, appeal)
    today = timezone.localdate()
    context = {
        "appeal": appeal,
        "entries": entries,
        "problem": appeal.problem,
        "cooperating": appeal.problem.cooperating_departments.all() if appeal.problem else (),
        "triage_overdue": appeal.triage_overdue(today),
        "can_triage": can_triage,
        "can_rate": can_rate,
        "open_tab": next(iter(forms), "accept"),
        # Where the triage was opened from (the inbox): the forms go back there.
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    if can_triage:
        context["accept_form"] = forms.get("accept") or AcceptForm(appeal=appeal)
        context["merge_form"] = forms.get("merge") or MergeForm(
            appeal=appeal, problems=_open_problems(user, appeal)
        )
        context["answer_form"] = forms.get("answer") or AnswerForm(appeal=appeal)
    if can_rate:
        context["rate_form"] = forms.get("rate") or RateForm()
    return render(request, "appeals/appeal_detail.html", context)


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _appeal_or_404(request, pk))


def _answer(request, appeal, name, form, call, message) -> HttpResponse:
    """After a triage or a rating: back to the request; if refused, its form again with the
    errors, or, when the request has moved on meanwhile (someone else decided), the
    request as it is now with the reason."""
    try:
        result = save_form(request, form, call, message)
    except Conflict:
        messages.error(request, _conflict_message())
        return redirect(appeal)
    if result:
        return _next(request) or redirect(appeal)
    appeal = _appeal_or_404(request, appeal.pk)
    offered = (
        access.can_rate_appeal(request.user, appeal)
        if name == "rate"
        else access.can_triage_appeal(request.user, appeal)
    )
    if not offered:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(appeal)
    return _detail(request, appeal, **{name: form})


def _next(request):
    """Back where the action was taken (the inbox), if that is one of our pages."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return None


@login_required
@require_POST
def appeal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    _require(access.can_triage_appeals(request.user))
    form = AcceptForm(request.POST, appeal=appeal)
    return _answer(
        request,
        appeal,
        "accept",
        form,
        lambda data: services.accept_appeal(
            appeal,
            {k: v for k, v in data.items() if k not in ("version", "note")},
            actor=request.user,
            version=data["version"],
            text=data["note"],
        ),
        _("Request accepted: the problem is sent to the departments."),
    )


@login_required
@require_POST
def appeal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    _require(access.can_triage_appeals(request.user))
    form = MergeForm(request.POST, appeal=appeal, problems=_open_problems(request.user, appeal))
    return _answer(
        request,
        appeal,
        "merge",
        form,
        lambda data: services.merge_appeal(
            appeal, data["problem"], actor=request.user, version=data["version"], text=data["note"]
        ),
        _("Request merged into the problem."),
    )


@login_required
@require_POST
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    _require(access.can_triage_appeals(request.user))
    form = AnswerForm(request.POST, appeal=appeal)
    return _answer(
        request,
        appeal,
        "answer",
        form,
        lambda data: services.answer_appeal(
            appeal, data["answer"], actor=request.user, version=data["version"]
        ),
        _("Answer sent; the request is closed."),
    )


@login_required
@require_POST
def appeal_rate(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    _require(access.is_appeal_owner(request.user, appeal))
    form = RateForm(request.POST)
    return _answer(
        request,
        appeal,
        "rate",
        form,
        lambda data: services.rate_appeal(
            appeal, data["rating"], data["comment"], actor=request.user
        ),
        _("Thank you for rating the answer."),
    )
