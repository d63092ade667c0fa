"""Deadlines follow the case: planned on entering a state, closed on leaving, moved on extension."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import MONDAY, TZ, open_item
from workflow import calendar
from workflow.case_types import LOOP_DEADLINES
from workflow.deadline_calendar import confirm_year, recompute_provisional
from workflow.models import CalendarOverride, Case, Deadline
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

D = dt.date
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def fresh(case: Case) -> Case:
    return type(case).objects.get(pk=case.pk)


def pending(case: Case) -> dict[str, dt.date]:
    return {d.kind: d.due_date for d in Deadline.objects.pending().filter(case=case)}


def statuses(case: Case, state: str) -> dict[str, str]:
    return {d.kind: d.status for d in Deadline.objects.filter(case=case, for_state=state)}


def expected(case: Case, entered: dt.datetime) -> dict[str, dt.date]:
    """What the case type's policy says the pending deadlines of the current state are."""
    start = calendar.local_date(entered)
    due = {}
    for policy in case.case_type.deadlines_for(case.state):
        if policy.from_field:
            due[policy.kind] = getattr(case, policy.from_field)
        else:
            due[policy.kind] = calendar.add_period(start, policy.length, policy.clock).date
    return due


def move(case: Case, name: str, actor, *, now: dt.datetime, **kwargs) -> Case:
    transition_case(case, name, actor=actor, now=now, **kwargs)
    return fresh(case)


def test_every_loop_state_plans_the_deadlines_of_its_policy(
    dispatcher, handler, verifier, supervisor, district, town, photo
):
    # given the loop's default policy, used by the supervision item
    case = open_item(actor=dispatcher, jurisdiction=district)
    assert case.case_type.deadlines == LOOP_DEADLINES
    # then each state, when entered, has exactly the deadlines its policy names
    assert pending(case) == expected(case, MONDAY) == {"dispatch": D(2026, 6, 2)}

    steps = [
        ("assign", dispatcher, {"payload": {"responsible_unit": town.pk, "rectify_period": 10}}),
        ("sign", handler, {}),
        ("report", handler, {"note": "已整改", "files": [photo]}),
        ("start_verification", verifier, {}),
        ("pass_verification", verifier, {"note": "现场核实"}),
    ]
    now = MONDAY
    for name, actor, kwargs in steps:
        now += HOUR
        case = move(case, name, actor, now=now, **kwargs)
        assert pending(case) == expected(case, now), case.state

    # and the known dates: 1 wd to sign, 5 wd to object, the 交办 date, 3 wd to approve
    case = move(case, "approve_closure", supervisor, now=now + HOUR)
    assert pending(case) == {}
    assert list(
        Deadline.objects.filter(case=case).order_by("pk").values_list("kind", "due_date")
    ) == [
        ("dispatch", D(2026, 6, 2)),
        ("sign", D(2026, 6, 2)),
        ("objection", D(2026, 6, 8)),
        ("rectify", D(2026, 6, 15)),
        ("verify_start", D(2026, 6, 8)),
        ("verify", D(2026, 6, 8)),
        ("closure", D(2026, 6, 4)),
    ]


def test_an_objection_plans_a_reroute_deadline_and_reassignment_plans_signing_again(
    dispatcher, handler, district, town
):
    # given an item assigned to the town
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    # when the town objects, then it is re-routed the next day
    case = move(case, "object", handler, note="不属于本镇职责", now=MONDAY + HOUR)
    assert pending(case) == {"reroute": D(2026, 6, 2)}
    case = move(case, "reassign", dispatcher, payload=payload, now=MONDAY + DAY)
    # then signing and objecting count again from the re-routing day
    assert pending(case) == {"sign": D(2026, 6, 3), "objection": D(2026, 6, 9)}


def test_leaving_a_state_in_time_marks_its_deadlines_met(dispatcher, handler, district, town):
    # given an item assigned on Monday (sign by Tuesday 24:00)
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    # when the handler signs on Tuesday at 23:59
    move(case, "sign", handler, now=dt.datetime(2026, 6, 2, 23, 59, tzinfo=TZ))
    # then signing (and the objection window it ends) were met
    assert statuses(case, "pending_assignment") == {"dispatch": "met"}
    assert statuses(case, "assigned") == {"sign": "met", "objection": "met"}


