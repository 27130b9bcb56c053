"""Values as offices type them into spreadsheets: dates, amounts, areas, lists of names."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from diaodu.lib.cnparse import (
    ParseError,
    is_blank,
    parse_amount,
    parse_area,
    parse_date,
    parse_integer,
    split_names,
    unit_in,
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026年5月11日", date(2026, 5, 11)),
        ("2026年5月11号", date(2026, 5, 11)),
        ("2026 年 5 月 11 日", date(2026, 5, 11)),
        ("2026.5.11", date(2026, 5, 11)),
        ("2026/5/11", date(2026, 5, 11)),
        ("2026-05-11", date(2026, 5, 11)),
        ("2026-5-1", date(2026, 5, 1)),
        ("20260511", date(2026, 5, 11)),
        ("２０２６年５月１１日", date(2026, 5, 11)),  # full-width digits
        ("二〇二六年五月十一日", date(2026, 5, 11)),
        ("二〇二六年十二月三十一日", date(2026, 12, 31)),
        ("2026-05-11 00:00:00", date(2026, 5, 11)),  # a date-time as text from another system
        ("2026-05-11T08:30", date(2026, 5, 11)),
        (" 2026/5/11 ", date(2026, 5, 11)),
    ],
)
def test_a_date_written_in_any_usual_way_is_read(typed, meant):
    assert parse_date(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026年5月", date(2026, 5, 31)),
        ("2026年2月", date(2026, 2, 28)),
        ("2024年2月", date(2024, 2, 29)),
        ("2026.6", date(2026, 6, 30)),
        ("2026-06", date(2026, 6, 30)),
        ("2026年5月底", date(2026, 5, 31)),
        ("二〇二六年五月", date(2026, 5, 31)),
    ],
)
def test_a_month_alone_is_met_by_its_last_day(typed, meant):
    assert parse_date(typed) == meant


def test_spreadsheet_dates_and_date_numbers_are_read():
    assert parse_date(datetime(2026, 5, 11, 0, 0)) == date(2026, 5, 11)
    assert parse_date(date(2026, 5, 11)) == date(2026, 5, 11)
    assert parse_date(20260511) == date(2026, 5, 11)
    assert parse_date(46153) == date(2026, 5, 11)  # Excel's serial day number
    assert parse_date(46153.0) == date(2026, 5, 11)


@pytest.mark.parametrize("blank", [None, "", "  ", "—", "-", "/", "无", "待定", "——"])
def test_a_blank_or_a_placeholder_is_no_date(blank):
    assert is_blank(blank)
    assert parse_date(blank) is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("下个月", "date"),
        ("2026年13月1日", "date_invalid"),
        ("2026-02-30", "date_invalid"),
        ("2026年", "date_vague"),
        ("2026", "date_vague"),
        (12, "date"),  # a number that is neither a yyyymmdd nor a serial day
        (46153.5, "date"),
        (True, "date"),
        ("5/11/2026", "date"),  # the American order is not guessed at
    ],
)
def test_what_is_not_a_date_says_why(typed, code):
    with pytest.raises(ParseError) as raised:
        parse_date(typed)

    assert raised.value.code == code
    assert raised.value.value == typed


@pytest.mark.parametrize(
    ("typed", "wan_yuan"),
    [
        ("3.2亿元", Decimal("32000")),
        ("3.2亿", Decimal("32000")),
        ("3.2億元", Decimal("32000")),  # Traditional
        ("5000萬", Decimal("5000")),
        ("1.2亿", Decimal("12000")),
        ("5000万元", Decimal("5000")),
        ("5000万", Decimal("5000")),
        ("5千万", Decimal("5000")),
        ("3百万元", Decimal("300")),
        ("12,000", Decimal("12000")),
        ("12，000.5", Decimal("12000.5")),
        ("１２０００", Decimal("12000")),
        ("3000元", Decimal("0.3")),
        ("约5000万元", Decimal("5000")),
        ("5000万元人民币", Decimal("5000")),
        ("5000 万元", Decimal("5000")),
        ("0", Decimal("0")),
        (5000, Decimal("5000")),
        (12345.67, Decimal("12345.67")),
        (0.3, Decimal("0.3")),  # the float's shortest form, not 0.299999...
        (Decimal("8000.00"), Decimal("8000.00")),
        ("-100", Decimal("-100")),  # read as written; the model refuses negatives
    ],
)
def test_an_amount_is_read_in_10k_yuan_whatever_its_unit(typed, wan_yuan):
    assert parse_amount(typed) == wan_yuan


def test_a_bare_number_takes_the_unit_of_its_column():
    assert parse_amount(3.2, "亿元") == Decimal("32000")
    assert parse_amount("3.2", "亿元") == Decimal("32000")
    assert parse_amount("5000万", "亿元") == Decimal("5000")  # the cell's unit wins
    assert parse_amount(50000, "元") == Decimal("5")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("很多", "amount"),
        ("5000万美元", "amount_unit"),
        ("1,2", "amount"),
        ("5.000.000", "amount"),
        (True, "amount"),
        (date(2026, 5, 11), "amount"),
    ],
)
def test_what_is_not_an_amount_says_why(typed, code):
    with pytest.raises(ParseError) as raised:
        parse_amount(typed)

    assert raised.value.code == code


@pytest.mark.parametrize(
    ("typed", "mu"),
    [
        (120, Decimal("120")),
        ("120亩", Decimal("120")),
        ("120.5 亩", Decimal("120.5")),
        ("6667平方米", Decimal("10.0005")),
        ("6667㎡", Decimal("10.0005")),
        ("8万平方米", Decimal("120")),
        ("5公顷", Decimal("75")),
        ("120畝", Decimal("120")),
        ("—", None),
    ],
)
def test_a_land_area_is_read_in_mu(typed, mu):
    assert parse_area(typed) == mu


def test_what_is_not_an_area_says_why():
    with pytest.raises(ParseError) as raised:
        parse_area("120英亩")
    assert raised.value.code == "area_unit"


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("总投资（万元）", "万元"),
        ("总投资(亿元)", "亿元"),
        ("计划投资（元）", "元"),
        ("总投资", None),
        ("總投資（萬元）", "万元"),  # Traditional: not "元"
        ("Total investment (10k yuan)", None),
    ],
)
def test_the_unit_a_column_header_names_is_found(header, unit):
    from diaodu.lib.cnparse import AMOUNT_UNITS

    assert unit_in(header, AMOUNT_UNITS) == unit


@pytest.mark.parametrize(
    ("typed", "number"), [(2026, 2026), (2026.0, 2026), ("2026", 2026), ("2026年", 2026)]
)
def test_a_whole_number_is_read(typed, number):
    assert parse_integer(typed) == number


@pytest.mark.parametrize("typed", ["2026.5", 2026.5, "二〇二六", True])
def test_what_is_not_a_whole_number_says_why(typed):
    with pytest.raises(ParseError):
        parse_integer(typed)


def test_names_are_split_on_the_separators_offices_use():
    assert split_names("区资规局、区审批局，区住建局;区财政局/区发改局\n区科经局") == [
        "区资规局",
        "区审批局",
        "区住建局",
        "区财政局",
        "区发改局",
        "区科经局",
    ]
    assert split_names(" 区资规局 ") == ["区资规局"]
    assert split_names(None) == []
    assert split_names("—") == []
