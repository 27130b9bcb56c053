from collections import defaultdict
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.core.access import require as _require
from diaodu.core.views import form_page, save_form
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.meetings import access, briefing, documents, drafting, services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.filters import MeetingFilter
from diaodu.meetings.forms import (
    AgendaAddForm,
    DiscussionForm,
    DraftForm,
    EventBatchForm,
    HoldBatchForm,
    MeetingActionForm,
    MeetingForm,
    ReportForm,
)
from diaodu.meetings.models import AgendaItem, Minutes
from diaodu.projects.access import visible_projects
from diaodu.sites.mapdata import project_sites


def _meeting_or_404(request, pk):
    return get_object_or_404(
        access.visible_meetings(request.user).select_related("chair", "previous"), pk=pk
    )


def _item_or_404(request, pk) -> AgendaItem:
    """An agenda item of a project the user may see, in a meeting they may see."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "project").filter(
            meeting__in=access.visible_meetings(request.user)
        ),
        pk=pk,
    )
    if not access.visible_agenda(request.user, item.meeting).filter(pk=item.pk).exists():
        raise Http404
    return item


def _errors_message(form) -> str:
    """A form's errors as one message, each after its field's label: the plain (non-htmx)
    posts show them on the meeting page, away from the form."""
    colon = "：" if (get_language() or "").startswith("zh") else ": "
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        parts += [f"{label}{colon}{error}" if label else error for error in errors]
    return " ".join(parts)


def _briefs(request, meeting, today):
    return briefing.briefs(
        meeting, access.visible_agenda(request.user, meeting), request.user, today
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = (
        access.visible_meetings(request.user)
        .select_related("chair")
        .annotate(
            # Only the agenda projects the user may see count: the size says nothing of others.
            agenda_size=Count(
                "agenda",
                filter=Q(agenda__project__in=visible_projects(request.user)),
                distinct=True,
            )
        )
        .order_by("-starts_at")
    )
    meeting_filter = MeetingFilter(request.GET, queryset=meetings, request=request)
    # A zone holds a weekly meeting and many special ones: years of them make a long page.
    page = Paginator(meeting_filter.qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "filter": meeting_filter,
            "can_manage": access.can_manage_meetings(request.user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage_meetings(request.user))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting created. Now build its agenda."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    _require(access.can_manage_meetings(request.user) and not meeting.is_issued)
    return form_page(
        request,
        MeetingForm(request.POST or None, instance=meeting),
        save=lambda data, version: services.update_meeting(
            meeting, data, version=version, actor=request.user
        ),
        message=_("Meeting saved."),
        template="meetings/meeting_form.html",
        context={"meeting": meeting},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    today = timezone.localdate()
    briefs = _briefs(request, meeting, today)
    can_run = access.can_run_meeting(request.user, meeting)
    if can_run:
        action_forms = MeetingActionForm.blank_for_agenda([brief.item for brief in briefs])
        for brief in briefs:
            brief.discussion_form = DiscussionForm(instance=brief.item, prefix=f"d{brief.item.pk}")
            brief.action_form = action_forms[brief.item.pk]
    can_manage = access.can_manage_meetings(request.user)
    issuing = {}
    if can_manage and not meeting.is_issued:
        issuing = {
            "issue_blockers": services.minutes_blockers(meeting, today),
            "issue_recipients": services.minutes_recipients(meeting),
        }
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **issuing,
            "meeting": meeting,
            "briefs": briefs,
            "follow_up": briefing.follow_up(meeting, request.user),
            "previous": access.shown_previous(request.user, meeting),
            "today": today,
            "can_run": can_run,
            "minutes": Minutes.objects.filter(meeting=meeting).first()
            if meeting.is_issued
            else None,
            "can_read_minutes": meeting.is_issued
            and access.can_read_issued_minutes(request.user, meeting),
            "can_manage": can_manage and not meeting.is_issued,
            "agenda_form": AgendaAddForm() if can_manage and not meeting.is_issued else None,
            "attendees": meeting.attendees.all(),
            "organisations": access.shown_organisations(request.user, meeting),
        },
    )


@login_required
def meeting_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    today = timezone.localdate()
    briefs = _briefs(request, meeting, today)
    if request.GET.get("format") == "docx":
        return _docx(
            documents.briefing_document(meeting, briefs, today),
            _("Briefing %(meeting)s.docx") % {"meeting": meeting},
        )
    return render(
        request,
        "meetings/briefing.html",
        {"meeting": meeting, "briefs": briefs, "today": today},
    )


def _screen_context(request, meeting) -> dict:
    today = timezone.localdate()
    earlier = defaultdict(list)
    for action in briefing.follow_up(meeting, request.user):
        earlier[action.project_id].append(action)
    briefs = _briefs(request, meeting, today)
    sites = project_sites(
        [brief.project for brief in briefs], {brief.project.pk: brief.photos for brief in briefs}
    )
    for brief in briefs:
        brief.previous_actions = earlier[brief.item.project_id]
        brief.site = sites[brief.project.pk]
    return {"meeting": meeting, "briefs": briefs, "today": today}


@login_required
def meeting_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting on the room's big screen: a title screen, then one agenda item a screen.
    The deck polls ``meeting_screen_live`` and follows the item the clerk puts on screen."""
    meeting = _meeting_or_404(request, pk)
    return render(request, "meetings/screen.html", _screen_context(request, meeting))


