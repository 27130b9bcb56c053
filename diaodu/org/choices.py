from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LEADERSHIP = "leadership", _("leadership group")
    COORDINATION = "coordination", _("coordination office")
    DEPARTMENT = "department", _("department")
    TOWNSHIP = "township", _("township")
    ENTERPRISE = "enterprise", _("enterprise")
