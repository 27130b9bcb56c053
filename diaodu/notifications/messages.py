"""Notification text stored as message keys with parameters, rendered in the reader's
language when shown or sent.

A notification is stored as data, not as text: rendering under the reader's language
means a message written while the office works in Simplified Chinese reads in Traditional
or English to readers of those interfaces. A stored message is JSON:

- a string: data (a project's name, a problem's description), shown as it is, in
  Traditional script to Traditional readers;
- ``{"key": msgid, "params": {...}}``: the msgid is the message's key in the translation
  catalogues, formatted with its rendered params;
- ``{"key": singular, "other": plural, "n": n, "params": {...}}``: a count;
- ``{"join": separator, "parts": [...]}``: several messages in one (a reminder's lines);
- ``{"languages": {code: text}}``: text written in each language when it was sent.

Callers mark msgids with ``gettext_noop`` so ``makemessages`` collects them.
"""

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from diaodu.core import i18n
from diaodu.core.i18n import localized_name


def message(key: str, **params) -> dict:
    return {"key": key, "params": {name: _value(value) for name, value in params.items()}}


def count(singular: str, plural: str, n: int, **params) -> dict:
    # Both forms are catalogue entries of their own: Chinese has one form, English two.
    return {**message(singular, **params), "other": plural, "n": n}


def in_each_language(write) -> dict:
    """Text that code writes in the active language (an assessment's reason), written
    once in each interface language, for what no message key can say."""
    return {"languages": i18n.in_each_language(write)}


def join(separator: str, *parts) -> dict:
    return {"join": separator, "parts": [_value(part) for part in parts]}


def _value(value):
    if isinstance(value, Promise) and len(getattr(value, "_args", ())) == 1:
        # A lazily translated label (a status's): kept as its key, so it is translated too.
        return message(value._args[0])
    if isinstance(value, dict | int | float) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def stored(value):
    """``value`` as stored: a message as it is, anything else as data (its text)."""
    return value if isinstance(value, dict) else _value(value)


def render(stored) -> str:
    """The stored message as text in the active language."""
    if isinstance(stored, str):
        return localized_name(stored) if stored else ""
    if isinstance(stored, int | float):
        return str(stored)
    if not isinstance(stored, dict):
        return ""
    if "languages" in stored:
        return i18n.for_reader(stored["languages"])
    if "join" in stored:
        return str(stored["join"]).join(render(part) for part in stored.get("parts", ()))
    key = stored.get("key", "")
    if "n" in stored and stored["n"] != 1:
        key = stored.get("other", key)
    template = gettext(key) if key else ""
    params = {name: render(value) for name, value in stored.get("params", {}).items()}
    if isinstance(stored.get("n"), int):
        params.setdefault("count", stored["n"])
    try:
        return template % params if params else template
    except (KeyError, TypeError, ValueError):
        # A translation that names a parameter the message lacks: the key's own words
        # beat an error page.
        return key


def render_in(stored, language: str) -> str:
    with translation.override(language or "zh-hans"):
        return render(stored)
