"""Chinese text helpers: script conversion and search keys. No Django here."""

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")
#: Between the parts of a search key: a control character no query can contain (queries
#: lose their whitespace, and this counts as whitespace).
KEY_SEPARATOR = "\x1f"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    # Taiwan-standard character forms (群, 為, 平台) read naturally to Traditional readers;
    # plain s2t gives dictionary forms (羣, 爲, 平臺) nobody writes.
    return _converter("s2tw").convert(text)


# OpenCC reads 天后 as the goddess (天后宮) and keeps 后; in the interface it is always
# "days later" (9天后到期 → 9天後到期).
_INTERFACE_PHRASES = {"天后": "天後"}
# Words whose Taiwan computing sense is wrong here: a key project (项目) is not a software
# project (專案), a kind (类型) not a data type (型別), a review (审核) not an audit
# (稽核), a paper document (文件) not a file (檔案), dispatch (调度) not scheduling (排程),
# publishing (发布) not a software release (釋出), a target (对象) not an object (物件),
# a project code (代码) not program code (程式碼).
# They change script only.
_KEPT_WORDS = ("项目", "类型", "审核", "文件", "调度", "发布", "对象", "代码")


def to_traditional_interface(text: str) -> str:
    """Interface text in Traditional Chinese with Taiwan usage: characters and words
    (登录 → 登入, 信息 → 資訊), for the translated catalogue. Data names keep their words
    and only change script (:func:`to_traditional`)."""
    for simplified, traditional in _INTERFACE_PHRASES.items():
        text = text.replace(simplified, traditional)
    # Kept words travel through the phrase conversion as private-use characters.
    for index, word in enumerate(_KEPT_WORDS):
        text = text.replace(word, chr(0xE000 + index))
    text = _converter("s2twp").convert(text)
    for index, word in enumerate(_KEPT_WORDS):
        text = text.replace(chr(0xE000 + index), to_traditional(word))
    return text


def simplified_only(text: str) -> str:
    """The characters of ``text`` a Traditional reader should never see: those the
    conversion to Traditional changes (后 in 天后 included), in order, each once."""
    converted = _converter("s2tw").convert(text)
    found = {a for a, b in zip(text, converted, strict=False) if a != b}
    found |= {char for char in text if char == "后"}  # only "empress" in Traditional
    return "".join(dict.fromkeys(char for char in text if char in found))


def search_key(*texts: str) -> str:
    """A lower-case key that a Simplified, Traditional, pinyin or initials query matches.

    Each text contributes its simplified form, its full pinyin and its pinyin initials,
    separated by a character no query contains, so a match never spans two parts.
    """
    parts = []
    for text in texts:
        if not text:
            continue
        simplified = _SPACES.sub("", to_simplified(text)).lower()
        parts.append(simplified)
        if _HAN.search(simplified):
            syllables = lazy_pinyin(simplified, errors="ignore")
            parts.append("".join(syllables))
            parts.append("".join(s[0] for s in syllables if s))
    return KEY_SEPARATOR.join(parts)


def normalise_query(query: str) -> str:
    """The query in the form ``search_key`` stores: simplified, lower-case, no spaces."""
    return _SPACES.sub("", to_simplified(query)).lower()


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九: for 一、二、三 headings."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters (Chinese) take
    two, where ``len`` counts one."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces to fill ``width`` terminal columns (``str.ljust`` for
    text that mixes Chinese and Latin)."""
    return text + " " * max(width - display_width(text), 0)
