"""Who may see and change locations, parcels and photos: the only place it is decided.

A project's location, parcels and photos are seen by whoever sees the project. The office
draws and imports parcels. The place a photo was taken (its GPS) is another matter: it can
show where someone stood or lives, so it is given only to the roles that see everything and
to the organisation that took the photo. Shown copies never carry EXIF, so this rule is the
only way the place reaches anyone.
"""

from diaodu.projects.access import visible_projects
from diaodu.sites.models import Parcel, Photo, Site


def visible_sites(user):
    return Site.objects.filter(project__in=visible_projects(user))


def visible_parcels(user):
    return Parcel.objects.filter(project__in=visible_projects(user))


def visible_photos(user):
    return Photo.objects.filter(project__in=visible_projects(user))


def can_edit_site(user, project) -> bool:
    """Set the location and draw, import or remove parcels: the office's work."""
    return user.is_authenticated and user.is_coordinator


def can_see_photo_place(user, photo: Photo) -> bool:
    if not user.is_authenticated:
        return False
    if user.sees_everything:
        return True
    return (
        user.organisation_id is not None and user.organisation_id == photo.uploader_organisation_id
    )


def photo_place_filter(user):
    """The same rule as a filter, for lists: photos whose place the user may see."""
    from django.db.models import Q

    if user.is_authenticated and user.sees_everything:
        return Q()
    if not user.is_authenticated or user.organisation_id is None:
        return Q(pk__in=[])
    return Q(uploader_organisation_id=user.organisation_id)
