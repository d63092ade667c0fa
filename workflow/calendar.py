"""Working-day arithmetic under the legal counting rules.

* 民法典 第二百零一条 / 民事诉讼法 第八十五条: the start day is not counted.
* 行政处罚法 第八十五条, 行政强制法 第六十九条: "N 日" within those laws means working days,
  excluding statutory holidays; 调休 make-up weekend days are working days and count.
* 民法典 第二百零三条: a period whose last day is a statutory holiday ends on the next working day;
  the last day ends at 24:00.

Data: the `holidays` package's China calendar (with 调休 `weekend_workdays`) for the years the State
Council has published, overridden by `CalendarOverride` rows an administrator enters the day a
notice appears. A year without a confirmed schedule (`CalendarYear.confirmed`) still computes, from
the statutory holidays only, but every date that depends on it is *provisional*.
Business code calls this module, never `holidays` directly.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Every computed date stays within this distance of its start: a bound against runaway loops.
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    provisional: bool


class _CalendarData:
    """Process-wide cache of overrides and confirmed years; `invalidate()` after edits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._overrides: dict[dt.date, bool] | None = None
        self._confirmed: frozenset[int] | None = None

    def invalidate(self) -> None:
        with self._lock:
            self._overrides = None
            self._confirmed = None

    def overrides(self) -> dict[dt.date, bool]:
        if self._overrides is None:
            from workflow.models.deadline import CalendarOverride

            loaded = dict(CalendarOverride.objects.values_list("date", "is_workday"))
            with self._lock:
                self._overrides = loaded
        return self._overrides

    def confirmed_years(self) -> frozenset[int]:
        if self._confirmed is None:
            from workflow.models.deadline import CalendarYear

            rows = dict(CalendarYear.objects.values_list("year", "confirmed"))
            first, last = settings.ECOLOOP_CALENDAR_CONFIRMED_YEARS
            packaged = {y for y in range(first, last + 1) if rows.get(y, True)}
            confirmed = packaged | {year for year, ok in rows.items() if ok}
            with self._lock:
                self._confirmed = frozenset(confirmed)
        return self._confirmed


data = _CalendarData()


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def _packaged_is_workday(day: dt.date) -> bool:
    calendar = _china(day.year)
    return bool(calendar.is_working_day(day))


def is_workday(day: dt.date) -> bool:
    override = data.overrides().get(day)
    if override is not None:
        return override
    return _packaged_is_workday(day)


def is_confirmed(year: int) -> bool:
    return year in data.confirmed_years()


def _provisional(start: dt.date, end: dt.date) -> bool:
    low, high = min(start, end), max(start, end)
    return any(not is_confirmed(year) for year in range(low.year, high.year + 1))


def add_workdays(start: dt.date, n: int) -> DueDate:
    """The n-th working day after `start` (start excluded); negative n counts backwards."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if abs((day - start).days) > MAX_SPAN_DAYS:
            raise ValueError("working-day period too long")
        if is_workday(day):
            remaining -= 1
    return DueDate(day, _provisional(start, day))


def next_workday_on_or_after(day: dt.date) -> dt.date:
    start = day
    while not is_workday(day):
        day += dt.timedelta(days=1)
        if (day - start).days > MAX_SPAN_DAYS:
            raise ValueError("no working day found")
    return day


def add_days(start: dt.date, n: int) -> DueDate:
    """A calendar-day period: start excluded; a last day that is not a working day rolls forward.

    民法典 第二百零三条 speaks of 法定休假日, which includes the weekly rest days.
    """
    if n < 0:
        raise ValueError("calendar-day periods count forwards")
    raw = start + dt.timedelta(days=n)
    end = next_workday_on_or_after(raw)
    return DueDate(end, _provisional(start, end))


def add_period(start: dt.date, n: int, clock: str) -> DueDate:
    if clock == "workdays":
        return add_workdays(start, n)
    if clock == "days":
        return add_days(start, n)
    raise ValueError(f"unknown clock {clock!r}")


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of a day in Asia/Shanghai, as the first instant of the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
