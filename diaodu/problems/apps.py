from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "diaodu.problems"
    verbose_name = _("Problems and action items")

    def ready(self):
        from diaodu.core.attachments import register_parent
        from diaodu.problems import access
        from diaodu.problems.models import ActionItemEntry, Problem, ProblemEntry
        from diaodu.projects.access import register_involvement

        register_involvement(access.projects_with_problems_for)
        register_involvement(access.projects_with_action_items_for)
        register_parent(Problem, access.can_view_problem)
        register_parent(
            ProblemEntry, lambda user, entry: access.can_view_problem(user, entry.problem)
        )
        register_parent(
            ActionItemEntry,
            lambda user, entry: access.can_view_action_item(user, entry.action_item),
        )
