from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandingConfig(AppConfig):
    name = "diaodu.landing"
    verbose_name = _("Landing speed and land efficiency")
