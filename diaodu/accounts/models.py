import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diaodu.accounts.choices import Role
from diaodu.core.models import Searchable
from diaodu.org.choices import OrganisationKind


class User(Searchable, AbstractUser):
    """A person using Diaodu: one organisation, one role.

    The role decides what the person may do (see each app's ``access.py``); the
    organisation decides which projects, problems and action items are theirs.
    """

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    title = models.CharField(
        _("job title"), max_length=50, blank=True, help_text=_("For example 管委会主任.")
    )
    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)

    REQUIRED_FIELDS = ["email", "display_name", "role"]
    SEARCH_FIELDS = ("display_name", "username", "title")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "username"]

    def __str__(self):
        return self.display_name or self.username

    def choice_label(self) -> str:
        """How a person is told apart in a choice: name · organisation · title."""
        parts = [str(self), str(self.organisation) if self.organisation_id else "", self.title]
        return " · ".join(part for part in parts if part)

    def save(self, *args, **kwargs):
        # The admin role and Django's superuser flag are one thing: administrators manage
        # users and master data in the Django admin, nobody else enters it. The role
        # decides; only a superuser being created (createsuperuser) is made an
        # administrator, so an administrator can later be given another role.
        if self.is_superuser and self._state.adding:
            self.role = Role.ADMIN
        self.is_superuser = self.is_staff = self.role == Role.ADMIN
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "role", "is_superuser", "is_staff"}
        # Set by set_password(): every way a password changes (the change and reset pages,
        # the admin, changepassword) passes here, so none leaves the old API tokens working.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            self.api_tokens.all().delete()

    def clean(self):
        super().clean()
        if self.role in {Role.DEPARTMENT, Role.OWNER} and not self.organisation_id:
            raise ValidationError(
                {"organisation": _("Department staff and owners need an organisation.")}
            )
        if (
            self.role == Role.OWNER
            and self.organisation_id
            and self.organisation.kind != OrganisationKind.ENTERPRISE
        ):
            raise ValidationError({"organisation": _("An owner must belong to an enterprise.")})

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in {Role.ADMIN, Role.COORDINATOR, Role.LEADER}

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        """Admins can do all a coordinator can."""
        return self.is_superuser or self.role in {Role.ADMIN, Role.COORDINATOR}

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_department_staff(self) -> bool:
        return self.role == Role.DEPARTMENT

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class ApiToken(models.Model):
    """A key a program uses to call the API as a person, until it expires or the person
    revokes it. Only a digest of the key is stored: the key is shown once, when issued, and
    a copy of the database (a backup) holds nothing that opens the API."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(
        pgettext_lazy("token", "issued"), default=timezone.now, editable=False
    )
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}…"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
