"""Working days: the package's 2026 schedule, the office's table for later years, and the
office's table overriding the package."""

from datetime import date

import pytest

from diaodu.core.models import CalendarDay
from diaodu.lib.workdays import WorkingCalendar, add_working_days, working_days_between


def test_national_day_2026_is_off_and_its_adjusted_saturday_is_worked():
    calendar = WorkingCalendar({})
    assert not any(calendar.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert calendar.is_working_day(date(2026, 10, 10))  # Saturday, 调休
    assert calendar.is_working_day(date(2026, 9, 20))  # Sunday, 调休
    assert not calendar.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_adding_working_days_skips_the_holiday_and_counts_the_adjusted_saturday():
    calendar = WorkingCalendar({})
    # From Wednesday 30 September: 8, 9, 10 (Saturday, worked), 12 October.
    assert calendar.add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4
    assert calendar.add_working_days(date(2026, 10, 12), 0) == date(2026, 10, 12)


def test_a_year_beyond_the_package_falls_back_to_weekdays():
    calendar = WorkingCalendar({})
    assert calendar.add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)  # Fri → Mon


@pytest.mark.django_db
def test_the_office_table_covers_later_years_and_overrides_the_package():
    CalendarDay.objects.create(date=date(2031, 1, 1), name="元旦")
    CalendarDay.objects.create(date=date(2031, 1, 4), is_working_day=True, name="调休")
    CalendarDay.objects.create(date=date(2026, 10, 9), is_working_day=False, name="补假")

    assert add_working_days(date(2030, 12, 31), 3) == date(2031, 1, 4)
    assert working_days_between(date(2030, 12, 31), date(2031, 1, 6)) == 4
    assert working_days_between(date(2026, 10, 7), date(2026, 10, 10)) == 2  # 8 and 10
