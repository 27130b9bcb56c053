"""The global search: one query over every kind of object, each kind scoped by its own
app's ``access`` rules, ranked (a whole name first, then the start of one, then the
rest) and grouped.

Matching is the lists' own (``core.search``), so a group's "more" link to a list with
``?q=`` shows the same rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from diaodu.accounts.access import visible_people
from diaodu.core.search import with_rank
from diaodu.lib.chinese import normalise_query
from diaodu.meetings.access import visible_meetings
from diaodu.org import names
from diaodu.org.access import visible_organisations
from diaodu.problems.access import visible_action_items, visible_problems
from diaodu.projects.access import visible_projects
from diaodu.search.choices import SearchKind

#: Results shown per kind on the overview; the rest are a "more" link away.
GROUP_LIMIT = 5
#: Results per page when one kind is listed.
PAGE_SIZE = 30


@dataclass(frozen=True)
class Hit:
    """One result, as the page and the API show it."""

    kind: str
    id: int
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: SearchKind
    count: int
    hits: list[Hit]
    more_url: str


def _joined(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


def _search_page(kind: SearchKind, user, text: str) -> str:
    return f"{reverse('search:search')}?{urlencode({'q': text, 'kind': kind})}"


def _list_page(name: str, **params) -> Callable:
    return lambda kind, user, text: f"{reverse(name)}?{urlencode({**params, 'q': text})}"


def _supervision_or_search(tab: str) -> Callable:
    def url(kind, user, text):
        # The supervision list is for those who see everything (its own view's check);
        # everyone else gets this kind's results a page at a time here.
        if user.sees_everything:
            return _list_page("problems:supervision", tab=tab)(kind, user, text)
        return _search_page(kind, user, text)

    return url


@dataclass(frozen=True)
class Source:
    """Where one kind's results come from and how each is shown."""

    visible: Callable  # user -> the queryset the user may see (the app's access.py)
    related: tuple[str, ...]
    order: tuple[str, ...]  # within a rank
    describe: Callable  # object -> (title, detail, url)
    more_url: Callable  # (kind, user, text) -> the list with this search
    by_name: bool = False  # also what the text names as people write names (org.names)


def _local_date(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


SOURCES: dict[SearchKind, Source] = {
    SearchKind.PROJECT: Source(
        visible=visible_projects,
        related=("owner",),
        order=("code",),
        describe=lambda p: (p.name, _joined(p.code, p.owner), p.get_absolute_url()),
        more_url=_list_page("projects:project_list"),
    ),
    SearchKind.ORGANISATION: Source(
        visible=visible_organisations,
        related=(),
        order=("kind", "sort_order", "name"),
        describe=lambda o: (o.name, _joined(o.short_name, o.get_kind_display()), ""),
        more_url=_search_page,
        by_name=True,
    ),
    SearchKind.PERSON: Source(
        visible=visible_people,
        related=("organisation",),
        order=("display_name", "username"),
        describe=lambda u: (str(u), _joined(u.title, u.organisation), ""),
        more_url=_search_page,
        by_name=True,
    ),
    SearchKind.PROBLEM: Source(
        visible=visible_problems,
        related=("project",),
        order=("-created_at", "-pk"),
        describe=lambda p: (
            p.title,
            _joined(p.project.name, p.get_status_display()),
            p.get_absolute_url(),
        ),
        more_url=_supervision_or_search("problems"),
    ),
    SearchKind.ACTION_ITEM: Source(
        visible=visible_action_items,
        related=("project",),
        order=("-created_at", "-pk"),
        describe=lambda a: (
            a.title,
            _joined(a.project.name if a.project else "", a.get_status_display()),
            a.get_absolute_url(),
        ),
        more_url=_supervision_or_search("actions"),
    ),
    SearchKind.MEETING: Source(
        visible=visible_meetings,
        related=(),
        order=("-starts_at", "-pk"),
        describe=lambda m: (
            m.title,
            _joined(_local_date(m.starts_at), m.place),
            m.get_absolute_url(),
        ),
        more_url=_list_page("meetings:meeting_list"),
    ),
}


def ranked(kind: SearchKind, user, text: str) -> QuerySet:
    """What ``user`` may see of ``kind`` matching ``text``, best match first."""
    source = SOURCES[kind]
    visible = source.visible(user)
    named = ()
    if source.by_name:
        # Only what the plain match misses: a common word (局长) reads no rows here.
        missed = visible.exclude(search_key__contains=normalise_query(text))
        named = [obj.pk for obj in names.named(missed, text)]
    return (
        with_rank(visible, text, named)
        .select_related(*source.related)
        .order_by("search_rank", *source.order)
    )


def _hits(kind: SearchKind, objects) -> list[Hit]:
    describe = SOURCES[kind].describe
    return [Hit(kind, obj.pk, *describe(obj)) for obj in objects]


def search(user, text: str, *, limit: int = GROUP_LIMIT) -> list[Group]:
    """The best ``limit`` results of each kind with how many there are in all, for every
    kind that has any. Two queries a kind at most: its rows, and its count only when
    there are more rows than shown."""
    groups = []
    for kind in SearchKind:
        queryset = ranked(kind, user, text)
        objects = list(queryset[:limit])
        count = len(objects) if len(objects) < limit else queryset.count()
        if count:
            more_url = SOURCES[kind].more_url(kind, user, text)
            groups.append(Group(kind, count, _hits(kind, objects), more_url))
    return groups


def search_kind(user, text: str, kind: SearchKind, page_number) -> tuple[Group, Page]:
    """One kind's results, a page at a time (any page number is taken as Django's
    paginator takes it: out of range means the last page)."""
    page = Paginator(ranked(kind, user, text), PAGE_SIZE).get_page(page_number)
    page.object_list = _hits(kind, page.object_list)
    group = Group(
        kind, page.paginator.count, page.object_list, SOURCES[kind].more_url(kind, user, text)
    )
    return group, page
