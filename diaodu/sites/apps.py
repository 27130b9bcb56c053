from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "diaodu.sites"
    verbose_name = _("Sites and photos")

    def ready(self):
        from diaodu.core.attachments import register_parent, register_stored_hook
        from diaodu.projects import access as project_access
        from diaodu.projects.models import Milestone, ProgressReport
        from diaodu.sites import services

        register_stored_hook(services.record_photo)
        register_parent(
            ProgressReport,
            lambda user, report: project_access.can_view_project(user, report.project),
        )
        register_parent(
            Milestone,
            lambda user, milestone: project_access.can_view_project(user, milestone.project),
        )
