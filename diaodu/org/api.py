from rest_framework import serializers, viewsets

from diaodu.org.access import visible_organisations
from diaodu.org.filters import OrganisationFilter
from diaodu.org.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "aliases",
            "unified_credit_code",
            "contact_person",
            "contact_phone",
            "is_active",
        ]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments, townships, the office, leadership groups and enterprises the caller may
    see. Master data is maintained by administrators."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "sort_order"]

    def get_queryset(self):
        return visible_organisations(self.request.user).order_by("kind", "sort_order", "name")
