"""What every app's access rules share: refusing in a view, and asking "may this user
open that object?" of objects of any kind, for lists that name objects of many kinds (a
project's history, an outbound event). The rules themselves stay in each app's
``access.py``, which lists in ``OPENS`` the queryset of each of its models a user may open.
"""

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from diaodu.core.choices import ChangeAction


def require(allowed: bool) -> None:
    """Refuse with 403 unless the app's access rule said yes: the one way views refuse."""
    if not allowed:
        raise PermissionDenied


@cache
def _opens() -> dict:
    rules = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.access"
        if config.name.startswith("diaodu.") and find_spec(name) is not None:
            rules.update(getattr(import_module(name), "OPENS", {}))
    return rules


def may_open(user, obj) -> bool:
    """Whether ``user`` may open ``obj``; a kind no app's rules speak for is closed."""
    rule = _opens().get(type(obj))
    return rule is not None and rule(user).filter(pk=obj.pk).exists()


def readable_changes(user, changes):
    """The change-log rows of ``changes`` whose object ``user`` may open, in one query:
    a history must not name what the reader gets 404 for elsewhere. Deletions stay: their
    object is gone and the log keeps them under the object being read."""
    if user.sees_everything:
        return changes
    condition = Q(action=ChangeAction.DELETE)
    # The kinds' content types in one query at most (they are cached after it).
    content_types = ContentType.objects.get_for_models(*_opens())
    for model, rule in _opens().items():
        condition |= Q(object_type=content_types[model], object_id__in=rule(user).values("pk"))
    return changes.filter(condition)
