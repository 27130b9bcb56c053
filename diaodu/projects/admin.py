from django.contrib import admin

from diaodu.core.admin import HistoryAdminMixin
from diaodu.projects.models import Industry, LandThreshold, MilestoneKind, ProjectList


@admin.register(MilestoneKind)
class MilestoneKindAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "name_en",
        "sort_order",
        "is_approval",
        "approving_department",
        "statutory_days",
        "in_template",
    ]
    list_editable = ["sort_order", "in_template"]


@admin.register(Industry)
class IndustryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "sort_order"]


@admin.register(ProjectList)
class ProjectListAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "year", "level"]
    list_filter = ["year", "level"]


@admin.register(LandThreshold)
class LandThresholdAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "investment_per_mu",
        "output_per_mu",
        "tax_per_mu",
        "energy_per_output",
    ]
