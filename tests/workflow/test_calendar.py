"""The working calendar counts periods the way the law and the State Council's notices do."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from workflow import calendar
from workflow.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


def test_known_answers_from_the_design_hold():
    # given the 2026 schedule (国庆 10-01..07, make-up Saturday 10-10; 春节 02-15..23)
    # when the design's four worked examples are computed
    # then each lands where DESIGN.md §5 says
    assert calendar.add_workdays(D(2026, 9, 28), 5) == calendar.DueDate(D(2026, 10, 10), False)
    assert calendar.add_workdays(D(2026, 9, 28), 15) == calendar.DueDate(D(2026, 10, 23), False)
    assert calendar.add_days(D(2026, 8, 2), 60) == calendar.DueDate(D(2026, 10, 8), False)
    assert calendar.add_days(D(2026, 1, 17), 30) == calendar.DueDate(D(2026, 2, 24), False)


def test_the_start_day_is_not_counted():
    # given Monday 2026-06-01, an ordinary working day
    monday = D(2026, 6, 1)
    # when one working day or one calendar day is added
    # then the period ends on Tuesday, not on the start day
    assert calendar.add_workdays(monday, 1).date == D(2026, 6, 2)
    assert calendar.add_days(monday, 1).date == D(2026, 6, 2)


def test_a_period_starting_on_a_holiday_counts_from_the_next_working_day():
    # given 中秋 2026-09-25 (a Friday off); chinese_calendar.find_workday would say 10-10 here
    # when 5 working days are counted from it
    due = calendar.add_workdays(D(2026, 9, 25), 5)
    # then 09-28, 09-29, 09-30, 10-08, 10-09 are the five
    assert due.date == D(2026, 10, 9)


def test_make_up_saturdays_and_sundays_are_working_days():
    # given the 2026 调休 days of the State Council notice
    for day in (D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)):
        # then each is a weekend day that counts as a working day
        assert day.weekday() >= 5
        assert calendar.is_workday(day)
    assert D(2026, 10, 10) in calendar.makeup_workdays(2026)
    # and the statutory holidays and ordinary weekends are not
    assert not calendar.is_workday(D(2026, 10, 1))
    assert not calendar.is_workday(D(2026, 10, 11))


def test_a_make_up_saturday_counts_towards_working_days():
    # given Friday 2026-10-09; Saturday 10-10 is a make-up day
    # when one working day is added
    # then the period ends on the Saturday
    assert calendar.add_workdays(D(2026, 10, 9), 1).date == D(2026, 10, 10)


def test_a_calendar_day_period_ending_on_a_holiday_rolls_to_the_next_working_day():
    # given a 3-day period from 2026-09-28 whose raw end is National Day (10-01)
    # when it is counted in calendar days
    # then it ends after the holiday, on 10-08 (民法典 第二百零三条)
    assert calendar.add_days(D(2026, 9, 28), 3).date == D(2026, 10, 8)


def test_a_calendar_day_period_ending_on_a_weekend_rolls_to_monday():
    # given Wednesday 2026-06-03 + 3 days = Saturday 06-06
    # when counted in calendar days
    # then the last day is Monday 06-08
    assert calendar.add_days(D(2026, 6, 3), 3).date == D(2026, 6, 8)


def test_a_calendar_day_period_may_end_on_a_make_up_saturday():
    # given 2026-09-30 + 10 days = Saturday 10-10, a make-up working day
    # then the period ends there and does not roll on
    assert calendar.add_days(D(2026, 9, 30), 10).date == D(2026, 10, 10)


def test_negative_working_days_count_backwards_over_holidays_and_make_up_days():
    # given Monday 2026-10-12, after National Day and the make-up Saturday 10-10
    # when counting back
    # then the make-up Saturday is the first working day before, 10-09 the second,
    # and the holiday week is skipped to reach 09-30
    assert calendar.add_workdays(D(2026, 10, 12), -1).date == D(2026, 10, 10)
    assert calendar.add_workdays(D(2026, 10, 12), -2).date == D(2026, 10, 9)
    assert calendar.add_workdays(D(2026, 10, 12), -4).date == D(2026, 9, 30)


def test_counting_crosses_year_ends_in_both_directions():
    # given the last working day of 2025 and the first of 2026 (元旦 01-01..03, make-up 01-04)
    # then one working day after 2025-12-31 is Sunday 2026-01-04, and back again
    assert calendar.add_workdays(D(2025, 12, 31), 1).date == D(2026, 1, 4)
    assert calendar.add_workdays(D(2026, 1, 4), -1).date == D(2025, 12, 31)


def test_zero_working_days_is_the_start_day_itself():
    assert calendar.add_workdays(D(2026, 10, 1), 0).date == D(2026, 10, 1)


def test_a_negative_calendar_day_period_is_refused():
    with pytest.raises(ValueError):
        calendar.add_days(D(2026, 6, 1), -1)


def test_an_absurdly_long_period_is_refused_rather_than_counted_forever():
    with pytest.raises(ValueError):
        calendar.add_workdays(D(2026, 6, 1), 5000)


def test_an_unknown_clock_is_refused():
    with pytest.raises(ValueError):
        calendar.add_period(D(2026, 6, 1), 3, "weeks")


def test_a_period_crossing_into_unconfirmed_2027_is_provisional():
    # given 2027's schedule is not yet published (only 2004–2026 are confirmed)
    # when 20 working days are counted from 2026-12-20
    due = calendar.add_workdays(D(2026, 12, 20), 20)
    # then the date lands in 2027 and is marked provisional
    assert due.date.year == 2027
    assert due.provisional
    # while a period that stays inside 2026 is not
    assert not calendar.add_workdays(D(2026, 12, 1), 5).provisional
    assert calendar.add_days(D(2026, 12, 20), 20).provisional


def test_a_packaged_year_marked_unconfirmed_makes_its_dates_provisional():
    # given an administrator withdraws 2026 (e.g. a notice was corrected)
    CalendarYear.objects.filter(year=2026).update(confirmed=False)
    calendar.data.invalidate()
    # then its dates become provisional
    assert calendar.add_workdays(D(2026, 6, 1), 5).provisional


def test_a_calendar_override_wins_over_the_packaged_data():
    # given an extra day off on Tuesday 2026-06-02 and a working Saturday 2026-06-06
    CalendarOverride.objects.create(date=D(2026, 6, 2), is_workday=False, note="临时调整")
    CalendarOverride.objects.create(date=D(2026, 6, 6), is_workday=True, note="临时调休")
    calendar.data.invalidate()
    # then the calendar follows the overrides
    assert not calendar.is_workday(D(2026, 6, 2))
    assert calendar.is_workday(D(2026, 6, 6))
    assert calendar.add_workdays(D(2026, 6, 1), 1).date == D(2026, 6, 3)
    assert calendar.add_workdays(D(2026, 6, 5), 1).date == D(2026, 6, 6)


def test_entering_and_confirming_2027_makes_its_dates_final():
    # given the 2027 notice adds a make-up Saturday 2027-02-20 and the year is confirmed
    before = calendar.add_workdays(D(2027, 2, 19), 1)
    CalendarOverride.objects.create(date=D(2027, 2, 20), is_workday=True, note="春节调休")
    CalendarYear.objects.create(year=2027, confirmed=True, source="国办发明电〔2026〕")
    calendar.data.invalidate()
    # when the same period is counted again
    after = calendar.add_workdays(D(2027, 2, 19), 1)
    # then it ends on the make-up Saturday and is no longer provisional
    assert before == calendar.DueDate(D(2027, 2, 22), True)
    assert after == calendar.DueDate(D(2027, 2, 20), False)


def test_the_day_ends_at_midnight_in_beijing():
    # given a due date of 2026-10-10
    due_at = calendar.end_of_day(D(2026, 10, 10))
    # then the deadline instant is 24:00 Beijing time, 16:00 UTC the same day
    assert due_at == dt.datetime(2026, 10, 10, 16, 0, tzinfo=UTC)


def test_the_local_date_is_the_beijing_date():
    # given 17:00 UTC, already the next morning in Beijing
    moment = dt.datetime(2026, 6, 1, 17, 0, tzinfo=UTC)
    # then the counting starts from the Beijing date
    assert calendar.local_date(moment) == D(2026, 6, 2)
    with pytest.raises(ValueError):
        calendar.local_date(dt.datetime(2026, 6, 1, 17, 0))


def test_counting_a_long_period_reads_the_database_once(django_assert_num_queries):
    # given a cold cache
    calendar.data.invalidate()
    # when a long period over several years is counted, twice
    with django_assert_num_queries(2):
        calendar.add_workdays(D(2020, 1, 1), 1500)
        calendar.add_days(D(2020, 1, 1), 2000)
        calendar.is_workday(D(2024, 5, 1))
    # then only the overrides and the confirmed years were read, once


def test_an_edit_in_another_process_is_seen_after_the_recheck_interval(settings):
    # given a warm cache in this process
    settings.ECOLOOP_CALENDAR_RECHECK_SECONDS = 3600
    assert calendar.is_workday(D(2026, 6, 2))
    # when another process adds an override (this process is not told)
    CalendarOverride.objects.create(date=D(2026, 6, 2), is_workday=False)
    # then it is not seen before the recheck interval ...
    assert calendar.is_workday(D(2026, 6, 2))
    # ... and is seen once the interval has passed
    settings.ECOLOOP_CALENDAR_RECHECK_SECONDS = 0
    assert not calendar.is_workday(D(2026, 6, 2))


def test_a_recheck_that_finds_no_change_keeps_the_built_tables(settings):
    # given a warm snapshot
    settings.ECOLOOP_CALENDAR_RECHECK_SECONDS = 0
    first = calendar.data.snapshot()
    # when the tables are re-read and nothing changed
    # then the same snapshot (and its per-year tables) is kept
    assert calendar.data.snapshot() is first


def test_is_workday_agrees_with_chinese_calendar_on_every_day_2020_to_2026():
    # given two independent transcriptions of the State Council notices
    day, disagreements = D(2020, 1, 1), []
    # when every day from 2020 to 2026 is checked
    while day <= D(2026, 12, 31):
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    # then they agree on all of them
    assert disagreements == []


def _reference_add_workdays(start: dt.date, n: int) -> dt.date:
    """The rule read literally, day by day, on chinese_calendar's data."""
    step, day, left = (1 if n > 0 else -1), start, abs(n)
    while left:
        day += dt.timedelta(days=step)
        left -= chinese_calendar.is_workday(day)
    return day


@examples(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2020, 6, 1), max_value=D(2026, 6, 30)),
    n=st.integers(min_value=-100, max_value=100),
)
def test_add_workdays_matches_a_day_by_day_count(start, n):
    assert calendar.add_workdays(start, n).date == _reference_add_workdays(start, n)


@examples(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 9, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_add_days_ends_on_the_first_working_day_on_or_after_the_raw_end(start, n):
    due = calendar.add_days(start, n).date
    raw = start + dt.timedelta(days=n)
    assert due >= raw
    assert chinese_calendar.is_workday(due)
    assert all(
        not chinese_calendar.is_workday(raw + dt.timedelta(i)) for i in range((due - raw).days)
    )


@examples(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 6, 30)),
    n=st.integers(min_value=1, max_value=100),
)
def test_counting_forward_then_back_returns_to_a_working_start(start, n):
    if not calendar.is_workday(start):
        start = calendar.next_workday_on_or_after(start)
    there = calendar.add_workdays(start, n).date
    assert calendar.add_workdays(there, -n).date == start
