"""Working days (工作日) in mainland China: weekends and public holidays off, adjusted
working weekends (调休) on.

The ``chinese-calendar`` package knows the State Council's schedule for the years it has
been released for; the office's own table (``core.CalendarDay``) covers later years and
overrides the package where they differ. Beyond both, Monday to Friday are working days.
"""

from datetime import date, timedelta

import chinese_calendar


class WorkingCalendar:
    """The office's table read once, so counting many approvals costs one query."""

    def __init__(self, office_days: dict[date, bool]):
        self.office_days = office_days

    @classmethod
    def load(cls) -> "WorkingCalendar":
        from diaodu.core.models import CalendarDay

        return cls(dict(CalendarDay.objects.values_list("date", "is_working_day")))

    def is_working_day(self, day: date) -> bool:
        if day in self.office_days:
            return self.office_days[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package does not cover yet
            return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The day on which the ``n``-th working day after ``start`` falls."""
        day = start
        while n > 0:
            day += timedelta(days=1)
            n -= self.is_working_day(day)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (negative if ``b`` is earlier)."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def add_working_days(start: date, n: int) -> date:
    return WorkingCalendar.load().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return WorkingCalendar.load().working_days_between(a, b)
