"""Chinese search keys: Simplified, Traditional, pinyin and initials all find the same text."""

import pytest

from diaodu.lib.chinese import (
    display_width,
    normalise_query,
    pad,
    search_key,
    to_simplified,
    to_traditional,
)


def parts(key: str) -> list[str]:
    return key.split("\x1f")


def test_a_traditional_name_is_stored_simplified_with_full_pinyin_and_initials():
    key = search_key("水務產業園")

    assert parts(key) == ["水务产业园", "shuiwuchanyeyuan", "swcyy"]


@pytest.mark.parametrize(
    "query", ["水务产业园", "水務產業園", "水务", "產業", "swcyy", "SWCYY", "shuiwu"]
)
def test_each_way_of_writing_the_name_is_found_in_its_key(query):
    assert normalise_query(query) in search_key("水務產業園")


def test_several_texts_each_contribute_and_a_match_never_spans_two():
    key = search_key("2026-001", "", "水务产业园")

    assert parts(key) == ["2026-001", "水务产业园", "shuiwuchanyeyuan", "swcyy"]
    assert normalise_query("001水务") not in key
    assert normalise_query("001") in key


def test_latin_text_is_kept_lower_case_without_pinyin():
    assert parts(search_key("ABC Park")) == ["abcpark"]


def test_empty_texts_contribute_nothing():
    assert search_key("", "") == ""


def test_multi_reading_characters_are_read_by_phrase():
    # 重 reads zhong in 重点 (key) and chong in 重庆 (Chongqing).
    assert "zhongdian" in search_key("重点项目")
    assert "chongqing" in search_key("重庆")


@pytest.mark.parametrize(
    ("query", "normalised"),
    [
        ("水務 產業園", "水务产业园"),
        ("  SWCYY ", "swcyy"),
        ("重點\t項目", "重点项目"),
        ("2401-330106", "2401-330106"),
        ("", ""),
    ],
)
def test_a_query_is_normalised_as_keys_are(query, normalised):
    assert normalise_query(query) == normalised


def test_script_conversion_goes_both_ways():
    assert to_simplified("重點項目調度") == "重点项目调度"
    assert to_traditional("重点项目调度") == "重點項目調度"


@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("coordinator", 11), ("协调办", 6), ("區領導", 6), ("业主 owner", 10), ("ＡＢ", 4)],
)
def test_chinese_takes_two_columns_in_a_terminal(text, width):
    assert display_width(text) == width


def test_padding_fills_terminal_columns_not_characters():
    assert pad("协调办", 8) == "协调办  "
    assert pad("leader", 8) == "leader  "
    assert pad("too long", 3) == "too long"
