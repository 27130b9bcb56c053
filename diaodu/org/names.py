"""Names as an office writes them, resolved to the organisations and people Diaodu knows.

One resolver for the ledger import, the drafting of meetings from reports and the API:
full and short names, other names, with or without the 区/县/市 of the district, in
Simplified or Traditional; a person by name, by title and name, or by a title only one
person holds (区党工委书记); several organisations in one cell (区资规局、区科经局: the
first leads, the others cooperate). A name that matches nothing, or several things, is an
error that lists the nearest names Diaodu knows.
"""

import difflib
import re
import unicodedata
from functools import lru_cache, reduce
from operator import or_

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django_filters.fields import ModelChoiceField
from drf_spectacular.utils import extend_schema_field

from diaodu.lib.chinese import normalise_query

# What separates several names in one cell: 、，,;； and spaces (区资规局 区科经局).
_SEPARATORS = re.compile(r"[、,，;；/\n\r\s]+")
# Parentheses, quotes and the like: 区资规局（牵头） compares as 区资规局.
_PUNCTUATION = re.compile(r"[()\[\]{}<>《》【】〔〕:：*★※.。·'\"“”‘’?？!！#＃_\-—–]+")
_PARENTHESISED = re.compile(r"[(（\[【〔][^)）\]】〕]*[)）\]】〕]")
# The level people leave out when the district is understood: 区资规局 is 资规局.
_LEVEL = re.compile(r"^[区县市镇]")
#: How many of the nearest names a message lists.
NEAREST = 3


def split_names(text) -> list[str]:
    """``区资规局、区科经局`` → the two names, in order (the first leads)."""
    return [name.strip() for name in _SEPARATORS.split(str(text or "")) if name.strip()]


@lru_cache(maxsize=100_000)
def name_key(text: str) -> str:
    """A name as compared: Simplified, lower case, no spaces or punctuation, full-width
    forms made plain (so 區資規局 and 区资规局 are one)."""
    return _PUNCTUATION.sub("", normalise_query(unicodedata.normalize("NFKC", text)))


def _keys(text: str) -> list[str]:
    """The keys a written name is looked up by, most literal first: as written, without
    remarks in parentheses, without the district's level (区)."""
    keys = [name_key(text), name_key(_PARENTHESISED.sub("", unicodedata.normalize("NFKC", text)))]
    keys += [without_level(key) for key in keys]
    return list(dict.fromkeys(key for key in keys if key))


def without_level(name: str) -> str:
    """区资规局 → 资规局: how a report names it when the district is understood."""
    return _LEVEL.sub("", name) if _LEVEL.match(name) and len(name) >= 4 else name


def organisation_names(organisation) -> list[str]:
    """Every name of an organisation: full, short, other names (aliases)."""
    from diaodu.org.models import split_aliases

    names = [organisation.name, organisation.short_name, *split_aliases(organisation.aliases)]
    return [name for name in names if name]


def person_names(person) -> list[str]:
    """A person's names: the display name, title and name (管委会主任李明), user name."""
    names = [person.display_name, person.username]
    if person.title:
        names.append(f"{person.title}{person.display_name}")
    return [name for name in names if name]


def person_titles(person) -> list[str]:
    """Titles naming a person when no one else holds them (区党工委书记 and 党工委书记)."""
    from diaodu.lib import reporttext

    titles = [person.title] if person.title else []
    alias = reporttext.surname_and_title(person.display_name, person.title or "")
    return titles + ([alias] if alias else [])


def shown(obj) -> str:
    """How a candidate is listed: an organisation by its full name."""
    return getattr(obj, "name", None) or str(obj)


class NotFound(ValueError):
    """A name matching nothing, or several things: ``candidates`` are the nearest names."""

    def __init__(self, text: str, candidates: list[str], ambiguous: bool):
        self.text, self.candidates, self.ambiguous = text, candidates, ambiguous
        super().__init__(text)


