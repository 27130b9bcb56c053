"""The OpenAPI schema's error answers, declared once for every operation.

Clients (and the schema conformance test) rely on every answer being documented: field
errors on bad input, refusals, missing objects and version conflicts. Views declare their
successful answers; this adds the errors they can give, unless a view says otherwise.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from diaodu.api.idempotency import HEADER, WRITES
from diaodu.core.models import VersionedModel

ERROR = {
    "type": "object",
    "description": "A refusal, with its reason.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

VALIDATION_ERROR = {
    "type": "object",
    "description": "What is wrong with the input: a list of messages per field, "
    "``non_field_errors`` for the input as a whole, or ``detail`` when the request could "
    "not be read at all. Fields holding lists or objects report per item.",
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}

CONFLICT = {
    "type": "object",
    "description": "Someone changed the object since the version sent was read; "
    "``current`` is the object as it is now.",
    "properties": {
        "detail": {"type": "string"},
        "current": {"type": "object", "additionalProperties": {}},
    },
    "required": ["detail"],
}

_WRITES = ("POST", "PUT", "PATCH")


IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any string of yours, unique per intended write (a UUID). A retry with the "
    "same key and the same request returns the first answer (header "
    "``Idempotent-Replayed: true``) and writes nothing again; the same key with another "
    "request is refused with 422. Keys are kept a day.",
    # Bounded so generated examples stay valid; the server says 400 beyond it.
    pattern=r"^[!-~]{1,255}$",
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITES:
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (name, schema, description) in self._errors().items():
            if code not in responses:
                responses[code] = {
                    "content": {"application/json": {"schema": self._component(name, schema)}},
                    "description": str(description),
                }
        return responses

    def _errors(self) -> dict:
        errors = {}
        detail_route = "{" in self.path
        if self.method in _WRITES or (self.method == "GET" and self._filtered()):
            errors["400"] = ("ValidationError", VALIDATION_ERROR, _("Bad input"))
        if not all(issubclass(p, AllowAny) for p in self.view.permission_classes):
            errors["401"] = ("Error", ERROR, _("Not authenticated"))
            errors["403"] = ("Error", ERROR, _("Not allowed"))
        # A list answers 404 for a page past its end, a file for a format it has not.
        if detail_route or (self.method == "GET" and (self._paginated() or self._formats())):
            errors["404"] = ("Error", ERROR, _("Not found, or not visible to the caller"))
        if self.method in ("PUT", "PATCH") and self._versioned():
            errors["409"] = ("Conflict", CONFLICT, _("Changed since the version sent"))
        if self.method in WRITES:
            errors["422"] = ("Error", ERROR, _("Idempotency-Key already used for another request"))
        return errors

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _filtered(self) -> bool:
        return bool(getattr(self.view, "filterset_class", None)) or bool(
            getattr(self.view, "filterset_fields", None)
        )

    def _paginated(self) -> bool:
        return self._is_list_view() and getattr(self.view, "pagination_class", None) is not None

    def _formats(self) -> bool:
        return len(getattr(self.view, "renderer_classes", ())) > 1

    def _versioned(self) -> bool:
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if model is None and hasattr(self.view, "get_serializer_class"):
            serializer = self.view.get_serializer_class()
            model = getattr(getattr(serializer, "Meta", None), "model", None)
        return model is not None and issubclass(model, VersionedModel)
