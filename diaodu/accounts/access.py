"""Who may see people: those of the organisations one may see."""

from diaodu.accounts.models import User


def visible_people(user):
    from diaodu.org.access import visible_organisations

    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.sees_everything:
        return User.objects.filter(is_active=True)
    return User.objects.filter(is_active=True, organisation__in=visible_organisations(user))


def own_tokens(user):
    """The API tokens a person may list and revoke: their own, and nobody else's."""
    from diaodu.accounts.models import ApiToken

    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)
