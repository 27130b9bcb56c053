from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import ChangeLog


def _administrators_only(request) -> bool:
    return request.user.is_active and request.user.is_authenticated and request.user.is_admin


# The admin is for administrators' master data, not the main UI: other roles never enter
# it, whatever their staff flag says.
admin.site.has_permission = _administrators_only
admin.site.site_header = admin.site.site_title = _("Diaodu administration")


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
