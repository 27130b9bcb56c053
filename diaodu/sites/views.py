from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from diaodu.core.attachments import can_download
from diaodu.projects.access import visible_projects
from diaodu.sites import access, mapdata, services
from diaodu.sites.forms import LocationForm, ParcelDrawForm, ParcelImportForm
from diaodu.sites.models import Site

LATEST_PHOTOS = 6


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    project_filter = mapdata.filtered_projects(request)
    query = request.GET.urlencode()
    return render(
        request,
        "sites/map.html",
        {
            "filter": project_filter,
            "data_url": reverse("api:map") + (f"?{query}" if query else ""),
            "filter_query": query,
            "base_map": mapdata.base_map(),
        },
    )


def _project_or_404(request, pk):
    return get_object_or_404(visible_projects(request.user), pk=pk)


def latest_photos(user, project, limit=LATEST_PHOTOS):
    return list(
        access.visible_photos(user)
        .filter(project=project)
        .select_related("attachment")
        .order_by("-taken_at", "-uploaded_at")[:limit]
    )


@login_required
def project_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The card a tap on the map opens: stage, next milestone, open problems, latest photo."""
    project = get_object_or_404(
        visible_projects(request.user).with_reasons().select_related("next_milestone__kind"),
        pk=pk,
    )
    return render(
        request,
        "sites/_card.html",
        {
            "project": project,
            "assessment": project.assessment,
            "next_milestone": project.next_milestone,
            # Whoever sees a project sees all its problems: the stored count is theirs.
            "open_problems": project.open_problems,
            "photo": next(iter(latest_photos(request.user, project, 1)), None),
        },
    )


@login_required
def project_site(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's page for a project's place: its point, drawn and imported parcels."""
    project = _project_or_404(request, pk)
    _require(access.can_edit_site(request.user, project))
    site = Site.objects.filter(project=project).first()
    action = request.POST.get("action") if request.method == "POST" else None
    location_form = LocationForm(request.POST if action == "location" else None, instance=site)
    draw_form = ParcelDrawForm(request.POST if action == "draw" else None)
    import_form = ParcelImportForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    status = 200
    if action:
        try:
            if action == "location" and location_form.is_valid():
                data = location_form.cleaned_data
                services.set_location(
                    project, data["latitude"], data["longitude"], actor=request.user
                )
                messages.success(request, _("Location saved."))
                return redirect("sites:project_site", pk=project.pk)
            if action == "draw" and draw_form.is_valid():
                _parcel, warning = services.draw_parcel(
                    project,
                    draw_form.cleaned_data["geometry"],
                    name=draw_form.cleaned_data["name"],
                    actor=request.user,
                )
                messages.success(request, _("Parcel saved."))
                if warning:
                    messages.warning(request, warning)
                return redirect("sites:project_site", pk=project.pk)
            if action == "import" and import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                parcels, warnings = services.import_parcels(
                    project, upload.name, upload.read(), actor=request.user
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)d parcel imported.", "%(count)d parcels imported.", len(parcels)
                    )
                    % {"count": len(parcels)},
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("sites:project_site", pk=project.pk)
        except ValidationError as error:
            form = {"draw": draw_form, "import": import_form}.get(action, location_form)
            form.add_error(None, error)
        status = 400
    parcels = list(project.parcels.all())
    return render(
        request,
        "sites/project_site.html",
        {
            "project": project,
            "site": site,
            "parcels": parcels,
            "location_form": location_form,
            "draw_form": draw_form,
            "import_form": import_form,
            "base_map": mapdata.base_map(),
            "features": mapdata.site_features(project, site, parcels, mapdata.zone_boundary()),
        },
        status=status,
    )


@login_required
@require_POST
def parcel_remove(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(
        access.visible_parcels(request.user).select_related("project"), pk=pk
    )
    _require(access.can_edit_site(request.user, parcel.project))
    services.remove_parcel(parcel, actor=request.user)
    messages.success(request, _("Parcel removed."))
    return redirect("sites:project_site", pk=parcel.project_id)


@login_required
def photo_file(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """A photo's thumbnail or web copy. Both were re-encoded without EXIF, so they carry
    no place, whoever may open them."""
    photo = get_object_or_404(
        access.visible_photos(request.user).select_related("attachment__content_type"), pk=pk
    )
    if not can_download(request.user, photo.attachment):
        raise Http404
    file = photo.thumbnail if size == "thumbnail" else photo.web
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def photo_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    photos = list(
        access.visible_photos(request.user)
        .filter(project=project)
        .select_related("attachment", "uploaded_by")
        .order_by("taken_at", "uploaded_at")
    )
    for photo in photos:
        photo.place_visible = photo.has_place and access.can_see_photo_place(request.user, photo)
    return render(request, "sites/photo_timeline.html", {"project": project, "photos": photos})
