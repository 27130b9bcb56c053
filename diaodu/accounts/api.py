from rest_framework import serializers, viewsets

from diaodu.accounts.access import visible_people
from diaodu.accounts.filters import PersonFilter
from diaodu.accounts.models import User


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "title", "organisation", "role"]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see: those of the organisations visible to them."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    ordering_fields = ["display_name"]

    def get_queryset(self):
        return visible_people(self.request.user).order_by("display_name", "pk")
