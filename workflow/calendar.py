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

Speed: each process holds an immutable `Snapshot` of the overrides and confirmed years, and per
year a bitmap and the sorted list of working days built from it, so counting N working days is a
binary search, never a query per day. The snapshot is dropped by `data.invalidate()` (the admin
calls it) and, for edits made by other processes, re-read every `ECOLOOP_CALENDAR_RECHECK_SECONDS`
(two small queries); the per-year tables are rebuilt only when the data actually changed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Every computed date stays within this distance of its start: a bound against runaway counting
# (a year of overrides that are all days off would otherwise never end).
MAX_SPAN_DAYS = 3660

#: How long a process trusts its snapshot before re-reading the two calendar tables.
DEFAULT_RECHECK_SECONDS = 5.0


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    provisional: bool


class _Year(NamedTuple):
    first: int  # ordinal of 1 January
    flags: bytes  # flags[ordinal - first] == 1 on a working day
    workdays: tuple[int, ...]  # ordinals of the working days, ascending


@lru_cache(maxsize=256)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


class Snapshot:
    """The calendar data one computation reads; immutable, so a count never sees half an edit."""

    def __init__(self, overrides: Mapping[dt.date, bool], confirmed: frozenset[int]) -> None:
        self.overrides = dict(overrides)
        self.confirmed = confirmed
        self._years: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            # Built at most a few times per process per year; a duplicate build by a second thread
            # yields the same table, so no lock is needed.
            table = self._years[year] = self._build(year)
        return table

    def _build(self, year: int) -> _Year:
        china = _china(year)
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        flags = bytearray()
        for ordinal in range(first, last + 1):
            day = dt.date.fromordinal(ordinal)
            override = self.overrides.get(day)
            # CalendarOverride always wins over the packaged data.
            flags.append(override if override is not None else bool(china.is_working_day(day)))
        workdays = tuple(o for o, f in zip(range(first, last + 1), flags, strict=True) if f)
        return _Year(first, bytes(flags), workdays)

    def is_workday(self, day: dt.date) -> bool:
        table = self.year(day.year)
        return bool(table.flags[day.toordinal() - table.first])

    def is_provisional_range(self, start: dt.date, end: dt.date) -> bool:
        low, high = min(start.year, end.year), max(start.year, end.year)
        return any(year not in self.confirmed for year in range(low, high + 1))


