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
