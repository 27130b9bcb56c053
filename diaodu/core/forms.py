from datetime import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    """Gives every widget its Bootstrap class, and marks invalid fields once bound."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


class VersionMixin:
    """Carries the version the user read, for optimistic locking (``VersionedModel``).

    When the save is refused because someone saved in between, ``rebase`` keeps what
    this user typed, moves the form onto the current version and lists both, so that
    submitting again applies this user's values on top of the other's, knowingly.
    """

    conflict: list[dict] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return  # a new object: there is nothing to have changed in between
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def rebase(self, current) -> None:
        self.conflict = [
            _compared(field, self.cleaned_data.get(name), _stored_value(current, name))
            for name, field in self.fields.items()
            if name != "version" and name in self.cleaned_data and _is_model_field(current, name)
        ]
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data


def _is_model_field(obj, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _stored_value(obj, name: str):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(obj, name).all())
    return getattr(obj, name)


def _comparable(value):
    if isinstance(value, (list, tuple, QuerySet)):
        return sorted(getattr(v, "pk", v) for v in value)
    if value in (None, ""):
        return None
    return getattr(value, "pk", value)


def _shown(field, value) -> str:
    if isinstance(value, (list, tuple, QuerySet)):
        return "、".join(sorted(str(v) for v in value))
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if getattr(field, "choices", None) is not None and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    return str(value)


def _compared(field, yours, current) -> dict:
    return {
        "label": field.label,
        "yours": _shown(field, yours),
        "current": _shown(field, current),
        "differs": _comparable(yours) != _comparable(current),
    }
