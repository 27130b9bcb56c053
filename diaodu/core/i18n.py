from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from diaodu.lib.chinese import to_traditional


def localized_name(name: str, name_en: str = "") -> str:
    """Master-data vocabulary (milestone kinds, industries) in the reader's language.

    Names are kept in Simplified Chinese; Traditional is derived, English is stored.
    """
    language = (get_language() or "").lower()
    if language.startswith("en") and name_en:
        return name_en
    if language in {"zh-hant", "zh-tw", "zh-hk"}:
        return to_traditional(name)
    return name


def in_each_language(write) -> dict[str, str]:
    """What ``write()`` gives in each interface language, by language code: for text that
    code composes (a milestone's name with its kind) and that no message key can say."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(write())
    return texts


def for_reader(texts: dict) -> str:
    """The reader's text of :func:`in_each_language`, the site's if theirs is missing."""
    return texts.get(get_language(), texts.get(settings.LANGUAGE_CODE, ""))


def readable(write):
    """The text of an object as the log keeps it: plain when it reads the same in every
    language (a name people wrote), else ``{"languages": {...}}`` (a milestone's name,
    whose kind has its English name), so each reader of the log reads it in theirs."""
    texts = in_each_language(write)
    site = texts[settings.LANGUAGE_CODE]
    return site if len(set(texts.values())) == 1 else {"languages": texts}


def site_text(value) -> str:
    return value["languages"][settings.LANGUAGE_CODE] if isinstance(value, dict) else value


def shown(value):
    """A logged value as its reader reads it (see :func:`readable`); names in Traditional
    script to Traditional readers."""
    if isinstance(value, dict) and "languages" in value:
        value = for_reader(value["languages"])  # still holding names as people wrote them
    return localized_name(value) if isinstance(value, str) else value
