"""`manage.py duedate` and `manage.py confirm_calendar_year`, as an administrator uses them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TZ, open_item
from workflow.models import CalendarOverride, CalendarYear, Deadline
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db


def duedate(*args: str) -> str:
    out = io.StringIO()
    call_command("duedate", *args, stdout=out)
    return out.getvalue()


def confirm(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("confirm_calendar_year", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("start", "n", "clock", "printed"),
    [
        ("2026-09-28", "5", "workdays", "2026-10-10\n"),
        ("2026-09-28", "15", "workdays", "2026-10-23\n"),
        ("2026-08-02", "60", "days", "2026-10-08\n"),
        ("2026-01-17", "30", "days", "2026-02-24\n"),
        ("2026-10-12", "-1", "workdays", "2026-10-10\n"),
        ("2026-09-28", "5", "工作日", "2026-10-10\n"),
    ],
)
def test_duedate_prints_the_known_answers(start, n, clock, printed):
    # given the design's worked examples
    # when an administrator asks for each
    # then the date alone is printed
    assert duedate(start, n, clock) == printed


def test_duedate_marks_a_date_in_an_unconfirmed_year_provisional():
    # given 2027 is not confirmed
    # when a period from December 2026 runs into it
    # then the date is followed by "provisional"
    assert duedate("2026-12-20", "20", "workdays") == "2027-01-18 provisional\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-13-01", "5", "workdays"), "YYYY-MM-DD"),
        (("2026-09-28", "five", "workdays"), "N must be a whole number"),
        (("2026-09-28", "5", "weeks"), "workdays or days"),
        (("2026-09-28", "-5", "days"), "cannot be negative"),
        (("2026-09-28", "9000", "workdays"), "cannot compute"),
    ],
)
def test_duedate_refuses_bad_input_with_a_clear_message(args, message):
    # when the input is malformed
    with pytest.raises(CommandError) as refused:
        duedate(*args)
    # then the error says what is wrong, in Chinese and English
    assert message in str(refused.value)
    assert " / " in str(refused.value)


def test_confirming_a_year_recomputes_and_reports_the_provisional_deadlines(
    dispatcher, handler, district, town
):
    # given an item rectifying until January 2027 (provisional)
    december = dt.datetime(2026, 12, 14, 9, 0, tzinfo=TZ)
    case = open_item(actor=dispatcher, jurisdiction=district, now=december)
    payload = {"responsible_unit": town.pk, "rectify_period": 20}
    transition_case(case, "assign", actor=dispatcher, payload=payload, now=december)
    case.refresh_from_db()
    transition_case(case, "sign", actor=handler, now=december)
    # and the 2027 notice entered
    CalendarOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    # when the administrator confirms 2027
    out, err = confirm("2027", "--source", "国办发明电〔2026〕12号")
    # then one deadline was recomputed, the year carries its source, and no warning was given
    assert out.startswith("2027 年节假日安排已确认，重算暂定期限 1 条 / ")
    assert out.endswith("2027 confirmed; 1 provisional deadlines recomputed\n")
    assert err == ""
    assert not Deadline.objects.pending().get(case=case).provisional
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕12号"
    assert duedate("2026-12-20", "20", "workdays") == "2027-01-18\n"


def test_confirming_a_year_with_no_make_up_days_entered_warns():
    # given nothing entered for 2028
    # when it is confirmed
    out, err = confirm("2028")
    # then it is confirmed, with a warning that no 调休 day is known
    assert "2028" in out
    assert "no make-up working days" in err
    assert CalendarYear.objects.get(year=2028).confirmed


@pytest.mark.parametrize("year", ["twenty", "1999", "3000"])
def test_confirming_a_nonsense_year_is_refused(year):
    with pytest.raises(CommandError):
        confirm(year)
    assert not CalendarYear.objects.filter(year__gte=2027).exists()
