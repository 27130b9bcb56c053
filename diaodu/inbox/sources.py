"""What is waiting for each person: the inbox's sources, gathered from every app.

An app offers its sources as a module-level list ``INBOX_SOURCES`` in its ``inbox.py``.
A source is any object with:

- ``key``: a short name, unique among sources (used by the API and the page's anchors);
- ``label``: what the section is called (lazily translated);
- ``applies_to(user) -> bool``: whether this person has such work at all;
- ``queryset(user) -> QuerySet``: the waiting objects, scoped by the app's access rules,
  each annotated with ``waiting_since`` (a date or a time), oldest first;
- ``template``: the partial rendering one object as a table row, with the context
  ``item``, ``source``, ``request`` and ``user``.

Items are queries over the objects' own states, never a to-do table: an item leaves the
inbox as soon as its state changes, whoever changed it. :class:`Source` is a convenient
way to write one; any object with those attributes will do.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

#: The most rows a section shows; its count says how many more there are.
SECTION_ROWS = 50


def project_of(item):
    return getattr(item, "project", None)


def page_of(item) -> str:
    return item.get_absolute_url()


@dataclass(frozen=True)
class Source:
    """A source made of functions: ``applies(user)`` and ``rule(user)`` (the queryset)."""

    key: str
    label: str
    applies: Callable
    rule: Callable
    template: str
    #: The rule in words, shown under the section's title.
    explanation: str = ""
    #: For the API: the item's project, its name and its page.
    project: Callable = project_of
    title: Callable = str
    url: Callable = page_of

    def applies_to(self, user) -> bool:
        return bool(user.is_authenticated and user.is_active and self.applies(user))

    def queryset(self, user):
        return self.rule(user)


@cache
def registered() -> tuple:
    """Every app's ``INBOX_SOURCES``, in the order the apps are installed."""
    sources = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "inbox"):
            sources.extend(getattr(import_module(f"{config.name}.inbox"), "INBOX_SOURCES", ()))
    keys = [source.key for source in sources]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ValueError(f"inbox sources share keys: {sorted(duplicates)}")
    return tuple(sources)


def _iso(moment) -> str | None:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat() if moment is not None else None


def describe(source, item) -> dict:
    """An item as the API shows it, for any source (the ones not made with
    :class:`Source` are described from the object's ``project``, text and page)."""
    project = getattr(source, "project", project_of)(item)
    return {
        "id": item.pk,
        "project": {"id": project.pk, "name": project.name} if project is not None else None,
        "title": str(getattr(source, "title", str)(item)),
        "url": getattr(source, "url", page_of)(item),
        "waiting_since": _iso(item.waiting_since),
    }


def sources_for(user) -> list:
    if not user.is_authenticated:
        return []
    return [source for source in registered() if source.applies_to(user)]


@dataclass
class Section:
    source: object
    count: int
    items: list

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def sections_for(user, rows: int = SECTION_ROWS) -> list[Section]:
    """The user's sources with their first ``rows`` items: one query per source, and a
    count only for a section with more rows than it shows."""
    sections = []
    for source in sources_for(user):
        queryset = source.queryset(user)
        items = list(queryset[: rows + 1])
        count = len(items) if len(items) <= rows else queryset.count()
        sections.append(Section(source, count, items[:rows]))
    return sections


def counts_for(user) -> dict[str, int]:
    """How many items wait in each of the user's sources: one COUNT per source."""
    return {source.key: source.queryset(user).count() for source in sources_for(user)}
