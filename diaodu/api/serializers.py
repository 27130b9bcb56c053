"""Serializer helpers shared by every app's API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from diaodu.core.services import Conflict


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A domain rule's refusal (raised by a model's ``clean`` or a service) as a 400 with
    field errors, so API clients see the same messages as the pages."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        )
    return serializers.ValidationError({"non_field_errors": error.messages})


class ServiceModelSerializer(serializers.ModelSerializer):
    """A model serializer whose writes go through a service and whose validation includes
    the model's own ``clean`` (cross-field rules live there, once)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        values = self._current_values()
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if not field.many_to_many:
                values[field.attname] = getattr(value, "pk", value)
        candidate = model(**values)
        try:
            candidate.clean()
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            f.attname: getattr(self.instance, f.attname)
            for f in self.Meta.model._meta.concrete_fields
        }

    def save_with(self, service):
        """Run ``service(validated_data)``, turning domain refusals into a 400."""
        try:
            self.instance = service(self.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return self.instance


VERSION_HELP = (
    "The version you read. Required with every change: a stale version is refused with "
    "409 and the object as it is now."
)


class VersionConflict(APIException):
    """409: someone saved the object since the caller read it; ``current`` is it now."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, current: dict):
        super().__init__(_("Someone else changed this since you read it."))
        # Set after ``__init__``, which would turn every value into a string.
        self.detail = {"detail": self.detail, "current": current}


class VersionedSerializer(ServiceModelSerializer):
    """A ``VersionedModel``'s serializer: every update must say which version it changes,
    and one based on a stale version is refused, never silently applied over another's."""

    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    def validate(self, attrs):
        if self.instance is None:
            attrs.pop("version", None)  # a new object starts at its first version
        elif "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [_("Send the version you read with every change.")]}
            )
        return super().validate(attrs)

    def update_with(self, service):
        """Run ``service(data, version)``: domain refusals become a 400, a stale version
        a 409 with the current representation."""
        data = dict(self.validated_data)
        version = data.pop("version")
        try:
            self.instance = service(data, version)
        except Conflict as conflict:
            current = type(self)(conflict.current, context=self.context).data
            raise VersionConflict(current) from conflict
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return self.instance


class LeadAndCooperatingMixin:
    """A lead department that is not also one of its cooperating departments; a partial
    change is checked against what it leaves as it was, too."""

    def validate(self, attrs):
        instance = self.instance
        lead = attrs.get("lead_department", getattr(instance, "lead_department", None))
        if "cooperating_departments" in attrs:
            cooperating = attrs["cooperating_departments"]
        else:
            cooperating = list(instance.cooperating_departments.all()) if instance else []
        if lead and lead in cooperating:
            field = (
                "cooperating_departments"
                if "cooperating_departments" in attrs
                else "lead_department"
            )
            raise serializers.ValidationError(
                {field: _("The lead department cannot also be a cooperating department.")}
            )
        return super().validate(attrs)
