"""Writes about people's credentials: API tokens issued and revoked, with history."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from diaodu.accounts.models import ApiToken
from diaodu.core import history
from diaodu.core.choices import ChangeAction


@transaction.atomic
def issue_token(user) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid for ``DIAODU_TOKEN_DAYS`` days, and its key (shown
    once: only its digest is kept)."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.DIAODU_TOKEN_DAYS),
    )
    history.record(user, token, ChangeAction.CREATE, after=history.snapshot(token), related=user)
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> None:
    before = history.snapshot(token)
    history.record(actor, token, ChangeAction.DELETE, before=before, related=token.user)
    token.delete()
