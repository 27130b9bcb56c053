from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.models import User
from diaodu.core.admin import HistoryAdminMixin


@admin.register(User)
class PersonAdmin(HistoryAdminMixin, UserAdmin):
    list_display = ["username", "display_name", "title", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    search_fields = ["username", "display_name", "title", "organisation__name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Person"),
            {"fields": ["display_name", "title", "organisation", "role", "email", "phone"]},
        ),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "display_name",
                    "organisation",
                    "role",
                    "password1",
                    "password2",
                ]
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