@login_required
def meeting_screen_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The deck again when something on it changed since version ``v``; otherwise
    204 No Content (htmx leaves the screen as it is) after one small query."""
    version = (
        access.visible_meetings(request.user)
        .filter(pk=pk)
        .values_list("screen_version", flat=True)
        .first()
    )
    if version is None:
        raise Http404
    etag = f'"{version}"'
    if request.GET.get("v") == str(version) or request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=204)
    else:
        meeting = _meeting_or_404(request, pk)
        response = render(request, "meetings/_screen_deck.html", _screen_context(request, meeting))
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response


def _docx(content: bytes, filename: str) -> FileResponse:
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=filename, content_type=DOCX_TYPE
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued minutes as frozen; before issuing, a draft made from the current record."""
    meeting = _meeting_or_404(request, pk)
    if meeting.is_issued:
        _require(access.can_read_issued_minutes(request.user, meeting))
        return documents.issued_minutes_download(meeting.minutes)
    _require(access.can_run_meeting(request.user, meeting))
    briefs = _briefs(request, meeting, timezone.localdate())
    return _docx(
        documents.minutes_document(meeting, briefs),
        _("Minutes %(meeting)s (draft).docx") % {"meeting": meeting},
    )


@login_required
@require_POST
def meeting_issue(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    _require(access.can_manage_meetings(request.user))
    # The issued document holds the whole agenda, whoever issues it.
    briefs = briefing.briefs(meeting, meeting.agenda.all(), request.user, timezone.localdate())
    recipients = services.minutes_recipients(meeting)
    try:
        services.issue_minutes(
            meeting,
            lambda minutes: documents.minutes_document(meeting, briefs, minutes),
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    if recipients:
        message = _("Minutes issued; notified: %(organisations)s.") % {
            "organisations": "、".join(str(o) for o in recipients)
        }
    else:
        message = _("Minutes issued. No unit had an assignment in them; nobody was notified.")
    messages.success(request, message)
    return redirect(meeting)


@login_required
@require_POST
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    _require(access.can_manage_meetings(request.user) and not meeting.is_issued)
    services.update_meeting(meeting, {"status": MeetingStatus.HELD}, actor=request.user)
    return redirect(meeting)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    _require(access.can_manage_meetings(request.user))
    form = AgendaAddForm(request.POST)
    form.fields["projects"].queryset = visible_projects(request.user)
    if not form.is_valid():
        messages.error(request, _errors_message(form))
        return redirect(meeting)
    group = {
        "attention": services.projects_needing_attention,
        "overdue_problems": services.projects_with_overdue_problems,
    }.get(form.cleaned_data["group"])
    projects = list(form.cleaned_data["projects"])
    if group:
        projects += list(group())
    if form.cleaned_data["project_list"]:
        projects += list(form.cleaned_data["project_list"].projects.order_by("code"))
    try:
        added = services.add_to_agenda(meeting, projects, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d project added to the agenda.",
                "%(count)d projects added to the agenda.",
                len(added),
            )
            % {"count": len(added)},
        )
    return redirect(meeting)


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_manage_meetings(request.user))
    try:
        services.move_agenda_item(item, -1 if direction == "up" else 1, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item.meeting)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_manage_meetings(request.user))
    try:
        services.remove_agenda_item(item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item.meeting)


def _agenda_partial(request, item, **extra):
    today = timezone.localdate()
    [brief] = briefing.briefs(
        item.meeting, AgendaItem.objects.filter(pk=item.pk), request.user, today
    )
    brief.discussion_form = extra.pop("discussion_form", None) or DiscussionForm(
        instance=brief.item, prefix=f"d{item.pk}"
    )
    brief.action_form = extra.pop("action_form", None) or MeetingActionForm(
        project=item.project, prefix=f"a{item.pk}"
    )
    return render(
        request,
        "meetings/_agenda_item.html",
        {
            "brief": brief,
            "meeting": item.meeting,
            "today": today,
            "can_run": True,
            # The swapped-in card keeps the office's reorder and remove buttons.
            "can_manage": access.can_manage_meetings(request.user),
            "number": request.POST.get("number", ""),
            **extra,
        },
    )


