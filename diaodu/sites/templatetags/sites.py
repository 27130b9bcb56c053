from django import template
from django.utils.translation import gettext as _

from diaodu.sites.access import visible_photos
from diaodu.sites.models import Site

register = template.Library()


@register.simple_tag
def map_layer_labels() -> dict:
    """The names of the map's layers in the reader's language, for ``json_script``."""
    return {
        "project": _("Projects"),
        "parcel": _("Parcels"),
        "problems": _("Open problems"),
        "grade": _("Land efficiency grade"),
        "approvals": _("Approvals pending"),
        "photo": _("Photos"),
    }


@register.simple_tag(takes_context=True)
def project_site(context, project, photos=4) -> dict:
    """A project's point, parcels and latest photos the reader may see, for
    ``sites/_project_site.html``: three queries."""
    from diaodu.sites import mapdata

    user = context["request"].user
    site = Site.objects.filter(project=project).first()
    parcels = list(project.parcels.all())
    return {
        "features": mapdata.site_features(project, site, parcels, mapdata.zone_boundary()),
        "located": site is not None or bool(parcels),
        "photos": list(
            visible_photos(user)
            .filter(project=project)
            .select_related("attachment")
            .order_by("-taken_at", "-uploaded_at")[:photos]
        ),
        "base_map": mapdata.base_map(),
    }
