from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from diaodu.core import derived, history
from diaodu.core.choices import ChangeAction
from diaodu.core.models import CalendarDay, ChangeLog, DocumentSettings


def _administrators_only(request) -> bool:
    return request.user.is_active and request.user.is_authenticated and request.user.is_admin


# The admin is for administrators' master data, not the main UI: other roles never enter
# it, whatever their staff flag says.
admin.site.has_permission = _administrators_only
admin.site.site_header = admin.site.site_title = _("Diaodu administration")


class HistoryAdminMixin:
    """Edits made in the admin leave the same history as writes through the services: who,
    when, before and after. Every model admin of Diaodu has it (a test checks)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Read before the form changes the object; recorded by log_change.
            obj._history_before = history.snapshot(obj)
        return obj

    def log_addition(self, request, obj, message):
        history.record(request.user, obj, ChangeAction.CREATE, after=history.snapshot(obj))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        before = getattr(obj, "_history_before", None)
        history.record(
            request.user, obj, ChangeAction.UPDATE, before=before, after=history.snapshot(obj)
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            history.record(request.user, obj, ChangeAction.DELETE, before=history.snapshot(obj))
        return super().log_deletions(request, queryset)

    # What is stored from the edited rows (a project's health from its milestones) is
    # brought up to date in the same transaction, as the services do.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        derived.changed(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        derived.changed(obj)

    def delete_queryset(self, request, queryset):
        deleted = list(queryset)
        super().delete_queryset(request, queryset)
        derived.changed(*deleted)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changed = [obj for obj, _fields in formset.changed_objects]
        derived.changed(*formset.new_objects, *changed, *formset.deleted_objects)


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


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "issuing_body", "minutes_code"]

    def has_add_permission(self, request):
        return not DocumentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