def test_leaving_a_state_after_midnight_of_the_due_date_marks_it_late(
    dispatcher, handler, district, town
):
    # given an item assigned on Monday (sign by Tuesday 24:00)
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    # when the handler signs on Wednesday just after midnight
    move(case, "sign", handler, now=dt.datetime(2026, 6, 3, 0, 1, tzinfo=TZ))
    # then signing was late, while the 5-day objection window was still open
    assert statuses(case, "assigned") == {"sign": "late", "objection": "met"}


def test_the_rectify_deadline_is_the_date_set_at_assignment(dispatcher, handler, district, town):
    # given a dispatcher who names the date itself, a Friday
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_due": "2026-07-10"}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    # when the town signs two days later
    case = move(case, "sign", handler, now=MONDAY + 2 * DAY)
    # then the rectification deadline is that date, not a period counted from signing
    rectify = Deadline.objects.pending().get(case=case, kind="rectify")
    assert rectify.due_date == case.rectify_due == D(2026, 7, 10)
    assert rectify.due_at == calendar.end_of_day(D(2026, 7, 10))


def test_the_case_carries_its_main_deadline_and_warning(dispatcher, handler, district, town):
    # given an item assigned with 10 working days (due 2026-06-15)
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    # while assigned, the case shows the signing deadline, not the secondary objection window
    assert case.due_at == calendar.end_of_day(D(2026, 6, 2))
    # when the town signs
    case = move(case, "sign", handler, now=MONDAY + HOUR)
    # then the case shows the rectification deadline, amber from the start of D − 3 wd
    assert case.due_at == dt.datetime(2026, 6, 16, 0, 0, tzinfo=TZ)
    assert case.warn_at == dt.datetime(2026, 6, 10, 0, 0, tzinfo=TZ)
    assert case.due_provisional is False
    main = Deadline.objects.pending().get(case=case, is_main=True)
    assert (case.due_at, case.warn_at) == (main.due_at, main.warn_at)


def test_an_approved_extension_supersedes_the_deadline_and_keeps_its_start(
    dispatcher, handler, supervisor, district, town
):
    # given a unit rectifying against 2026-06-15
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    case = move(case, "sign", handler, now=MONDAY + HOUR)
    original = Deadline.objects.pending().get(case=case)
    # when it asks for 5 more working days and a supervisor grants 3
    case = move(
        case, "request_extension", handler, note="需采购设备", payload={"days": 5}, now=MONDAY + DAY
    )
    assert pending(case) == {"rectify": D(2026, 6, 15)}
    case = move(case, "approve_extension", supervisor, payload={"days": 3}, now=MONDAY + 2 * DAY)
    # then the old row is superseded and the new one ends 3 wd later, counted from the same start
    original.refresh_from_db()
    assert original.status == "superseded"
    assert original.closed_at == MONDAY + 2 * DAY
    moved = Deadline.objects.pending().get(case=case)
    assert moved.due_date == D(2026, 6, 18)
    assert moved.starts_at == original.starts_at
    assert case.due_at == calendar.end_of_day(D(2026, 6, 18))


def test_a_returned_rectification_plans_a_new_rectify_deadline(
    dispatcher, handler, verifier, district, town, photo
):
    # given an item under verification
    case = open_item(actor=dispatcher, jurisdiction=district)
    payload = {"responsible_unit": town.pk, "rectify_period": 10}
    case = move(case, "assign", dispatcher, payload=payload, now=MONDAY)
    case = move(case, "sign", handler, now=MONDAY + HOUR)
    case = move(case, "report", handler, note="已整改", files=[photo], now=MONDAY + 2 * HOUR)
    case = move(case, "start_verification", verifier, now=MONDAY + 3 * HOUR)
    # when the verifier sends it back with 5 more working days
    case = move(
        case,
        "fail_verification",
        verifier,
        note="仍有排放",
        payload={"rectify_period": 5},
        now=MONDAY + DAY,
    )
    # then verification is closed and a fresh rectify deadline runs from today
    assert statuses(case, "verifying") == {"verify": "met"}
    assert pending(case) == {"rectify": D(2026, 6, 9)}
    assert Deadline.objects.filter(case=case, kind="rectify").count() == 2


