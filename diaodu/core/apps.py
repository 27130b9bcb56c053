from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "diaodu.core"
    verbose_name = _("Core")

    def ready(self):
        from diaodu.core import lookups  # noqa: F401  (registers the integer ``in`` lookup)
