"""Every way text enters cleans it of what XML and chat formats cannot carry: each form of
Diaodu has ``CleanTextMixin``, each API view parses with ``diaodu.api.parsers``."""

import importlib
import pkgutil

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver

import diaodu
from diaodu.api import parsers
from diaodu.core.forms import CleanTextMixin


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def test_every_form_of_diaodu_cleans_its_text():
    for module in pkgutil.walk_packages(diaodu.__path__, "diaodu."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "filters", "views"}:
            importlib.import_module(module.name)

    ours = [
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("diaodu.") and ".tests" not in form.__module__
    ]

    assert len(ours) > 30
    assert [form for form in ours if not issubclass(form, CleanTextMixin)] == []


def test_every_api_view_parses_with_the_cleaning_parsers():
    ours = {parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser}
    checked = 0
    for callback in _views(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if view is None or not hasattr(view, "parser_classes"):
            continue
        checked += 1
        assert set(view.parser_classes) <= ours, view
        for action in getattr(view, "get_extra_actions", list)():
            assert set(action.kwargs.get("parser_classes", ours)) <= ours, action
    assert checked > 20