class Names:
    """Objects by the keys of their names, read once. ``names(obj)`` are an object's
    names; ``titles(obj)`` weaker names that count only where they name one object and
    no name says otherwise. A key two objects share is ambiguous."""

    def __init__(self, objects, names, titles=None):
        self._objects: dict[str, list] = {}
        objects = list(objects)
        for obj in objects:
            for name in names(obj):
                self._add(name, obj)
        if titles is not None:
            weak: dict[str, list] = {}
            for obj in objects:
                for title in titles(obj):
                    for key in _keys(title):
                        if obj not in weak.setdefault(key, []):
                            weak[key].append(obj)
            for key, found in weak.items():
                if key not in self._objects:
                    self._objects[key] = found

    def _add(self, name: str, obj) -> None:
        for key in _keys(name):
            found = self._objects.setdefault(key, [])
            if obj not in found:
                found.append(obj)

    def find_all(self, text: str) -> list:
        """The objects the name may mean: none, one, or several (ambiguous)."""
        for key in _keys(text):
            if key in self._objects:
                return list(self._objects[key])
        return []

    def find(self, text: str):
        """The one object the name means; ``NotFound`` listing the nearest names when it
        means none or several."""
        found = self.find_all(text)
        if len(found) == 1:
            return found[0]
        if found:
            return self._raise(text, [shown(obj) for obj in found], ambiguous=True)
        return self._raise(text, self.nearest(text), ambiguous=False)

    def find_each(self, text: str) -> list:
        """Every name in a cell (区资规局、区科经局), in order; ``NotFound`` for the first
        that fails."""
        return [self.find(name) for name in split_names(text)]

    def nearest(self, text: str, count: int = NEAREST) -> list[str]:
        """The things whose names are closest to ``text`` (by characters, in Simplified),
        each by its full name."""
        keys = _keys(text)
        if not keys:
            return []
        close = difflib.get_close_matches(keys[-1], self._objects, n=count * 3, cutoff=0.5)
        contains = [key for key in self._objects if keys[-1] in key or key in keys[-1]]
        found = [shown(obj) for key in [*close, *contains] for obj in self._objects[key]]
        return list(dict.fromkeys(found))[:count]

    def _raise(self, text, candidates, ambiguous):
        raise NotFound(text, candidates, ambiguous)


def message(error: NotFound, not_found: str, **params) -> str:
    """What the reader is told: ``not_found`` (a translated text with ``%(value)s`` and
    any ``params``) and the nearest names, or which things an ambiguous name may mean."""
    values = {**params, "value": error.text, "candidates": "、".join(error.candidates)}
    if error.ambiguous:
        return _("“%(value)s” matches more than one (%(candidates)s); write the full name.") % (
            values
        )
    text = not_found % values
    if error.candidates:
        text += " " + _("Nearest: %(candidates)s.") % values
    return text


def organisations(queryset) -> Names:
    """The organisations of ``queryset`` by all their names."""
    return Names(queryset, organisation_names)


def people(queryset) -> Names:
    """The people of ``queryset`` by name, and by a title only one of them holds."""
    return Names(queryset, person_names, person_titles)


def index_of(model, objects) -> Names:
    """The resolver for ``objects`` of ``model``: organisations or people."""
    from diaodu.org.models import Organisation

    return organisations(objects) if model is Organisation else people(objects)


def _key_forms(text: str) -> Q:
    return reduce(or_, (Q(search_key__contains=key) for key in _keys(text)), Q(pk__in=[]))


#: The most rows a form of a name may be found in for :func:`named` to resolve it: a form
#: that common (局长) names no one in particular, and reading them all would be slow.
NAMED_LIMIT = 200


def named(queryset, text: str) -> list:
    """The organisations or people of ``queryset`` that ``text`` names as people write
    it (another name, with or without 区, in Traditional, a title only one holds): none,
    one, or several. Looked for among the rows whose search key holds a form of the name,
    at most ``NAMED_LIMIT`` of them (none found when there are more)."""
    candidates = list(queryset.filter(_key_forms(text))[: NAMED_LIMIT + 1])
    if len(candidates) > NAMED_LIMIT:
        return []
    return index_of(queryset.model, candidates).find_all(text)


class NamedChoiceField(ModelChoiceField):
    """An organisation or a person by id, or by a name as people write it, resolved among
    the field's choices. A name matching nothing or several is refused with the nearest
    names among them."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            if text.isdigit():
                raise  # an id that is no choice: told as Django tells it, nothing more
        try:
            return index_of(self.queryset.model, self.queryset).find(text)
        except NotFound as error:
            what = self.queryset.model._meta.verbose_name
            raise ValidationError(
                message(error, _("No %(what)s is called “%(value)s”."), what=what),
                code="invalid_choice",
            ) from None


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "description": "An id, or a name as people write it (区资规局, 區審批局, 区党工委书记).",
    },
)
class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` taking an id or a name (区资规局, 資規局, 区党工委书记)."""

    field_class = NamedChoiceField
