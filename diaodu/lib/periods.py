"""Reporting periods: ISO weeks and calendar months. No Django here."""

from dataclasses import dataclass
from datetime import date, timedelta

WEEK = "week"
MONTH = "month"


@dataclass(frozen=True, order=True)
class Period:
    """A week (starting on Monday) or a calendar month, identified by its first day."""

    kind: str
    start: date

    def __post_init__(self):
        if self.kind == WEEK and self.start.weekday() != 0:
            raise ValueError(f"a week starts on a Monday, not {self.start}")
        if self.kind == MONTH and self.start.day != 1:
            raise ValueError(f"a month starts on its first day, not {self.start}")
        if self.kind not in (WEEK, MONTH):
            raise ValueError(f"unknown period kind {self.kind!r}")

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind == WEEK:
            return cls(WEEK, day - timedelta(days=day.weekday()))
        return cls(kind, day.replace(day=1))

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.kind == WEEK:
            return self.start + timedelta(days=6)
        return self.next().start - timedelta(days=1)

    def next(self) -> "Period":
        if self.kind == WEEK:
            return Period(WEEK, self.start + timedelta(days=7))
        year, month = divmod(self.start.month, 12)
        return Period(MONTH, date(self.start.year + year, month + 1, 1))

    def previous(self) -> "Period":
        if self.kind == WEEK:
            return Period(WEEK, self.start - timedelta(days=7))
        return Period.containing(MONTH, self.start - timedelta(days=1))

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _ = self.start.isocalendar()
        return year, week
