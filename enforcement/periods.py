"""Reporting periods: ranges of Beijing dates, both ends included (a day ends at 24:00).

Shared by the damage-compensation metrics, the dashboards and the 周排名 / 月考核 snapshots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from workflow import calendar
from workflow.models import CaseEvent


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after its first day")

    @property
    def start(self) -> dt.datetime:
        """00:00 Beijing of the first day."""
        return calendar.end_of_day(self.first) - dt.timedelta(days=1)

    @property
    def end(self) -> dt.datetime:
        """24:00 Beijing of the last day (exclusive)."""
        return calendar.end_of_day(self.last)

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def events(self, transitions: tuple[str, ...]) -> Q:
        """Cases with one of these transitions on their timeline within the period."""
        happened = CaseEvent.objects.filter(
            transition__in=transitions, created_at__gte=self.start, created_at__lt=self.end
        )
        return Q(pk__in=happened.values("case_id"))

    def by_end(self, field: str) -> Q:
        return Q(**{f"{field}__isnull": False, f"{field}__lt": self.end})

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return cls(first, following - dt.timedelta(days=1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
        return cls(first, following - dt.timedelta(days=1))

    @classmethod
    def week_of(cls, day: dt.date) -> Period:
        """The Monday-to-Sunday week that contains `day`."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (a calendar month for a month)."""
        if self.first.day == 1 and (self.last + dt.timedelta(days=1)).day == 1:
            before = self.first - dt.timedelta(days=1)
            if self.days <= 31:
                return Period.month(before.year, before.month)
        span = dt.timedelta(days=self.days)
        return Period(self.first - span, self.last - span)
