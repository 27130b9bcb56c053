from django.contrib import admin

from diaodu.core.admin import HistoryAdminMixin
from diaodu.org.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "search_key"]
