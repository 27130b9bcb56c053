"""Reporting periods: weeks from Monday, calendar months, and stepping across year ends."""

from datetime import date

import pytest

from diaodu.lib.periods import MONTH, WEEK, Period


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 6, 8), date(2026, 6, 8)),  # a Monday is its own week's start
        (date(2026, 6, 10), date(2026, 6, 8)),
        (date(2026, 6, 14), date(2026, 6, 8)),  # Sunday belongs to the week before
        (date(2026, 1, 1), date(2025, 12, 29)),  # a week can start in the previous year
        (date(2024, 3, 1), date(2024, 2, 26)),  # and span a leap day
    ],
)
def test_a_week_starts_on_the_monday_on_or_before_the_day(day, monday):
    week = Period.containing(WEEK, day)

    assert week.start == monday
    assert week.end == date.fromordinal(monday.toordinal() + 6)
    assert week.start <= day <= week.end


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 14), date(2026, 2, 28)),
        (date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2026, 4, 30), date(2026, 4, 30)),
        (date(2026, 12, 25), date(2026, 12, 31)),
    ],
)
def test_a_month_ends_on_its_last_day(day, last):
    month = Period.containing(MONTH, day)

    assert month.start == day.replace(day=1)
    assert month.end == last


def test_months_step_across_the_year_end_both_ways():
    december = Period(MONTH, date(2025, 12, 1))

    assert december.next() == Period(MONTH, date(2026, 1, 1))
    assert december.next().previous() == december
    assert Period(MONTH, date(2026, 1, 1)).previous() == Period(MONTH, date(2025, 12, 1))
    assert Period(MONTH, date(2026, 11, 1)).next() == Period(MONTH, date(2026, 12, 1))


def test_twelve_steps_forward_is_a_year():
    period = Period(MONTH, date(2026, 3, 1))
    for _ in range(12):
        period = period.next()

    assert period == Period(MONTH, date(2027, 3, 1))


def test_weeks_step_across_the_year_end_both_ways():
    last_of_2025 = Period(WEEK, date(2025, 12, 22))

    assert last_of_2025.next() == Period(WEEK, date(2025, 12, 29))
    assert last_of_2025.next().next() == Period(WEEK, date(2026, 1, 5))
    assert Period(WEEK, date(2026, 1, 5)).previous().previous() == last_of_2025


@pytest.mark.parametrize(
    ("start", "iso_week"),
    [
        (date(2025, 12, 29), (2026, 1)),  # ISO week 1 of 2026 starts in 2025
        (date(2026, 6, 8), (2026, 24)),
        (date(2020, 12, 28), (2020, 53)),
    ],
)
def test_a_week_knows_its_iso_number(start, iso_week):
    assert Period(WEEK, start).iso_week == iso_week


@pytest.mark.parametrize(
    ("kind", "start", "complaint"),
    [
        (WEEK, date(2026, 6, 10), "Monday"),
        (WEEK, date(2026, 6, 14), "Monday"),
        (MONTH, date(2026, 6, 2), "first day"),
        ("year", date(2026, 1, 1), "unknown period kind"),
    ],
)
def test_a_period_cannot_start_on_the_wrong_day(kind, start, complaint):
    with pytest.raises(ValueError, match=complaint):
        Period(kind, start)


def test_containing_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown period kind"):
        Period.containing("quarter", date(2026, 6, 10))


def test_periods_sort_by_start():
    periods = [Period(MONTH, date(2026, 3, 1)), Period(MONTH, date(2025, 12, 1))]

    assert sorted(periods)[0].start == date(2025, 12, 1)
