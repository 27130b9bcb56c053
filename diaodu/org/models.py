import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import Searchable, TimeStampedModel
from diaodu.org.choices import OrganisationKind

# Aliases are typed one a line or in a list: 资规局、规划局 or 资规局, 规划局.
_ALIAS_SEPARATORS = re.compile(r"[\n\r、,，;；]+")


def split_aliases(text: str) -> list[str]:
    return [alias.strip() for alias in _ALIAS_SEPARATORS.split(text or "") if alias.strip()]


class OrganisationQuerySet(models.QuerySet):
    def office(self):
        """The project coordination office: who hears of work handed back to the zone."""
        return self.filter(kind=OrganisationKind.COORDINATION, is_active=True)

    def departments(self):
        """Organisations that solve problems: departments, townships, the office."""
        return self.filter(
            kind__in=[
                OrganisationKind.DEPARTMENT,
                OrganisationKind.TOWNSHIP,
                OrganisationKind.COORDINATION,
            ]
        )

    def enterprises(self):
        return self.filter(kind=OrganisationKind.ENTERPRISE)


class Organisation(Searchable, TimeStampedModel):
    """A department, township, leadership group, the coordination office or an enterprise.

    People belong to exactly one. The full name (自然资源和规划局), the short name people
    actually say (区资规局) and any other names (aliases) are searchable.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("full name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    aliases = models.TextField(
        _("other names"),
        max_length=500,
        blank=True,
        help_text=_(
            "Other names people use for it, found by search: one a line, or separated by commas."
        ),
    )
    unified_credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("For enterprises: the 18-character 统一社会信用代码."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    SEARCH_FIELDS = ("name", "short_name")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "sort_order", "name"]

    def __str__(self):
        return self.short_name or self.name

    def search_texts(self) -> list[str]:
        # Each alias is a name of its own: matched, and ranked as an exact name, alone.
        return [*super().search_texts(), *split_aliases(self.aliases)]
