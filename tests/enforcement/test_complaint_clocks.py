"""The statutory clocks of a complaint (reference/domain.md §1), computed on the holiday calendar.

Each period is checked twice: against `workflow.calendar` and against the date a clerk would
count by hand with the State Council's 2026 holiday notice (国庆、中秋 2026-10-01 – 10-07, make-up
days 09-20 and 10-10; 端午 06-19).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings

from enforcement.complaints.services import close_unrated, reporter_message
from enforcement.models import Complaint, ComplaintState, Rating
from tests.factories import (
    MONDAY,
    TZ,
    accept_complaint,
    assigned_complaint,
    deliver_all,
    extend,
    file_complaint,
    later,
    reload,
    reply_to_complaint,
)
from workflow import calendar, sms
from workflow.escalation import fire_due_deadlines
from workflow.models import Deadline, Escalation
from workflow.models.escalation import Rung
from workflow.transitions import (
    InvalidTransition,
    TransitionConflict,
    TransitionDenied,
    transition_case,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date, clock: str = "09:00", seconds: int = 0) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute, seconds), tzinfo=TZ)


def deadline(case: Any, kind: str, status: str = "pending") -> Deadline:
    return Deadline.objects.get(case=case, kind=kind, status=status)


#: 受理 at MONDAY 09:00, then 交办 … 签发答复 a day apart at 10:00: replied on 06-06.
REPLY_AT = [MONDAY, *(later(days=day, hours=1) for day in range(6))]


def to_reply(complaint: Any, people: dict[str, Any]) -> Complaint:
    result: Complaint = reply_to_complaint(complaint, **people, at=REPLY_AT, period=5)
    return result


# --- 受理告知: 15 days from receipt -------------------------------------------------------------


def test_an_acceptance_period_ending_in_the_national_day_holiday_ends_after_it(
    district: Any,
) -> None:
    received = at(dt.date(2026, 9, 22), "10:00")
    complaint = file_complaint(jurisdiction=district, now=received)

    notice = deadline(complaint, "accept_notice")
    # Day 15 (start day not counted) is 10-07, the last day of the holiday: the period ends on
    # the next working day.
    naive_end = dt.date(2026, 9, 22) + dt.timedelta(days=15)
    assert naive_end == dt.date(2026, 10, 7) and not calendar.is_workday(naive_end)
    assert notice.due_date == calendar.add_days(dt.date(2026, 9, 22), 15).date
    assert notice.due_date == dt.date(2026, 10, 8)
    assert notice.due_at == at(dt.date(2026, 10, 9), "00:00")
    assert notice.for_state == ComplaintState.REGISTERED and notice.is_main
    assert "15日" in notice.basis


def test_an_acceptance_period_may_end_on_a_make_up_saturday(district: Any) -> None:
    # Received on 中秋节 (a holiday): counting starts the next day; day 15 is 10-10, a Saturday
    # worked in exchange for the holiday, so nothing rolls.
    complaint = file_complaint(jurisdiction=district, now=at(dt.date(2026, 9, 25), "20:00"))
    assert deadline(complaint, "accept_notice").due_date == dt.date(2026, 10, 10)
    assert calendar.is_workday(dt.date(2026, 10, 10))


def test_the_day_of_receipt_is_the_beijing_date(district: Any) -> None:
    # 2026-09-15 23:30 and 2026-09-16 00:10 Beijing are the same UTC date (09-15); the period
    # counts from the Beijing date, so the second lands in the holiday and rolls.
    before = file_complaint(jurisdiction=district, now=at(dt.date(2026, 9, 15), "23:30"))
    after = file_complaint(jurisdiction=district, now=at(dt.date(2026, 9, 16), "00:10"))
    assert before.received_at.astimezone(dt.UTC).date() == dt.date(2026, 9, 15)
    assert after.received_at.astimezone(dt.UTC).date() == dt.date(2026, 9, 15)
    assert deadline(before, "accept_notice").due_date == dt.date(2026, 9, 30)
    assert deadline(after, "accept_notice").due_date == dt.date(2026, 10, 8)


def test_accepting_meets_the_acceptance_period(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district)
    accept_complaint(complaint, intake=intake, now=later(days=3))
    assert deadline(complaint, "accept_notice", "met").closed_at == later(days=3)
    assert not Deadline.objects.filter(case=complaint, kind="accept_notice", status="pending")


def test_an_unaccepted_complaint_is_chased_the_day_after_its_15_days(
    district: Any, intake: Any
) -> None:
    complaint = file_complaint(jurisdiction=district)  # 2026-06-01, period ends 06-16
    assert deadline(complaint, "accept_notice").due_date == dt.date(2026, 6, 16)

    fire_due_deadlines(at(dt.date(2026, 6, 16), "23:59", 59))
    rungs = set(Escalation.objects.filter(case=complaint).values_list("rung", flat=True))
    assert Rung.CHASE not in rungs and rungs <= {Rung.REMINDER, Rung.YELLOW, Rung.ORANGE}

    fire_due_deadlines(at(dt.date(2026, 6, 17), "00:00"))
    chase = Escalation.objects.get(case=complaint, rung=Rung.CHASE)
    assert chase.deadline.kind == "accept_notice"
    complaint = reload(complaint)
    assert complaint.escalation_level == Rung.CHASE
    assert complaint.events.filter(transition="escalate", payload__rung=int(Rung.CHASE)).exists()
    # A second sweep fires nothing twice.
    assert fire_due_deadlines(at(dt.date(2026, 6, 17), "00:05")) == 0

    # Accepting late still ends the clock (late, not met) and the ladder stops.
    accept_complaint(complaint, intake=intake, now=at(dt.date(2026, 6, 18), "10:00"))
    assert deadline(complaint, "accept_notice", "late").due_date == dt.date(2026, 6, 16)
    on_notice = Escalation.objects.filter(case=complaint, deadline__kind="accept_notice")
    fired = on_notice.count()
    fire_due_deadlines(at(dt.date(2026, 7, 30), "10:00"))
    assert on_notice.count() == fired


# --- 办结期限: 60 days from acceptance (petition), a setting (report) ---------------------------


def test_a_petition_is_due_60_days_after_acceptance_rolled_to_a_working_day(
    district: Any, intake: Any
) -> None:
    complaint = file_complaint(jurisdiction=district, now=at(dt.date(2026, 9, 18), "10:00"))
    accept_complaint(complaint, intake=intake, track="petition", now=at(dt.date(2026, 9, 22)))
    complaint = reload(complaint)
    # 09-22 + 60 days = 11-21, a Saturday → Monday 11-23.
    assert calendar.add_days(dt.date(2026, 9, 22), 60).date == dt.date(2026, 11, 23)
    assert complaint.handle_due == dt.date(2026, 11, 23)
    assert complaint.accepted_at == at(dt.date(2026, 9, 22))
    handle = deadline(complaint, "handle")
    assert handle.due_date == dt.date(2026, 11, 23)
    assert "第三十四条" in handle.basis


def test_the_report_track_period_is_a_setting(district: Any, intake: Any, settings: Any) -> None:
    assert django_settings.ECOLOOP_REPORT_HANDLING_DAYS == 60
    default = file_complaint(jurisdiction=district)
    accept_complaint(default, intake=intake, track="report", now=later(hours=1))
    assert reload(default).handle_due == dt.date(2026, 7, 31)

    settings.ECOLOOP_REPORT_HANDLING_DAYS = 30
    shorter = file_complaint(jurisdiction=district, target_name="另一家企业")
    accept_complaint(shorter, intake=intake, track="report", now=later(hours=1))
    shorter = reload(shorter)
    assert shorter.handle_due == calendar.add_days(dt.date(2026, 6, 1), 30).date
    assert shorter.handle_due == dt.date(2026, 7, 1)
    handle = deadline(shorter, "handle")
    assert handle.due_date == dt.date(2026, 7, 1) and "30日" in handle.basis
    # A petition is not touched by the report setting.
    petition = file_complaint(jurisdiction=district, target_name="第三家企业")
    accept_complaint(petition, intake=intake, track="petition", now=later(hours=1))
    assert reload(petition).handle_due == dt.date(2026, 7, 31)


# --- 异议: 5 working days for the receiving unit ------------------------------------------------


def test_the_receiving_unit_may_object_within_5_working_days(
    district: Any, town: Any, intake: Any, dispatcher: Any, handler: Any
) -> None:
    in_time, too_late = (
        assigned_complaint(
            jurisdiction=district, intake=intake, dispatcher=dispatcher, unit=town, target_name=name
        )
        for name in ("甲企业", "乙企业")
    )
    window = deadline(in_time, "objection")
    # Assigned Monday 06-01: five working days are 06-02 … 06-05 and 06-08.
    assert window.due_date == calendar.add_workdays(dt.date(2026, 6, 1), 5).date
    assert window.due_date == dt.date(2026, 6, 8)
    assert not window.is_main

    transition_case(
        in_time,
        "object",
        actor=handler,
        note="不属于本镇职责",
        now=at(dt.date(2026, 6, 8), "23:59", 59),
    )
    assert reload(in_time).state == "objected"
    with pytest.raises(InvalidTransition):
        transition_case(
            too_late,
            "object",
            actor=handler,
            note="不属于本镇职责",
            now=at(dt.date(2026, 6, 9), "00:00", 1),
        )
    assert reload(too_late).state == "assigned"


# --- 延期: by the bureau head, ≤ 30 days, once --------------------------------------------------


def test_an_extension_counts_from_the_statutory_date_and_the_reporter_reads_the_new_one(
    district: Any, intake: Any, leader: Any, supervisor: Any
) -> None:
    complaint = file_complaint(jurisdiction=district, phone="13800000021", name="测试者延期")
    accept_complaint(complaint, intake=intake, now=later(hours=1))  # due 2026-07-31 (Fri)
    with pytest.raises(TransitionDenied):
        extend(complaint, by=supervisor, days=10, now=later(days=30))
    extend(complaint, by=leader, days=29, now=later(days=50))
    complaint = reload(complaint)
    # Counted from 07-31, not from the day granted: 08-29 is a Saturday → 08-31.
    assert complaint.handle_due == calendar.add_days(dt.date(2026, 7, 31), 29).date
    assert complaint.handle_due == dt.date(2026, 8, 31)
    assert complaint.handle_extended_days == 29
    old = deadline(complaint, "handle", "superseded")
    assert old.due_date == dt.date(2026, 7, 31) and old.closed_at == later(days=50)
    assert deadline(complaint, "handle").due_date == dt.date(2026, 8, 31)
    assert complaint.events.filter(transition="extend_handling", actor=leader).exists()

    deliver_all(later(days=50, hours=2))
    extended = [m for m in sms.outbox if m.params["status"] == "extended"]
    assert len(extended) == 1
    assert "2026-08-31" in reporter_message(complaint, "extended")


def test_no_extension_before_acceptance_or_after_the_reply(
    district: Any, leader: Any, people: dict[str, Any]
) -> None:
    registered = file_complaint(jurisdiction=district)
    with pytest.raises(InvalidTransition):
        extend(registered, by=leader, days=10, note="x", now=later(days=1))
    replied = to_reply(file_complaint(jurisdiction=district, target_name="另一企业"), people)
    assert replied.state == ComplaintState.REPLIED
    # The reply has just taken the case out of the states an extension leaves from: a conflict.
    with pytest.raises(TransitionConflict):
        extend(replied, by=leader, days=10, note="x", now=later(days=7))


# --- 评价: the rating window, then closed unrated -----------------------------------------------


def test_an_unrated_reply_closes_the_instant_after_24_00_of_the_last_day(
    district: Any, people: dict[str, Any]
) -> None:
    complaint = to_reply(file_complaint(jurisdiction=district), people)
    replied = calendar.local_date(complaint.replied_at)
    assert replied == dt.date(2026, 6, 6)  # signed Saturday 06-06 (MONDAY + 5 days)
    window_days = django_settings.ECOLOOP_RATING_WINDOW_DAYS
    last_day = calendar.add_days(replied, window_days).date
    # 06-06 + 15 = 06-21, a Sunday → Monday 06-22.
    assert last_day == dt.date(2026, 6, 22)
    rating = deadline(complaint, "rating")
    assert rating.due_date == last_day and not rating.is_main
    assert "2026-06-22" in reporter_message(complaint, "replied")

    assert close_unrated(at(last_day, "23:59", 59)) == 0
    assert close_unrated(at(last_day + dt.timedelta(days=1), "00:00")) == 0  # 24:00 itself
    with pytest.raises(InvalidTransition):
        transition_case(
            reload(complaint),
            "close_unrated",
            actor=None,
            now=at(last_day, "23:59", 59),
        )
    assert close_unrated(at(last_day + dt.timedelta(days=1), "00:00", 1)) == 1
    complaint = reload(complaint)
    assert complaint.state == "closed" and complaint.rating == Rating.NONE
    assert complaint.closed_at == at(last_day + dt.timedelta(days=1), "00:00", 1)
    assert deadline(complaint, "rating", "late").due_date == last_day


def test_a_rating_inside_the_window_stops_the_close(district: Any, people: dict[str, Any]) -> None:
    complaint = to_reply(file_complaint(jurisdiction=district), people)
    transition_case(
        complaint,
        "rate",
        actor=None,
        payload={"rating": "basically"},
        now=at(dt.date(2026, 6, 22), "23:00"),
    )
    assert close_unrated(at(dt.date(2026, 6, 30))) == 0
    assert reload(complaint).rating == Rating.BASICALLY


# --- 复查: a 30-day request window, a 30-day decision period ------------------------------------


def test_the_review_request_window_ends_at_24_00_of_day_30(
    district: Any, people: dict[str, Any]
) -> None:
    first = to_reply(file_complaint(jurisdiction=district, target_name="甲"), people)
    second = to_reply(file_complaint(jurisdiction=district, target_name="乙"), people)
    # Replied 06-06; 06-06 + 30 = 07-06, a Monday.
    assert first.review_request_due_at() == at(dt.date(2026, 7, 7), "00:00")

    transition_case(
        first,
        "request_review",
        actor=None,
        note="不服处理意见",
        now=at(dt.date(2026, 7, 6), "23:59", 59),
    )
    assert reload(first).state == ComplaintState.REVIEW_REQUESTED
    with pytest.raises(InvalidTransition):
        transition_case(
            second,
            "request_review",
            actor=None,
            note="不服处理意见",
            now=at(dt.date(2026, 7, 7), "00:00", 1),
        )


def test_the_review_is_due_30_days_after_the_request(
    district: Any, people: dict[str, Any], leader: Any
) -> None:
    complaint = to_reply(file_complaint(jurisdiction=district), people)
    transition_case(
        complaint,
        "request_review",
        actor=None,
        note="请求复查",
        now=at(dt.date(2026, 6, 11), "20:00"),
    )
    review = deadline(reload(complaint), "review")
    # 06-11 + 30 = 07-11, a Saturday → Monday 07-13.
    assert review.due_date == calendar.add_days(dt.date(2026, 6, 11), 30).date
    assert review.due_date == dt.date(2026, 7, 13)
    assert review.is_main and "第三十五条" in review.basis

    transition_case(
        reload(complaint),
        "uphold_on_review",
        actor=leader,
        note="原处理意见正确",
        now=at(dt.date(2026, 7, 1), "10:00"),
    )
    complaint = reload(complaint)
    assert complaint.state == "closed"
    assert complaint.review_decided_at == at(dt.date(2026, 7, 1), "10:00")
    assert deadline(complaint, "review", "met").closed_at == at(dt.date(2026, 7, 1), "10:00")