@login_required
@require_POST
def agenda_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_run_meeting(request.user, item.meeting))
    form = DiscussionForm(request.POST, instance=item, prefix=f"d{item.pk}")
    htmx = bool(request.headers.get("HX-Request"))
    saved = save_form(
        request,
        form,
        lambda data, version: services.record_discussion(
            item, data, version=version, actor=request.user
        ),
        # The swapped-in card says "saved" itself.
        None if htmx else _("Discussion saved."),
    )
    if htmx:
        return _agenda_partial(
            request, item, discussion_form=None if saved else form, saved=bool(saved)
        )
    if not saved and not form.conflict:
        messages.error(request, _errors_message(form))
    return redirect(item.meeting)


@login_required
@require_POST
def agenda_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk puts this item on the big screen."""
    item = _item_or_404(request, pk)
    _require(access.can_run_meeting(request.user, item.meeting))
    services.show_on_screen(item, actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "meetings/_show_on_screen.html", {"item": item, "shown": True})
    return redirect(item.meeting)


@login_required
@require_POST
def agenda_assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    _require(access.can_run_meeting(request.user, item.meeting))
    form = MeetingActionForm(request.POST, project=item.project, prefix=f"a{item.pk}")
    assigned = False
    if form.is_valid():
        try:
            services.assign_in_meeting(item, form.cleaned_data, actor=request.user)
            assigned = True
        except ValidationError as error:
            form.add_error(None, error)
    if request.headers.get("HX-Request"):
        return _agenda_partial(request, item, action_form=None if assigned else form)
    if assigned:
        messages.success(request, _("Action item assigned."))
    else:
        messages.error(request, _errors_message(form))
    return redirect(item.meeting)


# --- event batches --------------------------------------------------------------------


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    # Counted and summed over the projects the user may see, as the batch's page shows them.
    shown = Q(projects__in=visible_projects(request.user))
    batches = access.visible_batches(request.user).annotate(
        project_count=Count("projects", filter=shown, distinct=True),
        investment=Sum("projects__total_investment", filter=shown),
    )
    return render(
        request,
        "meetings/batch_list.html",
        {"batches": batches, "can_manage": access.can_manage_batches(request.user)},
    )


@login_required
def batch_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage_batches(request.user))
    form = EventBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = services.create_batch(form.cleaned_data, actor=request.user)
        messages.success(request, _("Event batch created."))
        return redirect(batch)
    return render(request, "meetings/batch_form.html", {"form": form})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(access.visible_batches(request.user), pk=pk)
    projects = batch.projects.filter(pk__in=visible_projects(request.user).values("pk"))
    projects = projects.select_related("owner", "lead_department").order_by("code")
    form = HoldBatchForm(request.POST or None)
    if request.method == "POST":
        _require(access.can_manage_batches(request.user))
        if form.is_valid():
            try:
                services.hold_batch(batch, form.cleaned_data["held_on"], actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Event marked as held; the projects' milestones are updated.")
                )
                return redirect(batch)
    return render(
        request,
        "meetings/batch_detail.html",
        {
            "batch": batch,
            "projects": projects,
            "investment": projects.aggregate(total=Sum("total_investment"))["total"],
            "form": form,
            "can_manage": access.can_manage_batches(request.user),
        },
    )


# --- drafting a meeting from a published report ------------------------------------------


def _draft_form(request, report: str, data=None) -> DraftForm:
    projects = visible_projects(request.user)
    draft = drafting.draft(report, projects=projects, today=timezone.localdate())
    return DraftForm(data, draft=draft, report=report, projects=projects)


@login_required
def meeting_draft(request: HttpRequest) -> HttpResponse:
    """Paste or upload a report; a valid one is shown as a draft to review. Nothing is
    saved here."""
    _require(access.can_manage_meetings(request.user))
    # A paste beyond what Django reads into memory never gets here: reading the form for
    # its CSRF token refuses it first, with the 400 page that says what to do.
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft_form = _draft_form(request, form.cleaned_data["report"])
        return render(request, "meetings/draft_preview.html", {"form": draft_form})
    return render(request, "meetings/draft_form.html", {"form": form})


@login_required
@require_POST
def meeting_draft_confirm(request: HttpRequest) -> HttpResponse:
    """Create what the coordinator kept of the draft, all at once, and open the meeting."""
    _require(access.can_manage_meetings(request.user))
    try:
        report = drafting.read_report(request.POST.get("report", ""))
    except ValidationError as error:
        return render(
            request,
            "meetings/draft_form.html",
            {"form": ReportForm(), "refusal": " ".join(error.messages)},
        )
    form = _draft_form(request, report, request.POST)
    if form.is_valid():
        try:
            meeting = drafting.confirm(form.confirmed(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Meeting created from the report."))
            return redirect(meeting)
    return render(request, "meetings/draft_preview.html", {"form": form})
