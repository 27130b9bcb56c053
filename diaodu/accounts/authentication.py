"""API authentication by the tokens of ``ApiToken``: looked up by digest, refused once
expired with a message that says so and what to do."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from diaodu.accounts.models import ApiToken


class TokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s. Request a new one from /api/token/.")
                % {"date": date_format(timezone.localtime(token.expires_at), "DATETIME_FORMAT")}
            )
        return token.user, token
