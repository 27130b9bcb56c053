from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from diaodu.accounts.access import visible_people
from diaodu.accounts.filters import PersonFilter
from diaodu.accounts.models import User
from diaodu.api.parsers import FormParser, JSONParser, MultiPartParser


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


class TokenRequestSerializer(AuthTokenSerializer):
    # No account has a longer name, and the login throttle records the name it was given
    # in a column of this size: refuse a longer one as bad input before anything else.
    username = serializers.CharField(
        label=AuthTokenSerializer().fields["username"].label,
        max_length=User._meta.get_field("username").max_length,
        write_only=True,
    )


class ObtainToken(ObtainAuthToken):
    """A token for a username and password, as the log-in page would accept them."""

    serializer_class = TokenRequestSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
