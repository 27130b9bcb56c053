"""Reading a published meeting report, without the database: inline pinyin, scripts,
sentences, the date, directives, project names, and what is refused."""

from datetime import date
from pathlib import Path

import pytest

from diaodu.lib import reporttext
from diaodu.lib.reporttext import ReportTextError

REPORTS = Path(__file__).parent / "reports"
TODAY = date(2026, 6, 10)


def read(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def prepared(text: str) -> reporttext.Report:
    return reporttext.parse(text)


# --- inline pinyin and scripts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("copied", "clean"),
    [
        ("項(xiàng)目調(diào)度會(huì)議", "項目調度會議"),
        ("會（huì）議（yì）", "會議"),
        ("基(ji1)地(di4)", "基地"),
        ("调度(diào dù)会", "调度会"),
        ("西安(xī'ān)市", "西安市"),
        ("绿(lǜ)色", "绿色"),
        ("项 (xiàng) 目", "项 目"),
    ],
)
def test_inline_pinyin_after_characters_is_taken_out(copied, clean):
    assert reporttext.strip_inline_pinyin(copied) == clean


@pytest.mark.parametrize(
    "kept",
    ["国内生产总值(GDP)增长", "中国(China)", "投资(亿元)", "项目(一期)", "ABC(xiang)", "厂房(B1)"],
)
def test_parentheses_that_hold_no_pinyin_stay(kept):
    assert reporttext.strip_inline_pinyin(kept) == kept


def test_a_traditional_report_with_inline_pinyin_normalises_to_the_simplified_report():
    assert reporttext.normalise(read("traditional_inline_pinyin.txt")) == reporttext.normalise(
        read("simplified_news.txt")
    )


def test_normalising_makes_digits_plain_and_joins_names_spaced_out_by_web_pages():
    assert reporttext.normalise("２０２６年５月１１日，区 资规局\r\n\r\n  A B 公司") == (
        "2026年5月11日，区资规局\nA B公司"
    )


def test_sentences_end_at_chinese_stops_and_line_breaks():
    assert reporttext.split_sentences("会议强调：一要快；二要好！是否？\n标题行\n\n末句") == [
        "会议强调：一要快；",
        "二要好！",
        "是否？",
        "标题行",
        "末句",
    ]


# --- the date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年5月11日上午，召开调度会议。", date(2026, 5, 11)),
        ("2026-05-11 来源：区融媒体中心\n会议召开。", date(2026, 5, 11)),
        ("二〇二六年五月十一日，召开调度会议。", date(2026, 5, 11)),
        ("5月11日，召开调度会议。", date(2026, 5, 11)),
        ("五月十一日，召开调度会议。", date(2026, 5, 11)),
        # No year anywhere and after today: last year's meeting.
        ("12月3日，召开调度会议。", date(2025, 12, 3)),
        # The year comes from elsewhere in the text.
        ("2025年重点项目推进情况。12月3日，召开调度会议。", date(2025, 12, 3)),
    ],
)
def test_the_meeting_date_is_found_in_each_way_reports_write_it(text, expected):
    found = reporttext.find_date(prepared(text), TODAY)

    assert found.value == expected


def test_the_date_of_the_sentence_about_the_meeting_wins_over_an_earlier_one():
    report = prepared("项目计划于6月30日前开工建设。\n5月11日，管委会召开专题会议。")

    found = reporttext.find_date(report, TODAY)

    assert found.value == date(2026, 5, 11)
    assert found.sentence == "5月11日，管委会召开专题会议。"


def test_a_report_without_a_date_has_none():
    assert reporttext.find_date(prepared("会议听取了项目推进情况汇报。"), TODAY) is None


# --- directives ------------------------------------------------------------------------------


def test_numbered_directives_in_one_sentence_become_one_each():
    directives = reporttext.find_directives(
        prepared("会议强调，一要压实工作责任，二要加快审批流程，三要做好空间保障。")
    )

    assert [d.text for d in directives] == ["压实工作责任。", "加快审批流程。", "做好空间保障。"]
    assert {d.sentence for d in directives} == {
        "会议强调，一要压实工作责任，二要加快审批流程，三要做好空间保障。"
    }


def test_a_directive_runs_to_the_end_of_its_sentence_and_ends_as_one():
    directives = reporttext.find_directives(
        prepared("李主任要求，各项目业主要严格按照时间节点要求倒排工期，确保按期开工；")
    )

    assert [d.text for d in directives] == [
        "各项目业主要严格按照时间节点要求倒排工期，确保按期开工。"
    ]


