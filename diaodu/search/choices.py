from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchKind(models.TextChoices):
    """What the global search finds, in the order its results are grouped."""

    PROJECT = "project", _("Key projects")
    ORGANISATION = "organisation", _("Organisations")
    PERSON = "person", _("People")
    PROBLEM = "problem", _("Problems")
    ACTION_ITEM = "action_item", _("Action items")
    MEETING = "meeting", _("Meetings")