class CalendarData:
    """Process-wide holder of the current `Snapshot`; `invalidate()` after edits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._pinned = False

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
            self._pinned = False

    def use_packaged_data(self) -> None:
        """Count from the packaged schedule alone and never read the tables: for a command run
        before the database exists (`manage.py duedate` on a fresh clone)."""
        with self._lock:
            self._snapshot = Snapshot({}, _confirmed_years({}))
            self._pinned = True

    def snapshot(self) -> Snapshot:
        current = self._snapshot
        recheck = float(
            getattr(settings, "ECOLOOP_CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS)
        )
        if current is not None and (self._pinned or time.monotonic() - self._checked_at < recheck):
            return current
        overrides, confirmed = self._load()
        with self._lock:
            current = self._snapshot
            if current is None or (current.overrides, current.confirmed) != (overrides, confirmed):
                current = self._snapshot = Snapshot(overrides, confirmed)
            self._checked_at = time.monotonic()
            return current

    def overrides(self) -> dict[dt.date, bool]:
        return self.snapshot().overrides

    def confirmed_years(self) -> frozenset[int]:
        return self.snapshot().confirmed

    @staticmethod
    def _load() -> tuple[dict[dt.date, bool], frozenset[int]]:
        from workflow.models.deadline import CalendarOverride, CalendarYear

        overrides = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        rows = dict(CalendarYear.objects.values_list("year", "confirmed"))
        return overrides, _confirmed_years(rows)


def _confirmed_years(rows: Mapping[int, bool]) -> frozenset[int]:
    """The years whose schedule ships with the package count as confirmed unless a row says
    otherwise; any other year needs a confirmed row."""
    first, last = settings.ECOLOOP_CALENDAR_CONFIRMED_YEARS
    packaged = {year for year in range(first, last + 1) if rows.get(year, True)}
    return frozenset(packaged | {year for year, ok in rows.items() if ok})


data = CalendarData()


def is_workday(day: dt.date) -> bool:
    return data.snapshot().is_workday(day)


def is_confirmed(year: int) -> bool:
    return year in data.snapshot().confirmed


def is_provisional_range(start: dt.date, end: dt.date) -> bool:
    """Whether `start`..`end` touches a year whose 调休 schedule is not confirmed."""
    return data.snapshot().is_provisional_range(start, end)


def makeup_workdays(year: int) -> list[dt.date]:
    """The 调休 make-up working days (Saturdays and Sundays worked) the data knows for a year."""
    table = data.snapshot().year(year)
    days = (dt.date.fromordinal(o) for o in table.workdays)
    return [day for day in days if day.weekday() >= 5]


def _check_span(start: dt.date, ordinal: int) -> None:
    if abs(ordinal - start.toordinal()) > MAX_SPAN_DAYS:
        raise ValueError(f"period from {start:%Y-%m-%d} runs past {MAX_SPAN_DAYS} days")


def add_workdays(start: dt.date, n: int) -> DueDate:
    """The n-th working day after `start` (start excluded); negative n counts backwards.

    n = 0 is `start` itself, whether or not it is a working day.
    """
    snapshot = data.snapshot()
    if n == 0:
        return DueDate(start, snapshot.is_provisional_range(start, start))
    year = start.year
    table = snapshot.year(year)
    if n > 0:
        # Index of the n-th working day strictly after start, in this year's list or beyond.
        index = bisect_right(table.workdays, start.toordinal()) + n - 1
        while index >= len(table.workdays):
            index -= len(table.workdays)
            year += 1
            _check_span(start, dt.date(year, 1, 1).toordinal())
            table = snapshot.year(year)
    else:
        index = bisect_left(table.workdays, start.toordinal()) + n
        while index < 0:
            year -= 1
            _check_span(start, dt.date(year, 12, 31).toordinal())
            table = snapshot.year(year)
            index += len(table.workdays)
    ordinal = table.workdays[index]
    _check_span(start, ordinal)
    day = dt.date.fromordinal(ordinal)
    return DueDate(day, snapshot.is_provisional_range(start, day))


def _next_workday_on_or_after(snapshot: Snapshot, day: dt.date) -> dt.date:
    year = day.year
    table = snapshot.year(year)
    index = bisect_left(table.workdays, day.toordinal())
    while index >= len(table.workdays):
        year += 1
        _check_span(day, dt.date(year, 1, 1).toordinal())
        table = snapshot.year(year)
        index = 0
    return dt.date.fromordinal(table.workdays[index])


def next_workday_on_or_after(day: dt.date) -> dt.date:
    return _next_workday_on_or_after(data.snapshot(), day)


def add_days(start: dt.date, n: int) -> DueDate:
    """A calendar-day period: start excluded; a last day that is not a working day rolls forward.

    民法典 第二百零三条 speaks of 法定休假日, which includes the weekly rest days; a 调休 make-up
    Saturday is a working day, so a period may end on one.
    """
    if n < 0:
        raise ValueError("calendar-day periods count forwards")
    snapshot = data.snapshot()
    end = _next_workday_on_or_after(snapshot, start + dt.timedelta(days=n))
    return DueDate(end, snapshot.is_provisional_range(start, end))


def add_period(start: dt.date, n: int, clock: str) -> DueDate:
    if clock == "workdays":
        return add_workdays(start, n)
    if clock == "days":
        return add_days(start, n)
    raise ValueError(f"unknown clock {clock!r}")


def local_date(moment: dt.datetime) -> dt.date:
    """The Beijing date of an instant. A naive datetime is refused: its date would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime")
    return moment.astimezone(SHANGHAI).date()


def last_day(moment: dt.datetime) -> dt.date:
    """The day a limit ending at `moment` falls on: 24:00 (the next day's first instant) is the
    day before's end, 18:30 is its own day's."""
    return local_date(moment - dt.timedelta(microseconds=1))


def limit_text(moment: dt.datetime) -> str:
    """A limit as people say it: "2026-12-09 24:00" for one that ends with the day, the minute
    for an hour-precise one ("2026-12-09 18:30")."""
    local = moment.astimezone(SHANGHAI)
    if local.time() == dt.time.min:
        return f"{last_day(moment):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of a day in Asia/Shanghai, as the first instant of the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
