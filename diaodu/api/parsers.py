"""The API's request parsers: every string that comes in is cleaned of the characters XML
and chat formats cannot carry (``diaodu.lib.text``), and JSON may nest only so deep.

Views that choose their own parsers choose among these, so no text enters by another way.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from diaodu.lib.text import clean_data, clean_form_data

# Far deeper than any request of this API (a few levels), far shallower than what makes
# Python's parser or the validation after it run out of stack.
MAX_JSON_DEPTH = 32


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
        else:
            if _depth(data) <= MAX_JSON_DEPTH:
                return clean_data(data)
        raise ParseError(
            _("JSON nested more than %(depth)d levels deep is not accepted.")
            % {"depth": MAX_JSON_DEPTH}
        )


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_form_data(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(clean_form_data(parsed.data), parsed.files)
