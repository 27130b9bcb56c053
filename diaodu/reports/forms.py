from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin
from diaodu.lib.periods import MONTH, Period
from diaodu.reports.importing import ImportKind


def check_import_size(upload) -> None:
    """Refuse an oversized file before reading it into memory."""
    limit = settings.DIAODU_MAX_IMPORT_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files to import may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


class ImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("what the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.PROJECTS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("ledger (.xlsx)"),
        help_text=_("An Excel workbook; the preview shows what would change before anything does."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_import_size(upload)
        return upload


class BulletinForm(BootstrapMixin, forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-05.")},
    )

    def clean_month(self):
        month = Period.containing(MONTH, self.cleaned_data["month"])
        if month.start > timezone.localdate():
            raise ValidationError(_("The month has not begun yet."))
        if month.start < date(2000, 1, 1):
            raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-05."))
        return month

    @staticmethod
    def last_month() -> str:
        return Period.containing(MONTH, timezone.localdate()).previous().start.strftime("%Y-%m")
