import pytest

from diaodu.lib.text import clean_data, clean_form_data, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("第一行\x0b第二行", "第一行\n第二行"),
        ("分页\x0c之后", "分页\n之后"),
        ("a\x00b\x01c\x08d\x1fe", "abcde"),
        ("tab\tnew\nreturn\r", "tab\tnew\nreturn\r"),
        ("non\ufffechar\uffffs", "nonchars"),
        ("lone \ud800 and \udfff half", "lone  and  half"),
        ("表情😀与中文", "表情😀与中文"),
    ],
)
def test_clean_text_keeps_what_xml_can_carry(raw, clean):
    assert clean_text(raw) == clean


def test_clean_data_cleans_every_string_in_parsed_json():
    assert clean_data({"a\x00": ["x\x0by", 3, None, {"b": "\ufffe"}]}) == {
        "a": ["x\ny", 3, None, {"b": ""}]
    }


def test_clean_form_data_cleans_every_value_of_a_key_and_leaves_the_original():
    from django.http import QueryDict

    submitted = QueryDict("title=a%0Bb&departments=1%00&departments=2")

    cleaned = clean_form_data(submitted)

    assert cleaned.getlist("departments") == ["1", "2"]
    assert cleaned["title"] == "a\nb"
    assert submitted["title"] == "a\x0bb"
    assert clean_form_data({"x": ["\ufffe", "y"]}) == {"x": ["", "y"]}
