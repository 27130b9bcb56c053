"""Reading the reports zones publish about their dispatch meetings. No Django here.

A report (a news item, 会议纪要 text) is pasted or uploaded as .txt or .docx, in Simplified
or Traditional characters, sometimes with the pinyin a web page showed above each character
copied inline: ``項(xiàng)目調(diào)度會(huì)議``. :func:`prepare` takes the pinyin out, converts to
Simplified and splits sentences; the finders then pick out what a meeting record needs:

- the meeting's date: ``2026年5月11日``, ``5月11日`` (the year from elsewhere in the text,
  or today's), ``2026-05-11``, ``二〇二六年五月十一日``;
- directives: the clause after ``一要``/``二要``/…, ``要求``, ``强调``, ``指出``, up to the
  sentence's end;
- phrases that name a project (ending in 项目, 产业园, 基地, 工程, 中心 …), for the caller to
  look up among the projects it knows.

Bad input raises :class:`ReportTextError`, whose ``code`` says what is wrong.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, time

from lxml import etree

from diaodu.lib.chinese import to_simplified
from diaodu.lib.cnparse import ParseError, cn_number, parse_date


class ReportTextError(ValueError):
    """``code``: ``empty``, ``too_long``, ``binary``, ``encoding``, ``docx`` or
    ``not_chinese``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- reading files --------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """A .txt file's text: UTF-8 (with or without a byte-order mark), UTF-16 with its mark,
    or GB18030 (which covers GBK and GB2312, what Chinese Windows saves)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportTextError("encoding") from None
    # A NUL byte never occurs in UTF-8 or GB18030 text: the file is binary.
    if b"\x00" in data:
        raise ReportTextError("binary")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportTextError("encoding")


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a .docx, one per line."""
    from docx import Document  # imported here: only uploads of .docx need it

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
        raise ReportTextError("docx") from None
    lines = []
    # In the document's order: a table of projects sits between the paragraphs about them.
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines += [cell.text for row in block.rows for cell in row.cells]
        else:
            lines.append(block.text)
    return "\n".join(lines)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f"
                     r"\u1100-\u11ff\u3040-\u30ff\uac00-\ud7af]")  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def check_text(text: str, max_chars: int) -> None:
    """Refuse text that is empty, longer than ``max_chars``, binary, or not Chinese.

    A report is Chinese when at least ten characters are Chinese and they outnumber the
    letters of other scripts (Latin, Cyrillic, kana, hangul …): English names and inline
    pinyin do not tip it over."""
    if not text or not text.strip():
        raise ReportTextError("empty")
    if len(text) > max_chars:
        raise ReportTextError("too_long")
    if len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise ReportTextError("binary")
    han = len(_HAN.findall(text))
    if han < 10 or han < len(_LETTER.findall(strip_inline_pinyin(text))):
        raise ReportTextError("not_chinese")


# --- normalising ------------------------------------------------------------------------------

_TONE_MARKS = {"\u0304", "\u0301", "\u030c", "\u0300"}  # ā á ǎ à, once decomposed
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|van|ian|iao|ai|ei|ao|ou|an|en|er|in|un|vn"
    r"|ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v)"
    r"|ng|m|n"
)
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE})+[1-5]?")
# Parentheses, half- or full-width, right after a Chinese character, holding only letters
# (with tone marks), tone digits, spaces and apostrophes (xī'ān).
_PARENTHESISED = re.compile(
    r"(?<=[\u3400-\u9fff])[ \t]*[(（]([A-Za-z\u00c0-\u024f\u0300-\u036f1-5' \t]{1,60})[)）]"
)


def _is_pinyin(text: str) -> bool:
    """``xiàng``, ``diào dù``, ``xiang4``, ``lǜ``: every word valid pinyin. Untoned words
    must be lower-case, so an abbreviation or an English name such as (China) stays."""
    decomposed = unicodedata.normalize("NFD", text.strip())
    toned = any(c in _TONE_MARKS for c in decomposed) or bool(re.search(r"[a-z][1-5]\b", text))
    if not toned and decomposed != decomposed.lower():
        return False
    plain = "".join(c for c in decomposed if c not in _TONE_MARKS).replace("u\u0308", "v")
    words = [w for w in re.split(r"[\s']+", plain.lower()) if w]
    return bool(words) and all(_PINYIN_WORD.fullmatch(w) for w in words)


