"""Text as XML (and so .docx and .xlsx) and chat formats can carry it. No Django here.

XML 1.0 has no way to write most C0 control characters, U+FFFE, U+FFFF or a lone half of a
surrogate pair: python-docx and openpyxl refuse such text, so one pasted character would
stop every document that shows it. Word pastes U+000B for a manual line break and U+000C
for a page break: they become line breaks; the rest is dropped.
"""

import re

_LINE_BREAKS = re.compile("[\x0b\x0c]")
_UNWRITABLE = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot carry; Word's breaks become ``\\n``."""
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub("\n", text))


def clean_data(value):
    """``value`` with every string in it cleaned, through lists and dictionaries (parsed
    JSON or form data); anything else (files, numbers) is returned as it is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    return value


def clean_form_data(data):
    """A copy of submitted form data (Django's ``QueryDict``, or a plain dictionary) with
    every value cleaned, each of a key's several values included."""
    cleaned = data.copy()
    for key in list(cleaned):
        if hasattr(cleaned, "setlist"):
            cleaned.setlist(key, clean_data(cleaned.getlist(key)))
        else:
            cleaned[key] = clean_data(cleaned[key])
    return cleaned
