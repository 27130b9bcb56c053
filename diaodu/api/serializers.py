"""Serializer helpers shared by every app's API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


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