def strip_inline_pinyin(text: str) -> str:
    """``項(xiàng)目調(diào)度會(huì)議`` → ``項目調度會議``; ``經濟(GDP)`` stays."""
    return _PARENTHESISED.sub(lambda m: "" if _is_pinyin(m[1]) else m[0], text)


# Full-width digits and Latin letters made plain (the dates need it); Chinese punctuation
# stays as it was, since the sentences are shown back to the reader.
_FULL_WIDTH = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF5B) if chr(i - 0xFEE0).isalnum()}
_LINE_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_SPACE_BY_HAN = re.compile(
    r"(?<=[\u3400-\u9fff，。、：；！？（）]) | (?=[\u3400-\u9fff，。、：；！？（）])"
)


def tidy(text: str) -> str:
    """Inline pinyin out, plain digits, tidy spaces and lines; the script as written."""
    text = strip_inline_pinyin(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (
        _LINE_SPACES.sub(" ", line).strip() for line in text.translate(_FULL_WIDTH).split("\n")
    )
    # Web copies space out names (区 资规局); spaces count only between Latin words.
    return "\n".join(_SPACE_BY_HAN.sub("", line) for line in lines if line)


def normalise(text: str) -> str:
    """:func:`tidy`, in Simplified characters."""
    return to_simplified(tidy(text))


_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")


def split_sentences(text: str) -> list[str]:
    """Sentences end at 。！？； (and their half-width forms) or at a line break."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" 。！？；!?;")]


@dataclass(frozen=True)
class Report:
    text: str  # normalised
    sentences: list[str]
    # Each sentence as the report wrote it (Traditional stays Traditional), by its
    # normalised form.
    written: dict[str, str] = field(default_factory=dict)

    def as_written(self, text: str) -> str:
        """``text``, one or more whole sentences of :attr:`text`, as the report wrote
        them; as given when the report does not hold them."""
        sentences = split_sentences(text)
        if not all(sentence in self.written for sentence in sentences):
            return text
        return "".join(self.written[sentence] for sentence in sentences)


def parse(raw: str) -> Report:
    """A report normalised and split into sentences (unchecked: see :func:`prepare`)."""
    written = tidy(raw)
    text = to_simplified(written)
    pairs: dict[str, str] = {}
    lines, originals = text.split("\n"), written.split("\n")
    # Conversion keeps lines and sentence ends; where it did not, sentences are quoted in
    # Simplified rather than paired wrongly.
    paired = zip(lines, originals, strict=True) if len(originals) == len(lines) else []
    for line, original in paired:
        simplified, as_written = split_sentences(line), split_sentences(original)
        if len(simplified) == len(as_written):
            for sentence, original_sentence in zip(simplified, as_written, strict=True):
                pairs.setdefault(sentence, original_sentence)
    return Report(text=text, sentences=split_sentences(text), written=pairs)


def prepare(raw: str, max_chars: int) -> Report:
    """Check and parse a report; ``ReportTextError`` if it cannot be one."""
    check_text(raw, max_chars)
    return parse(raw)


# --- the meeting's date -----------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_FULL_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|(?<!\d)\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)"
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]"
)
_MONTH_DAY = re.compile(
    r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"|(?<![〇零一二三四五六七八九十年])"
    r"(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})[日号]"
)
_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
# A sentence that says a meeting was held: its date is the meeting's.
_HELD = re.compile(r"召开|主持|会议|调度会|座谈会|专题会")


_HOUR = re.compile(
    r"(?<!\d)(?P<h>\d{1,2})\s*(?:[:：]\s*(?P<m>\d{2})|[时点](?:\s*(?P<m2>\d{1,2})\s*分|半(?P<half>))?)"
)
#: When a meeting said to be held in the morning or afternoon, at no hour, starts.
MORNING, AFTERNOON = time(9, 0), time(14, 30)


def find_time(sentence: str) -> time | None:
    """``下午3:30`` → 15:30, ``上午10时`` → 10:00, ``下午`` → 14:30; ``None`` when the
    sentence gives neither an hour nor a part of the day."""
    afternoon = re.search(r"下午|晚上|傍晚", sentence)
    morning = re.search(r"上午|早上", sentence)
    hour = _HOUR.search(sentence)
    if hour:
        h = int(hour["h"])
        minute = 30 if hour["half"] is not None else int(hour["m"] or hour["m2"] or 0)
        if afternoon and h < 12:
            h += 12
        if h < 24 and minute < 60:
            return time(h, minute)
    if afternoon:
        return AFTERNOON
    return MORNING if morning else None


_MEETING_NAME = re.compile(
    r"(?:召开|举行|组织召开)了?(?P<name>[^，,。；;、]{2,30}"
    r"(?:会议|调度会|座谈会|专题会|推进会|协调会|现场会|例会))"
)


def meeting_name(sentence: str) -> str | None:
    """``…主持召开重点项目工作调度专题会议，…`` → 重点项目工作调度专题会议."""
    found = _MEETING_NAME.search(sentence)
    return found["name"] if found else None


@dataclass(frozen=True)
class FoundDate:
    value: date
    sentence: str


def _chinese_year(year: int) -> str:
    return "".join(_CN_DIGITS[int(digit)] for digit in str(year))


def _dates_in(sentence: str, year: int | None, today: date) -> list[date]:
    found = []
    for match in _FULL_DATE.finditer(sentence):
        try:
            found.append((match.start(), parse_date(re.sub(r"\s", "", match[0]))))
        except ParseError:
            continue
    for match in _MONTH_DAY.finditer(sentence):
        month, day = (match["m"], match["d"]) if match["m"] else (match["cm"], match["cd"])
        for guess in [year] if year else [today.year, today.year - 1]:
            text = f"{_chinese_year(guess)}年{month}月{day}日"
            if match["m"]:
                text = f"{guess}年{month}月{day}日"
            try:
                value = parse_date(text)
            except ParseError:
                break
            # Without a year anywhere, the report is about a meeting that took place.
            if year or value <= today:
                found.append((match.start(), value))
                break
    return [value for _, value in sorted(found, key=lambda pair: pair[0])]


def find_date(report: Report, today: date) -> FoundDate | None:
    """The date of the meeting: the first date in a sentence about a meeting being held,
    else the first date at all. A date without a year takes the first year the text
    names; without one, today's year, or last year's if that would put it after today."""
    year_match = _YEAR.search(report.text)
    year = int(year_match[1]) if year_match else None
    candidates = [
        FoundDate(value, sentence)
        for sentence in report.sentences
        for value in _dates_in(sentence, year, today)
    ]
    for candidate in candidates:
        if _HELD.search(candidate.sentence):
            return candidate
    return candidates[0] if candidates else None


# --- directives ---------------------------------------------------------------------------

# 一要 … 十要; 要求 / 强调 / 指出 unless used as a noun (按要求, 的要求, 根据…要求).
_DIRECTIVE_MARKER = re.compile(
    r"(?:^|(?<=[，,：:、；;\s]))[一二三四五六七八九十]{1,2}要(?!求)"
    r"|(?<![按照据的合足到出提])(?:要求|强调|指出)"
)
_STARTS_CLAUSE = re.compile(r"\s*[，,：:]")
# A sentence going on with the speech: 二要…, 三是….
_NUMBERED = re.compile(r"^[一二三四五六七八九十]{1,2}[要是]")
_NUMBERED_INSIDE = re.compile(r"[，,：:][一二三四五六七八九十]{1,2}要")
_LEADING = re.compile(r"^[\s，,：:、。；;]+")
_MIN_DIRECTIVE_HAN = 4


@dataclass(frozen=True)
class Directive:
    text: str
    sentence: str
    speaker: str = ""  # who required it (李主任, 区资规局王局长); "" for the meeting itself
    # Whether it requires something (要求…, 一要…, or 要, 须, 务必, 抓紧, 限期 … in what was
    # said), rather than states a fact (指出，今年以来完成投资…): only those are kept.
    required: bool = True


_REQUIRES = re.compile(r"要|须|务必|抓紧|限期|确保|务求|力争|尽快|不得")


# Who speaks: the words before 指出/强调/要求 back to the clause's start (区资规局王局长指出).
_SPEAKER = re.compile(
    r"(?:^|[，,。；;：:])\s*(?P<who>[^，,。；;：:]{2,16}?)\s*(?:在讲话中|在会上|最后|同时|还)?"
    r"(?:指出|强调|要求|表示)\s*[，,：:]"
)
# The meeting as a body, not a person: 会议强调, 会上要求.
_NOT_A_SPEAKER = re.compile(r"^(?:会议|会上|会议上|大家|与会人员|各方)$")


def _speaker(sentence: str) -> str | None:
    """The person a sentence says is speaking; "" for the meeting; ``None`` when it
    says no one."""
    found = _SPEAKER.search(sentence)
    if not found:
        return None
    who = found["who"].strip()
    return "" if _NOT_A_SPEAKER.match(who) else who


def find_directives(report: Report) -> list[Directive]:
    """Each clause after a directive marker, to the next marker or the sentence's end.
    ``会议强调，一要压实责任，二要加快审批。`` gives two directives. A numbered heading
    (一要术业有专攻。) takes the sentences after it in its paragraph, which say what to
    do. Each directive names who required it, from the sentence that says so (李主任要求，
    X书记强调：) as long as the speech goes on: in its paragraph, and in the numbered
    paragraphs after it."""
    directives: list[Directive] = []
    speaker = ""
    for paragraph in report.text.split("\n"):
        sentences = split_sentences(paragraph)
        if not sentences:
            continue
        said = _speaker(sentences[0])
        if said is None and not _NUMBERED.match(sentences[0]):
            speaker = ""  # a new paragraph of the report, not the speech going on
        heading: int | None = None  # the numbered directive later sentences belong to
        for sentence in sentences:
            said = _speaker(sentence)
            if said is not None:
                speaker = said
            found = _directives_in(sentence, speaker)
            if found:
                directives += found
                numbered = _NUMBERED.match(sentence) or _NUMBERED_INSIDE.search(sentence)
                heading = len(directives) - 1 if numbered else None
            elif heading is not None:
                last = directives[heading]
                directives[heading] = Directive(
                    last.text + sentence.rstrip("，,、：:；;。！？!? ") + "。",
                    last.sentence + sentence,
                    last.speaker,
                    last.required,
                )
    return directives


def _directives_in(sentence: str, speaker: str) -> list[Directive]:
    markers = []
    for marker in _DIRECTIVE_MARKER.finditer(sentence):
        # Inside a directive, 要求 is mostly a noun (按照时间节点要求倒排工期): a
        # second 要求/强调/指出 starts a directive only when a comma or colon follows.
        plain = not marker[0].endswith("要")
        if markers and plain and not _STARTS_CLAUSE.match(sentence, marker.end()):
            continue
        markers.append(marker)
    found = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(sentence)
        clause = _LEADING.sub("", sentence[marker.end() : end])
        if len(_HAN.findall(clause)) < _MIN_DIRECTIVE_HAN:
            continue
        # A decision of its own: it ends as a sentence, whatever ended the clause.
        text = clause.rstrip("，,、：:；;。！？!? ") + "。"
        required = marker[0].endswith("要") or marker[0] == "要求" or bool(_REQUIRES.search(text))
        found.append(Directive(text, sentence, speaker, required))
    return found


# --- project names ------------------------------------------------------------------------------

_PROJECT_WORD = re.compile(r"项目$")
PROJECT_SUFFIXES = ("产业园区", "产业园", "项目", "园区", "基地", "工程", "中心", "综合体", "小镇")
# Words a project name does not contain: a name starts after the last of them.
_BEFORE_NAME = re.compile(
    r".*(?:[了的和与及对在为是将把就从到由向于等个各该其这此即要并且或]|听取|调度|推进|协调"
    r"|研究|汇报|解决|加快|推动|确保|完成|开展|实施|察看|查看|实地|走访|深入|围绕|聚焦|关于"
    r"|针对|督导|现场|会议|包括|涉及|重点|主持|召开|参加|出席|强调|要求|指出|以及|还有)"
)
_NAME_RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9（）()·]+")
_SUFFIX_CHAIN = re.compile("(?:" + "|".join(PROJECT_SUFFIXES) + ")+")
# What precedes a suffix in phrases that name no particular project (重点项目, 该项目).
_GENERIC = re.compile(
    r"^(?:重点|重大|在建|新建|续建|签约|开工|竣工|投产|招商|产业|全部|所有|部分|其他|其余|相关|有关"
    r"|上述|以上|这些|这个|那个|本次|本批|全区|全市|全县|省级|市级|区级|县级|省市|民生|政府投资"
    r"|社会投资|基础设施|各类|多个|\d+个|[一二三四五六七八九十百]+个|一批|首批|第[一二三四五六七八九十\d]+批"
    r"|服务|政务服务|便民服务|党群服务|指挥|调度|数据|运营|研发)?$"
)


@dataclass(frozen=True)
class NameCandidate:
    name: str
    sentence: str
    start: int  # where the name starts in the sentence
    end: int


def project_name_candidates(report: Report) -> list[NameCandidate]:
    """Phrases that read like a project's name (水务产业园项目, 智能制造基地二期工程), each
    once (with or without 项目), first occurrence first. Generic phrases (重点项目,
    该项目) are left out."""
    seen = set()
    candidates = []
    for sentence in report.sentences:
        for run in _NAME_RUN.finditer(sentence):
            begin = 0  # a name starts after the previous one in the same run
            for suffix in _SUFFIX_CHAIN.finditer(run[0]):
                stem = run[0][begin : suffix.start()]
                cut = _BEFORE_NAME.match(stem)
                stem = stem[cut.end() :] if cut else stem
                if len(_HAN.findall(stem)) < 2:
                    continue
                begin = suffix.end()
                if _GENERIC.match(stem):
                    continue
                name = stem + suffix[0]
                # 智慧物流园项目 and 智慧物流园 are one project.
                key = _PROJECT_WORD.sub("", name)
                if key not in seen:
                    seen.add(key)
                    end = run.start() + suffix.end()
                    candidates.append(NameCandidate(name, sentence, end - len(name), end))
    return candidates


# --- how many projects the report speaks of -------------------------------------------------

_PROJECT_COUNT = re.compile(
    r"(?P<n>\d{1,4}|[一二两三四五六七八九十]{1,3})\s*个"
    r"(?:省市|省级|市级|区级|县级|重点|重大|在建|新建|续建|新开工|签约|开工|竣工|投产|产业)*项目"
)


@dataclass(frozen=True)
class ProjectCount:
    count: int
    sentence: str


def find_project_count(report: Report) -> ProjectCount | None:
    """``听取了七个重点项目推进情况汇报`` → 7: how many projects the report says the meeting
    dealt with, the first it gives (later counts are parts: 其中3个项目…)."""
    for sentence in report.sentences:
        found = _PROJECT_COUNT.search(sentence)
        if found:
            number = found["n"]
            count = int(number) if number.isdigit() else cn_number(number)
            if count:
                return ProjectCount(count, sentence)
    return None


# --- the meeting, its chair, people named by title ------------------------------------------

_KINDS = (
    ("weekly", re.compile(r"周调度|周例会")),
    ("monthly", re.compile(r"月度|月调度|月例会")),
    ("on_site", re.compile(r"现场(?:办公|调度|推进|观摩)?会")),
)


def meeting_kind(report: Report) -> str:
    """``weekly``, ``monthly``, ``on_site`` or ``special`` (专题, and anything else), from
    the first sentence about the meeting that says (每周报送 elsewhere says nothing)."""
    for sentence in report.sentences:
        if _HELD.search(sentence):
            for kind, pattern in _KINDS:
                if pattern.search(sentence):
                    return kind
    return "special"


def presides(sentence: str) -> bool:
    """The sentence says who chaired: 李主任主持召开…, 会议由李主任主持."""
    return "主持" in sentence


_COMPOUND_SURNAMES = re.compile(
    "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|夏侯|轩辕|端木|独孤|南宫"
    "|西门|百里|呼延|万俟|闻人|申屠|澹台|公冶|太史|钟离"
)
# How people address an official: the end of the title (the longest: 副主任, not 主任).
_RANK = re.compile(
    "(?:常务副主任|副总经理|副主任|副局长|副书记|副区长|副县长|副市长|副镇长|副部长|副处长"
    "|副科长|副主席|秘书长|董事长|总经理|主任|局长|书记|区长|县长|市长|镇长|乡长|部长|处长"
    "|科长|主席|经理|院长|所长|主管|总监)$"
)


def surname_and_title(display_name: str, title: str) -> str | None:
    """王建国, 管委会副主任 → 王副主任: how a report names an official. ``None`` when the
    name is not a Chinese personal name or the title has no rank people say."""
    name = display_name.strip()
    if not 2 <= len(name) <= 4 or len(_HAN.findall(name)) != len(name):
        return None
    compound = len(name) > 2 and _COMPOUND_SURNAMES.fullmatch(name[:2])
    rank = _RANK.search(title.strip())
    return (name[:2] if compound else name[:1]) + rank[0] if rank else None


# --- other names for known things -----------------------------------------------------------


def project_aliases(name: str) -> list[str]:
    """A project called 智慧物流园项目 is also said as 智慧物流园."""
    short = _PROJECT_WORD.sub("", name)
    return [name, short] if short != name and len(short) >= 3 else [name]
