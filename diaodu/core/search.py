"""Matching and ranking ``Searchable`` rows by their search key: used by every list's
``q`` filter and by the global search, so a query finds the same rows everywhere.

Keys are stored lower-case and simplified, so the query is normalised the same way and
matched with a case-sensitive ``contains``: PostgreSQL then uses the trigram index on the
key (``UPPER(key) LIKE``, which ``icontains`` writes, cannot use it).
"""

from collections.abc import Collection

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin
from diaodu.lib.chinese import KEY_SEPARATOR, normalise_query

#: The longest query accepted: longer than any name or title people search for (the
#: longest, a problem's title, has 200 characters).
MAX_QUERY_LENGTH = 200

#: Ranks, best first: a whole name (or code, short name, alias; in characters or pinyin),
#: the start of one, anywhere in one.
EXACT, PREFIX, CONTAINS = 0, 1, 2


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose key contains ``text`` (Simplified, Traditional or pinyin); all rows
    for an empty text. ``%``, ``_`` and quotes are plain characters here."""
    key = normalise_query(text or "")
    return queryset.filter(search_key__contains=key) if key else queryset


def with_rank(queryset: QuerySet, text: str, named: Collection[int] = ()) -> QuerySet:
    """``matching`` rows annotated with ``search_rank`` (``EXACT``, ``PREFIX`` or
    ``CONTAINS``), decided on each part of the key on its own. ``named``: the ids of rows
    the text names in a way no key holds (区行政审批服务局 for 行政审批服务局, a title only
    one person holds): found too, as exact matches."""
    key = normalise_query(text or "")
    sep = KEY_SEPARATOR
    whole = (
        Q(search_key=key)
        | Q(search_key__startswith=key + sep)
        | Q(search_key__endswith=sep + key)
        | Q(search_key__contains=sep + key + sep)
    )
    if named:
        queryset = queryset.filter(Q(search_key__contains=key) | Q(pk__in=named))
        whole |= Q(pk__in=named)
    else:
        queryset = matching(queryset, text)
    start = Q(search_key__startswith=key) | Q(search_key__contains=sep + key)
    return queryset.annotate(
        search_rank=Case(
            When(whole, then=Value(EXACT)),
            When(start, then=Value(PREFIX)),
            default=Value(CONTAINS),
            output_field=IntegerField(),
        )
    )


class SearchFilter(django_filters.CharFilter):
    """The ``q`` of every list (pages, exports, API): names, codes, pinyin."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return matching(qs, value)


class SearchForm(BootstrapMixin, forms.Form):
    """A search box on its own (lists without a filter set, the search page)."""

    q = forms.CharField(label=_("search"), max_length=MAX_QUERY_LENGTH, required=False)

    def text(self) -> str:
        """The valid query, or "" (the form's errors say why)."""
        return self.cleaned_data["q"] if self.is_valid() else ""
