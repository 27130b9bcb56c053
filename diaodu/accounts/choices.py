from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    COORDINATOR = "coordinator", _("coordinator")
    LEADER = "leader", _("leader")
    DEPARTMENT = "department", _("department staff")
    OWNER = "owner", _("project owner")
