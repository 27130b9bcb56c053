from datetime import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.lib.text import clean_form_data

# Django's empty choice, "---------", replaced in every select of our forms.
_DJANGO_EMPTY = "---------"
EMPTY_LABEL = _("Please choose")


class _PeopleChoices(ModelChoiceIterator):
    """People's choices with their organisations in the same query (their labels name it)."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.select_related("organisation")


def _searchable_model(field) -> type[Model] | None:
    """The model of a choice of people or organisations: long lists people search by name."""
    from diaodu.accounts.models import User
    from diaodu.org.models import Organisation

    model = getattr(getattr(field, "queryset", None), "model", None)
    return model if model in (User, Organisation) else None


class CleanTextMixin:
    """Cleans the submitted text of characters XML and chat formats cannot carry (a Word
    line break, U+FFFE, ...) before any field sees it, so no document or chat post made from
    it later fails. Every form of Diaodu has it (a test checks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = clean_form_data(self.data)


class BootstrapMixin(CleanTextMixin):
    """What every form of ours does to its fields: Bootstrap classes, invalid fields marked
    once bound, "please choose" as the empty choice, people and organisations searchable
    (each person shown with organisation and title), a live counter on limited text, and
    the browser told the bounds of numbers the model validates."""

    searchable_choices = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
                self._choose(field)
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, (forms.TextInput, forms.Textarea)) and widget.attrs.get(
                "maxlength"
            ):
                widget.attrs["data-counter"] = ""
            if isinstance(field, (forms.DecimalField, forms.IntegerField)):
                self._bounds(field, self._model_validators(name))

    def _choose(self, field):
        if getattr(field, "empty_label", None) == _DJANGO_EMPTY:
            field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", _DJANGO_EMPTY):
                field.choices = [("", EMPTY_LABEL), *choices[1:]]
        model = _searchable_model(field)
        if (
            not self.searchable_choices
            or model is None
            or isinstance(field.widget, forms.CheckboxSelectMultiple)
        ):
            return
        field.widget.attrs["data-searchable"] = ""
        field.widget.attrs["data-no-results"] = _("Nothing matches")
        field.widget.attrs["data-remove"] = _("Remove")
        if model._meta.model_name == "user":
            field.iterator = _PeopleChoices
            field.label_from_instance = model.choice_label
            # The widget holds the choices it was given when the form was built.
            field.widget.choices = field.choices
        field.widget.attrs.pop("size", None)

    def _model_validators(self, name) -> list:
        model = getattr(getattr(self, "_meta", None), "model", None)
        if model is None:
            return []
        try:
            return model._meta.get_field(name).validators
        except FieldDoesNotExist:
            return []

    @staticmethod
    def _bounds(field, model_validators):
        """``min``/``max`` for the browser from the validators of the field and its model
        field (Django sets them only from the form field's own ``min_value``), so an amount
        cannot be typed or stepped below zero."""
        attrs = field.widget.attrs
        for validator in [*field.validators, *model_validators]:
            if isinstance(validator, MinValueValidator):
                attrs.setdefault("min", validator.limit_value)
            elif isinstance(validator, MaxValueValidator):
                attrs.setdefault("max", validator.limit_value)

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