def _rectifying_into_2027(dispatcher, handler, district, town):
    """An item assigned 2026-12-14 with 20 working days and signed the same day."""
    december = dt.datetime(2026, 12, 14, 9, 0, tzinfo=TZ)
    case = open_item(actor=dispatcher, jurisdiction=district, now=december)
    payload = {"responsible_unit": town.pk, "rectify_period": 20}
    case = move(case, "assign", dispatcher, payload=payload, now=december)
    case = move(case, "sign", handler, now=december + HOUR)
    return case


def test_a_december_period_running_into_unconfirmed_2027_is_provisional(
    dispatcher, handler, district, town
):
    # given 2027's 调休 schedule is not published yet
    # when an item is assigned on 2026-12-14 with 20 working days and signed
    case = _rectifying_into_2027(dispatcher, handler, district, town)
    # then the rectification deadline lands in January 2027 and is marked 暂定
    rectify = Deadline.objects.pending().get(case=case, kind="rectify")
    assert rectify.due_date == D(2027, 1, 12)
    assert rectify.provisional
    assert case.due_provisional


def test_confirming_2027_recomputes_provisional_deadlines_with_the_entered_days(
    dispatcher, handler, district, town, photo
):
    # given a case rectifying into 2027, and another reported on Monday 2026-12-28,
    # whose 5 wd to start verification count over 元旦 into 2027
    rectifying = _rectifying_into_2027(dispatcher, handler, district, town)
    reported = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY, title="扬尘")
    payload = {"responsible_unit": town.pk, "rectify_period": 5}
    reported = move(reported, "assign", dispatcher, payload=payload, now=MONDAY)
    reported = move(reported, "sign", handler, now=MONDAY + HOUR)
    reported = move(
        reported,
        "report",
        handler,
        note="已整改",
        files=[photo],
        now=dt.datetime(2026, 12, 28, 10, 0, tzinfo=TZ),
    )
    verify_start = Deadline.objects.pending().get(case=reported)
    assert (verify_start.due_date, verify_start.provisional) == (D(2027, 1, 5), True)

    # when the 2027 notice is entered (a make-up Saturday 2027-01-02, invented for the test)
    CalendarOverride.objects.create(date=D(2027, 1, 2), is_workday=True, note="元旦调休")
    # and the year is confirmed
    recomputed = confirm_year(2027, source="国办发明电", now=dt.datetime(2026, 12, 29, tzinfo=TZ))

    # then the counted deadline moves to the real date and both lose the 暂定 mark
    assert recomputed == 2
    verify_start.refresh_from_db()
    assert (verify_start.due_date, verify_start.provisional) == (D(2027, 1, 4), False)
    assert verify_start.due_at == calendar.end_of_day(D(2027, 1, 4))
    rectify = Deadline.objects.pending().get(case=rectifying)
    assert (rectify.due_date, rectify.provisional) == (D(2027, 1, 12), False)
    reported, rectifying = fresh(reported), fresh(rectifying)
    assert reported.due_at == calendar.end_of_day(D(2027, 1, 4))
    assert not reported.due_provisional
    assert not rectifying.due_provisional


def test_recomputing_again_changes_nothing(dispatcher, handler, district, town):
    # given a provisional deadline whose year is still unconfirmed
    _rectifying_into_2027(dispatcher, handler, district, town)
    # when the recompute job runs with no new calendar data
    # then no row changes
    assert recompute_provisional(now=dt.datetime(2026, 12, 20, tzinfo=TZ)) == 0


def test_a_deadline_closed_before_the_recompute_is_left_alone(
    dispatcher, handler, district, town, photo
):
    # given a provisional rectify deadline that the unit has already met
    case = _rectifying_into_2027(dispatcher, handler, district, town)
    move(
        case,
        "report",
        handler,
        note="已整改",
        files=[photo],
        now=dt.datetime(2026, 12, 15, tzinfo=TZ),
    )
    closed = Deadline.objects.get(case=case, kind="rectify")
    # when 2027 is confirmed
    confirm_year(2027, now=dt.datetime(2026, 12, 29, tzinfo=TZ))
    # then the closed row keeps its record as it was
    closed_after = Deadline.objects.get(pk=closed.pk)
    assert (closed_after.status, closed_after.provisional) == ("met", True)
