from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "diaodu.agreements"
    verbose_name = _("Investment agreements")

    def ready(self):
        from diaodu.agreements import access
        from diaodu.agreements.models import Agreement, FulfilmentRecord
        from diaodu.core.attachments import register_parent

        register_parent(Agreement, access.can_view_agreement_documents)
        register_parent(
            FulfilmentRecord,
            lambda user, record: access.can_view_commitment(user, record.commitment),
        )
