from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "diaodu.appeals"
    verbose_name = _("Enterprise requests")

    def ready(self):
        from diaodu.appeals import access, services
        from diaodu.appeals.models import AppealEntry
        from diaodu.core.attachments import register_parent
        from diaodu.problems.services import register_problem_follower

        register_parent(AppealEntry, lambda user, entry: access.can_view_appeal(user, entry.appeal))
        register_problem_follower(services.follow_problem)
