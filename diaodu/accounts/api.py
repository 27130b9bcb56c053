from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from diaodu.accounts import services
from diaodu.accounts.access import own_tokens, visible_people
from diaodu.accounts.filters import PersonFilter
from diaodu.accounts.models import ApiToken, User
from diaodu.api.parsers import FormParser, JSONParser, MultiPartParser
from diaodu.core.views import locked_out_reason


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


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at"]


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]


class ObtainToken(APIView):
    """A new token for a username and password, as the log-in page would accept them. It
    expires after the days the server is configured for; a password change revokes it."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: IssuedTokenSerializer, 400: OpenApiResponse(), 429: OpenApiResponse()},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes marks the request it refused without checking the password.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": locked_out_reason()}, status=429)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # As a log-in on the page does: records the log-in and clears django-axes's count
        # of failures for this name and address.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        token, key = services.issue_token(user)
        return Response(IssuedTokenSerializer({**TokenSerializer(token).data, "token": key}).data)


class TokenViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's own API tokens; deleting one revokes it at once."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return own_tokens(self.request.user)

    def perform_destroy(self, instance):
        services.revoke_token(instance, actor=self.request.user)
