from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from diaodu.agreements import access, services, targets
from diaodu.agreements.choices import Fulfilment
from diaodu.agreements.filters import AgreementFilter
from diaodu.agreements.forms import (
    AgreementEditForm,
    AgreementForm,
    CommitmentEditForm,
    CommitmentForm,
    FulfilmentForm,
)
from diaodu.agreements.lists import STATE_CLASSES, commitment_rows, explain, ledger
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core.access import require as _require
from diaodu.core.attachments import attachments_of
from diaodu.core.models import ChangeLog
from diaodu.core.services import Conflict
from diaodu.core.views import CONFLICT_MESSAGE
from diaodu.projects.access import visible_projects
from diaodu.reports.choices import JobKind
from diaodu.reports.views import export_response

PAGE_SIZE = 30
HISTORY_SHOWN = 50


def _agreement_or_404(request, pk) -> Agreement:
    return get_object_or_404(
        access.visible_agreements(request.user).select_related(
            "project", "enterprise", "zone_party", "recorded_by"
        ),
        pk=pk,
    )


def _commitment_or_404(request, pk) -> Commitment:
    return get_object_or_404(
        access.visible_commitments(request.user).select_related("agreement__project"), pk=pk
    )


def _rules() -> dict:
    """The thresholds the rules shown on the page are stated with."""
    return {
        "at_risk_days": settings.DIAODU_COMMITMENT_AT_RISK_DAYS,
        "keep": 100 - settings.DIAODU_COMMITMENT_TOLERANCE,
    }


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = AgreementFilter(
        request.GET,
        queryset=access.visible_agreements(user).select_related("project", "enterprise"),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    agreements = list(page.object_list)
    counts = Counter(
        access.visible_commitments(user)
        .filter(agreement__in=agreements)
        .values_list("agreement", "fulfilment")
    )
    for agreement in agreements:
        agreement.states = [
            (state, counts[(agreement.pk, state.value)], STATE_CLASSES[state])
            for state in Fulfilment
        ]
    page.object_list = agreements
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query(request),
            "can_manage": access.can_manage_agreements(user),
            "names_department": access.names_department(user),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    user = request.user
    today = timezone.localdate()
    commitments = explain(
        commitment_rows(access.visible_commitments(user).filter(agreement=agreement))
    )
    records = list(
        FulfilmentRecord.objects.filter(commitment__in=[c.pk for c in commitments]).select_related(
            "recorded_by"
        )
    )
    evidence = attachments_of(FulfilmentRecord, [r.pk for r in records])
    by_commitment = {}
    for record in records:
        record.files = evidence.get(record.pk, [])
        by_commitment.setdefault(record.commitment_id, []).append(record)
    for commitment in commitments:
        commitment.fulfilments = by_commitment.get(commitment.pk, [])
    can_documents = access.can_view_agreement_documents(user, agreement)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": commitments,
            "documents": attachments_of(Agreement, [agreement.pk]).get(agreement.pk, [])
            if can_documents
            else None,
            "changes": ChangeLog.objects.for_object(agreement)
            .select_related("actor", "object_type")
            .order_by("-timestamp", "-pk")[:HISTORY_SHOWN]
            if access.can_view_agreement_history(user)
            else None,
            "can_manage": access.can_manage_agreements(user),
            "today": today,
            **_rules(),
        },
    )


def _save(request, form, call, success, template, context):
    """Run a form's service call; on a stale version show both versions (``VersionMixin``)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = call(form)
        except Conflict as conflict:
            form.rebase(conflict.current)
            messages.error(request, CONFLICT_MESSAGE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            note = getattr(form, "target_note", "")
            if note:
                messages.info(request, note)
            messages.success(request, success)
            return redirect(obj)
    return render(request, template, {**context, "form": form})


def _data(form, *skip):
    return {k: v for k, v in form.cleaned_data.items() if k not in {"files", "version", *skip}}


@login_required
def agreement_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=project_pk)
    _require(access.can_manage_agreements(request.user))
    form = AgreementForm(request.POST or None, request.FILES or None, project=project)
    return _save(
        request,
        form,
        lambda f: services.create_agreement(
            project, _data(f), actor=request.user, files=f.cleaned_data["files"]
        ),
        _("Agreement recorded. Add its commitments now."),
        "agreements/agreement_form.html",
        {"project": project},
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    _require(access.can_manage_agreements(request.user))
    form = AgreementEditForm(
        request.POST or None, request.FILES or None, instance=agreement, project=agreement.project
    )
    return _save(
        request,
        form,
        lambda f: services.edit_agreement(
            agreement,
            _data(f),
            version=f.cleaned_data["version"],
            actor=request.user,
            files=f.cleaned_data["files"],
        ),
        _("Agreement saved."),
        "agreements/agreement_form.html",
        {"project": agreement.project, "agreement": agreement},
    )


@login_required
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    _require(access.can_manage_agreements(request.user))
    form = CommitmentForm(request.POST or None, agreement=agreement)
    return _save(
        request,
        form,
        lambda f: services.add_commitment(agreement, _data(f), actor=request.user),
        _("Commitment added."),
        "agreements/commitment_form.html",
        {"agreement": agreement, "examples": targets.EXAMPLES},
    )


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_or_404(request, pk)
    _require(access.can_manage_agreements(request.user))
    agreement = commitment.agreement
    form = CommitmentEditForm(request.POST or None, instance=commitment, agreement=agreement)
    return _save(
        request,
        form,
        lambda f: services.edit_commitment(
            commitment, _data(f), version=f.cleaned_data["version"], actor=request.user
        ),
        _("Commitment saved."),
        "agreements/commitment_form.html",
        {"agreement": agreement, "commitment": commitment, "examples": targets.EXAMPLES},
    )


@login_required
def fulfilment_record(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_or_404(request, pk)
    _require(access.can_record_fulfilment(request.user, commitment))
    form = FulfilmentForm(request.POST or None, request.FILES or None, commitment=commitment)
    return _save(
        request,
        form,
        lambda f: (
            services.record_fulfilment(
                commitment, _data(f), actor=request.user, files=f.cleaned_data["files"]
            ).commitment
        ),
        _("Fulfilment recorded."),
        "agreements/fulfilment_form.html",
        {"commitment": commitment, "agreement": commitment.agreement},
    )


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every commitment the user may see; for a department, the commitments naming it."""
    filterset = ledger(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = explain(page.object_list)
    return render(
        request,
        "agreements/commitment_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query(request),
            "names_department": access.names_department(request.user),
            **_rules(),
        },
    )


@login_required
def commitment_ledger(request: HttpRequest) -> HttpResponse:
    return export_response(request, JobKind.COMMITMENT_LEDGER)