@pytest.mark.parametrize(
    "sentence",
    ["项目按要求完成了备案。", "达到了环保要求。", "会议要求：", "一要，二要。"],
)
def test_nouns_and_empty_clauses_are_no_directives(sentence):
    assert reporttext.find_directives(prepared(sentence)) == []


# --- project names ----------------------------------------------------------------------------


def test_phrases_ending_like_project_names_are_candidates_generic_ones_are_not():
    report = prepared(
        "实地察看了智慧物流园项目、滨江新能源电池产业园和城北污水处理厂提标改造工程建设现场。"
        "全区18个重点项目进展顺利，该项目和各项目要加快推进，政务服务中心做好服务。"
    )

    names = [c.name for c in reporttext.project_name_candidates(report)]

    assert names == ["智慧物流园项目", "滨江新能源电池产业园", "城北污水处理厂提标改造工程"]


def test_a_name_said_with_and_without_xiangmu_is_one_candidate():
    report = prepared("听取了新材料产业基地项目汇报。新材料产业基地要加快建设进度。")

    names = [c.name for c in reporttext.project_name_candidates(report)]

    assert names == ["新材料产业基地项目"]


# --- the meeting and its people --------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "kind"),
    [
        ("simplified_news.txt", "special"),
        ("traditional_monthly.txt", "monthly"),
        ("unknown_projects.txt", "on_site"),
    ],
)
def test_the_kind_of_meeting_comes_from_how_the_report_names_it(report, kind):
    assert reporttext.meeting_kind(prepared(read(report))) == kind


@pytest.mark.parametrize(
    ("name", "title", "alias"),
    [
        ("王建国", "管委会主任", "王主任"),
        ("李明", "管委会常务副主任", "李常务副主任"),
        ("欧阳春", "副区长", "欧阳副区长"),
        ("资规局小王", "局长", None),
        ("王建国", "工作人员", None),
    ],
)
def test_officials_are_named_by_surname_and_rank(name, title, alias):
    assert reporttext.surname_and_title(name, title) == alias


# --- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("会" * 100_001, "too_long"),
        ("\x00\x01\x02\x03\x04" * 20 + "会议召开调度会议会议召开调度", "binary"),
        ("The zone held a dispatch meeting on the water park project today.", "not_chinese"),
        ("경제자유구역청은 오늘 중점 프로젝트 회의를 개최했다 항목", "not_chinese"),
        ("会议", "not_chinese"),
    ],
)
def test_bad_text_is_refused_with_a_reason(text, code):
    with pytest.raises(ReportTextError) as refused:
        reporttext.check_text(text, 100_000)

    assert refused.value.code == code


def test_a_chinese_report_with_inline_pinyin_is_not_taken_for_another_language():
    reporttext.check_text(read("traditional_inline_pinyin.txt"), 100_000)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_files_are_read_in_the_encodings_offices_save(encoding):
    text = read("simplified_news.txt")

    assert reporttext.decode_text(text.encode(encoding)) == text


def test_a_binary_file_is_not_text():
    with pytest.raises(ReportTextError) as refused:
        reporttext.decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert refused.value.code == "binary"


def test_a_file_that_is_no_word_document_is_refused():
    with pytest.raises(ReportTextError) as refused:
        reporttext.docx_text(b"PK\x03\x04 not really a zip")

    assert refused.value.code == "docx"


# --- the hour and the meeting's name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "hour"),
    [
        ("2026年5月11日上午，李主任主持召开会议。", (9, 0)),
        ("5月11日下午，召开调度会。", (14, 30)),
        ("5月11日下午3:30，召开调度会。", (15, 30)),
        ("5月11日上午10时，召开调度会。", (10, 0)),
        ("5月11日下午2点半，召开调度会。", (14, 30)),
        ("5月11日15：00召开调度会。", (15, 0)),
        ("5月11日召开重点项目调度会。", None),
    ],
)
def test_the_hour_of_the_meeting_is_read_when_given(sentence, hour):
    found = reporttext.find_time(sentence)

    assert ((found.hour, found.minute) if found else None) == hour


def test_the_meeting_s_name_is_read_from_the_sentence_that_gives_its_date():
    sentence = (
        "5月11日上午，管委会主任李明主持召开重点项目工作调度专题会议，听取了七个重点项目的汇报。"
    )

    assert reporttext.meeting_name(sentence) == "重点项目工作调度专题会议"
