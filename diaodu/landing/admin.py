from django.contrib import admin

from diaodu.core.admin import HistoryAdminMixin
from diaodu.landing.models import StageTarget


@admin.register(StageTarget)
class StageTargetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Listed for administrators; changes are made on the targets page, which logs them."""

    list_display = ["stage", "industry", "days"]
    list_filter = ["stage", "industry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
