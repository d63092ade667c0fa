"""The escalation ladder: each rung on its day, exactly once, in order, to the right people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MONDAY, TZ, assign_to, make_staff, open_item, reload
from workflow import calendar, deadlines
from workflow.escalation import fire_due_deadlines, pause_deadline, resume_deadline
from workflow.models import (
    CaseEvent,
    CaseState,
    Deadline,
    DeadlineStatus,
    Escalation,
    EscalationStatus,
    Notification,
    Rung,
)
from workflow.roles import Role
from workflow.selectors import timeline
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

D = dt.date
SECOND = dt.timedelta(seconds=1)
HOUR = dt.timedelta(hours=1)


def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def rectifying(dispatcher: Any, handler: Any, town: Any, *, now: dt.datetime, period: int) -> Any:
    """A case the town has signed for, rectifying against `period` working days from `now`."""
    case = open_item(actor=dispatcher, jurisdiction=town.parent, now=now)
    assign_to(case, dispatcher=dispatcher, unit=town, period=period, now=now)
    transition_case(reload(case), "sign", actor=handler, now=now)
    return reload(case)


def main_deadline(case: Any) -> Deadline:
    return Deadline.objects.pending().get(case=case, is_main=True)


def schedule(deadline: Deadline) -> dict[int, dt.datetime]:
    ladder = reload(deadline.case).case_type.ladder
    return {s.rung: s.at for s in deadlines.ladder_schedule(deadline, ladder)}


def fired(case: Any) -> list[int]:
    return list(
        Escalation.objects.filter(case=case, status=EscalationStatus.FIRED)
        .order_by("pk")
        .values_list("rung", flat=True)
    )


def told(case: Any, rung: int) -> set[str]:
    return set(
        Notification.objects.filter(escalation__case=case, escalation__rung=rung).values_list(
            "recipient__username", flat=True
        )
    )


# --- when each rung falls due -------------------------------------------------------------------


def test_each_rung_of_a_ten_day_rectification_falls_due_on_its_day(dispatcher, handler, town):
    # given a unit rectifying from Monday 2026-06-01 09:00 for 10 working days (D = 06-15)
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    deadline = main_deadline(case)
    assert deadline.due_date == D(2026, 6, 15)
    # then: half the period; D − 3 wd and D − 1 wd; D's 24:00; D + 5 wd (端午 06-19 skipped);
    # D + 15 wd
    assert schedule(deadline) == {
        Rung.REMINDER: at(D(2026, 6, 8), 16, 30),
        Rung.YELLOW: at(D(2026, 6, 10)),
        Rung.ORANGE: at(D(2026, 6, 12)),
        Rung.CHASE: at(D(2026, 6, 16)),
        Rung.SUPERVISE: at(D(2026, 6, 23)),
        Rung.ELEVATE: at(D(2026, 7, 7)),
    }
    assert deadline.next_rung_at == at(D(2026, 6, 8), 16, 30)


def test_the_chase_is_the_first_instant_after_the_due_date(dispatcher, handler, town):
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    deadline = main_deadline(case)
    # 催办 at "D + 1 d" is D's 24:00: the moment the deadline is missed, not a minute later
    assert schedule(deadline)[Rung.CHASE] == deadline.due_at == calendar.end_of_day(D(2026, 6, 15))


def test_working_day_rungs_skip_national_day_and_count_the_make_up_saturday(
    dispatcher, handler, town
):
    # given a 5 working-day period from 2026-09-28: D is the make-up Saturday 2026-10-10
    case = rectifying(dispatcher, handler, town, now=at(D(2026, 9, 28), 9), period=5)
    deadline = main_deadline(case)
    assert deadline.due_date == D(2026, 10, 10)
    rungs = schedule(deadline)
    # then D − 3 wd jumps back over 国庆 (10-01..07) to 09-30, D − 1 wd is Friday 10-09
    assert rungs[Rung.YELLOW] == at(D(2026, 9, 30))
    assert rungs[Rung.ORANGE] == at(D(2026, 10, 9))
    # and 催办 is the Sunday after D: calendar days are not rolled to a working day
    assert rungs[Rung.CHASE] == at(D(2026, 10, 11))
    assert rungs[Rung.SUPERVISE] == at(D(2026, 10, 16))
    # and the 50 % reminder (10-04, in the holiday) would come after the yellow warning: dropped
    assert Rung.REMINDER not in rungs


def test_supervision_counts_the_make_up_saturday_as_a_working_day(dispatcher, handler, town):
    # given a deadline due 2026-09-30, the eve of 国庆
    case = rectifying(dispatcher, handler, town, now=at(D(2026, 9, 15), 9), period=11)
    deadline = main_deadline(case)
    assert deadline.due_date == D(2026, 9, 30)
    rungs = schedule(deadline)
    # then D − 3 wd skips 中秋 (09-25..27): 09-29, 09-28, 09-24
    assert rungs[Rung.YELLOW] == at(D(2026, 9, 24))
    # and D + 5 wd is 10-08, 10-09, 10-10 (Saturday, worked), 10-12, 10-13
    assert rungs[Rung.SUPERVISE] == at(D(2026, 10, 13))


def test_a_fresh_one_day_deadline_is_not_warned_before_it_existed(dispatcher, town):
    # given a case assigned on Monday 09:00, to be signed by Tuesday (1 wd)
    case = open_item(actor=dispatcher, jurisdiction=town.parent)
    assign_to(case, dispatcher=dispatcher, unit=town)
    sign = Deadline.objects.pending().get(case=case, kind="sign")
    # then the warnings at D − 3 wd and D − 1 wd (Monday 00:00) fell before it began: skipped
    assert set(schedule(sign)) == {Rung.REMINDER, Rung.CHASE, Rung.SUPERVISE, Rung.ELEVATE}
    # and the objection period beside it is not a main deadline: it does not escalate
    objection = Deadline.objects.pending().get(case=case, kind="objection")
    assert objection.next_rung_at is None
    # and a sweep at Monday noon fires nothing
    assert fire_due_deadlines(MONDAY + 3 * HOUR) == 0


# --- the sweep ----------------------------------------------------------------------------------


def test_a_rung_fires_at_its_moment_not_a_second_before(dispatcher, handler, town):
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    yellow = at(D(2026, 6, 10))
    fire_due_deadlines(at(D(2026, 6, 8), 17))  # the reminder
    # when the sweep runs a second before the yellow warning, then at it
    assert fire_due_deadlines(yellow - SECOND) == 0
    assert fire_due_deadlines(yellow) == 1
    # then the warning is recorded once, dated when it fired, and the case shows it
    escalation = Escalation.objects.get(case=case, rung=Rung.YELLOW)
    assert escalation.created_at == escalation.scheduled_at == yellow
    assert reload(case).escalation_level == Rung.YELLOW
    assert main_deadline(case).next_rung_at == at(D(2026, 6, 12))
    # and the handler who signed was told, in-app
    assert told(case, Rung.YELLOW) == {"handler"}


def test_the_orange_warning_also_reaches_the_supervisor_and_the_leader(
    dispatcher, handler, supervisor, leader, town, outsider
):
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    fire_due_deadlines(at(D(2026, 6, 12), 8))
    assert told(case, Rung.ORANGE) == {"handler", "supervisor", "leader"}
    assert not Notification.objects.filter(escalation__case=case, urgent=True).exists()


def test_an_overdue_case_is_chased_the_next_day_urgently_to_all_who_must_act(
    dispatcher, handler, supervisor, leader, town, outsider
):
    # given a rectification due 2026-06-15 and nothing reported, by a town with two handlers
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    make_staff("colleague", town, Role.HANDLER)
    fire_due_deadlines(at(D(2026, 6, 15), 23))
    assert reload(case).escalation_level == Rung.ORANGE
    assert "colleague" not in told(case, Rung.ORANGE)
    # when the sweep runs just after midnight
    fire_due_deadlines(at(D(2026, 6, 16), 0, 1))
    # then 催办 goes to the whole unit, its supervisor, the district's dispatcher and the leader
    assert told(case, Rung.CHASE) == {"handler", "colleague", "supervisor", "dispatcher", "leader"}
    assert set(
        Notification.objects.filter(escalation__rung=Rung.CHASE).values_list("urgent", flat=True)
    ) == {True}
    # and the case shows 催办 on its timeline, by the system
    case = reload(case)
    assert case.escalation_level == Rung.CHASE
    entry = next(e for e in reversed(timeline(case)) if e.event.transition == "escalate")
    assert entry.label == "督办升级"
    assert entry.event.actor is None and entry.event.actor_role == "system"
    assert ("督办级别", "催办") in [(row.label, row.value) for row in entry.details]


def test_a_unit_without_an_assignee_is_told_through_its_handlers(dispatcher, town):
    # given a case assigned to the town but not yet signed for
    case = open_item(actor=dispatcher, jurisdiction=town.parent)
    assign_to(case, dispatcher=dispatcher, unit=town)
    make_staff("handler2", town, Role.HANDLER)
    make_staff("elsewhere", town.parent, Role.HANDLER)
    # when the signing deadline's reminder fires (half way to Tuesday's 24:00: 04:30)
    assert fire_due_deadlines(at(D(2026, 6, 2), 4, 30)) == 1
    # then every handler of the town, and only of the town, is reminded
    assert told(case, Rung.REMINDER) == {"handler2"}


def test_after_ten_days_without_a_sweep_each_rung_fires_once_in_order(
    dispatcher, handler, supervisor, leader, town
):
    # given no sweep ran from Monday until 15 working days after the due date
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    late = at(D(2026, 7, 7), 10)
    # when one sweep runs
    assert fire_due_deadlines(late) == 6
    # then each rung fired once, in order, dated when it was really issued
    rows = list(Escalation.objects.filter(case=case, status=EscalationStatus.FIRED).order_by("pk"))
    assert [r.rung for r in rows] == [0, 1, 2, 3, 4, 5]
    assert {r.created_at for r in rows} == {late}
    assert [r.scheduled_at for r in rows] == sorted(r.scheduled_at for r in rows)
    events = CaseEvent.objects.filter(case=case, transition="escalate").order_by("seq")
    assert [e.payload["rung"] for e in events] == [0, 1, 2, 3, 4, 5]
    # and 提级办理 suggests 挂牌督办 for a leader to decide
    suggested = Escalation.objects.get(case=case, status=EscalationStatus.SUGGESTED)
    assert suggested.rung == Rung.LISTED
    assert reload(case).escalation_level == Rung.ELEVATE
    # and the deadline has nothing left to fire
    assert main_deadline(case).next_rung_at is None
    # and a second sweep, or the same one redelivered, fires nothing
    assert fire_due_deadlines(late + HOUR) == 0
    assert Escalation.objects.filter(case=case).count() == 7


def test_an_approved_extension_moves_the_warnings_and_the_chase_to_the_new_date(
    dispatcher, handler, supervisor, town
):
    # given a unit that was warned (reminder, yellow, orange) on a deadline due 06-15
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    fire_due_deadlines(at(D(2026, 6, 12), 9))
    old = main_deadline(case)
    assert old.fired_rungs == [0, 1, 2]
    # when a supervisor grants 5 more working days on 06-12
    transition_case(
        reload(case),
        "request_extension",
        actor=handler,
        note="需采购设备",
        payload={"days": 5},
        now=at(D(2026, 6, 12), 10),
    )
    transition_case(
        reload(case),
        "approve_extension",
        actor=supervisor,
        payload={"days": 5},
        now=at(D(2026, 6, 12), 11),
    )
    # then the new row keeps the reminder but climbs L1–L3 again against the new date (06-23)
    new = main_deadline(case)
    assert new.pk != old.pk and new.due_date == D(2026, 6, 23)
    assert new.fired_rungs == [Rung.REMINDER]
    assert new.next_rung_at == at(D(2026, 6, 17))
    assert reload(case).escalation_level == Rung.REMINDER
    # and nothing fires on the old date
    assert fire_due_deadlines(at(D(2026, 6, 16), 1)) == 0
    # and the new warnings and the chase come on their new days
    assert fire_due_deadlines(at(D(2026, 6, 24), 1)) == 3
    assert list(new.escalations.order_by("rung").values_list("rung", flat=True)) == [1, 2, 3]
    assert reload(case).escalation_level == Rung.CHASE


def test_a_case_that_left_the_state_has_its_rungs_cancelled(
    dispatcher, handler, verifier, town, photo
):
    # given a case that reported its rectification before the deadline
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    transition_case(case, "report", actor=handler, note="已整改", files=[photo], now=MONDAY + HOUR)
    rectify = Deadline.objects.get(case=case, kind="rectify")
    assert rectify.status == DeadlineStatus.MET
    # when the sweep runs long after the old due date (before the verification rungs)
    fire_due_deadlines(at(D(2026, 6, 16), 1))
    # then nothing of the rectification deadline fired
    assert not Escalation.objects.filter(deadline=rectify).exists()


def test_a_row_left_pending_for_a_state_the_case_left_is_cancelled_by_the_sweep(
    dispatcher, handler, town
):
    # given a row whose case moved on without closing it (a repair, an import)
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    type(case).objects.filter(pk=case.pk).update(state=CaseState.REPORTED)
    # when its rung falls due
    fire_due_deadlines(at(D(2026, 6, 16), 1))
    # then it is cancelled and nothing fires
    row = Deadline.objects.get(case=case, kind="rectify")
    assert row.status == DeadlineStatus.CANCELLED
    assert fired(case) == []


def test_one_failing_row_is_recorded_and_does_not_stop_the_sweep(
    dispatcher, handler, town, monkeypatch
):
    # given two cases due at once, and notifying about the first one fails
    bad = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    good = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    from workflow import escalation

    real = escalation._recipients

    def broken(case: Any, rung: Rung) -> Any:
        if case.pk == bad.pk:
            raise RuntimeError("unit tree broken")
        return real(case, rung)

    monkeypatch.setattr(escalation, "_recipients", broken)
    # when the sweep runs
    fire_due_deadlines(at(D(2026, 6, 8), 17))
    # then the good case was reminded, the bad one rolled back with its error recorded
    assert fired(good) == [Rung.REMINDER]
    assert fired(bad) == []
    row = main_deadline(bad)
    assert row.attempts == 1 and "unit tree broken" in row.last_error
    assert row.fired_rungs == []
    # and once repaired, the next sweep fires it
    monkeypatch.setattr(escalation, "_recipients", real)
    fire_due_deadlines(at(D(2026, 6, 8), 17, 1))
    assert fired(bad) == [Rung.REMINDER]
    assert main_deadline(bad).attempts == 0


def test_the_sweep_costs_the_same_however_many_cases_are_open_but_not_due(
    dispatcher, handler, town
):
    now = at(D(2026, 6, 8), 17)

    def sweep_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fire_due_deadlines(now) == 1
        return len(queries)

    # given one case whose reminder is due and two open cases with nothing due
    rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    for _ in range(2):
        rectifying(dispatcher, handler, town, now=MONDAY, period=30)
    with_few = sweep_queries()
    # when another case's reminder is due among twenty more open cases
    rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    for _ in range(20):
        rectifying(dispatcher, handler, town, now=MONDAY, period=30)
    with_many = sweep_queries()
    # then the sweep's cost is the same: it follows what is due, not what is open
    assert with_many == with_few


# --- pause and resume ---------------------------------------------------------------------------


def test_a_paused_deadline_fires_nothing_and_resumes_later_by_the_days_paused(
    dispatcher, handler, town
):
    # given a deadline due 06-15, paused for 鉴定 on Tuesday 06-02
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    deadline = pause_deadline(main_deadline(case), reason="鉴定", now=at(D(2026, 6, 2), 10))
    assert deadline.next_rung_at is None
    # when the sweep runs past the old due date
    assert fire_due_deadlines(at(D(2026, 6, 16), 1)) == 0
    # and the clock resumes on Friday 06-05: three working days later
    deadline = resume_deadline(deadline, now=at(D(2026, 6, 5), 9))
    # then the due date moves on by those three working days
    assert deadline.due_date == D(2026, 6, 18)
    assert deadline.paused_intervals == [
        {
            "from": at(D(2026, 6, 2), 10).isoformat(),
            "to": at(D(2026, 6, 5), 9).isoformat(),
            "reason": "鉴定",
        }
    ]
    assert reload(case).due_at == calendar.end_of_day(D(2026, 6, 18))
    assert deadline.next_rung_at == schedule(deadline)[Rung.REMINDER]
    assert fire_due_deadlines(at(D(2026, 6, 19), 1)) == 4
    assert fired(case) == [0, 1, 2, 3]
    # and the timeline shows the pause and the resumption with the deadline they concern
    entries = [e for e in timeline(reload(case)) if e.label in ("期限暂停", "期限恢复")]
    assert [(e.label, [(r.label, r.value) for r in e.details]) for e in entries] == [
        ("期限暂停", [("期限", "整改期限"), ("原因", "鉴定")]),
        ("期限恢复", [("期限", "整改期限"), ("到期日", "2026年6月18日")]),
    ]


# --- two sweeps at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_fire_each_rung_and_notify_each_person_once(
    dispatcher, handler, supervisor, leader, town
):
    from tests.workflow.test_concurrency import run_together

    # given three cases overdue long enough for every automatic rung
    cases = [rectifying(dispatcher, handler, town, now=MONDAY, period=10) for _ in range(3)]
    late = at(D(2026, 7, 7), 10)
    # when two sweeps (a beat tick and a redelivered task) run at the same moment
    results = run_together(lambda: fire_due_deadlines(late), lambda: fire_due_deadlines(late))
    # then between them every rung fired once
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 18
    for case in cases:
        assert sorted(fired(case)) == [0, 1, 2, 3, 4, 5]
        assert CaseEvent.objects.filter(case=case, transition="escalate").count() == 6
    # and each person was told once per rung and channel
    keys = list(
        Notification.objects.filter(escalation__isnull=False).values_list(
            "escalation_id", "channel", "recipient_id"
        )
    )
    assert keys and len(keys) == len(set(keys))
    assert told(cases[0], Rung.ELEVATE) == {"handler", "supervisor", "dispatcher", "leader"}


# --- the console --------------------------------------------------------------------------------


def console(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_case_page_shows_the_current_rung(dispatcher, handler, town):
    # given a case chased the day after its deadline
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    fire_due_deadlines(at(D(2026, 6, 16), 1))
    # when the handler opens it
    page = console(handler).get(reverse("console:case_detail", args=[case.pk])).text
    # then the rung is a red badge with its name, and the timeline says who escalated
    assert 'class="badge badge--overdue rung"' in page
    assert "催办" in page
    assert "督办升级" in page


def test_the_case_list_filters_by_rung_and_sorts_by_it(dispatcher, handler, town):
    # given one case warned (yellow), one chased (L3) and one with nothing fired yet
    warned = rectifying(dispatcher, handler, town, now=MONDAY, period=30)
    chased = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    quiet = rectifying(dispatcher, handler, town, now=MONDAY, period=60)
    fire_due_deadlines(at(D(2026, 6, 16), 1))
    assert [reload(c).escalation_level for c in (warned, chased, quiet)] == [0, 3, 0]
    type(warned).objects.filter(pk=warned.pk).update(escalation_level=Rung.YELLOW)
    client = console(dispatcher)
    # when the dispatcher asks for cases at 催办 or above
    page = client.get(reverse("console:case_list"), {"rung": Rung.CHASE}).text
    # then only the chased case is listed
    assert chased.case_no in page
    assert warned.case_no not in page and quiet.case_no not in page
    # and sorted by rung, the highest comes first
    page = client.get(reverse("console:case_list"), {"sort": "rung"}).text
    positions = [page.index(c.case_no) for c in (chased, warned, quiet)]
    assert positions == sorted(positions)


# --- the beat job -------------------------------------------------------------------------------


def test_the_beat_runs_the_sweep_every_minute_through_a_thin_task(
    settings, dispatcher, handler, town
):
    from workflow import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["fire-due-deadlines"]
    assert entry == {
        "task": "workflow.tasks.fire_due_deadlines",
        "schedule": 60.0,
        "options": {"queue": "periodic"},
    }
    # given a case whose rungs are all due by the real clock (the task reads it)
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    # when the task runs
    assert tasks.fire_due_deadlines.delay().get() == 6
    assert fired(case) == [0, 1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sweep_and_a_report_at_the_same_moment_neither_deadlock_nor_half_write(
    dispatcher, handler, supervisor, leader, town, photo
):
    from tests.workflow.test_concurrency import run_together

    # given a case overdue by far, and its handler reporting just as the sweep runs
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    late = at(D(2026, 7, 7), 10)
    results = run_together(
        lambda: fire_due_deadlines(late),
        lambda: transition_case(
            reload(case), "report", actor=handler, note="已整改", files=[photo], now=late
        ),
    )
    # then both went through, one after the other
    assert not [r for r in results if isinstance(r, Exception)], results
    case = reload(case)
    assert case.state == CaseState.REPORTED
    rectify = Deadline.objects.get(case=case, kind="rectify")
    assert rectify.status == DeadlineStatus.LATE
    # and the rungs either all fired before the report or none did, never some
    assert fired(case) in ([], [0, 1, 2, 3, 4, 5])
    assert case.escalation_level == 0  # the case has moved on: its new deadline is fresh


# --- the rungs that write -------------------------------------------------------------------------


def test_the_chase_and_the_supervision_rungs_issue_their_numbered_notices(
    dispatcher, handler, town
):
    from workflow.models import Notice, NoticeKind

    # given a 10-working-day rectification due 2026-06-15
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    # when the sweep runs a day after D, then after D + 5 working days, then again
    fire_due_deadlines(at(D(2026, 6, 16), 9))
    fire_due_deadlines(at(D(2026, 6, 23), 9))
    fire_due_deadlines(at(D(2026, 6, 23), 10))
    # then one 催办通知书 and one 督办单 went to the town, numbered in the bureau's series
    notices = list(Notice.objects.filter(case=case).order_by("issued_at"))
    assert [(n.kind, n.addressee) for n in notices] == [
        (NoticeKind.CHASE, town),
        (NoticeKind.SUPERVISE, town),
    ]
    assert notices[0].number == "小店环催〔2026〕1号"
    assert notices[0].escalation.rung == Rung.CHASE
    # and the 督办单 asks for a written reply within 5 working days, as a deadline of its own
    assert notices[1].response_due == D(2026, 6, 30)
    reply = Deadline.objects.get(case=case, kind="notice_reply")
    assert (reply.due_date, reply.is_main) == (D(2026, 6, 30), False)
    # and each notice is on the timeline, without a second round of messages for its event
    issued = CaseEvent.objects.filter(case=case, transition="notice_issued")
    assert issued.count() == 2
    assert not Notification.objects.filter(event__in=issued).exists()


def test_a_recomputed_provisional_date_moves_the_ladder_with_it(dispatcher, town):
    from workflow.deadline_calendar import confirm_year
    from workflow.models import CalendarOverride

    # given a case opened on 2026-12-31 with 1 working day to dispatch, counted into 2027
    case = open_item(actor=dispatcher, jurisdiction=town.parent, now=at(D(2026, 12, 31), 9))
    deadline = main_deadline(case)
    assert (deadline.due_date, deadline.provisional) == (D(2027, 1, 4), True)
    before = deadline.next_rung_at
    # when the 2027 notice makes 01-04 a day off and the year is confirmed
    CalendarOverride.objects.create(date=D(2027, 1, 4), is_workday=False, note="测试：调休")
    confirm_year(2027, now=at(D(2026, 12, 31), 10))
    # then the due date and the ladder's next moment moved together
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2027, 1, 5), False)
    assert deadline.next_rung_at == deadlines.next_rung_at(deadline, reload(case).case_type.ladder)
    assert deadline.next_rung_at != before


def test_the_timeline_names_the_system_once_and_in_chinese(dispatcher, handler, town):
    case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
    fire_due_deadlines(at(D(2026, 6, 16), 9))
    entry = next(e for e in timeline(reload(case)) if e.event.transition == "escalate")
    assert entry.event.actor is None
    assert entry.role_label == ""


def test_a_case_type_chooses_who_each_rung_tells(dispatcher, handler, supervisor, leader, town):
    import dataclasses

    from workflow.case_types import Audience, registry

    # given a case type whose yellow warning also goes to the bureau's leaders and the parent unit
    original = registry.get("supervision")
    ladder = tuple(
        dataclasses.replace(
            rule, audience=frozenset({Audience.HANDLER, Audience.LEADERS, Audience.PARENT_UNIT})
        )
        if rule.rung == Rung.YELLOW
        else rule
        for rule in original.ladder
    )
    registry._types["supervision"] = dataclasses.replace(original, ladder=ladder)
    try:
        case = rectifying(dispatcher, handler, town, now=MONDAY, period=10)
        # when the yellow warning falls due (D − 3 working days: 2026-06-10)
        fire_due_deadlines(at(D(2026, 6, 10), 9))
    finally:
        registry._types["supervision"] = original
    # then the handler, the leader and the district's supervisor (the town's parent) are told
    assert told(case, Rung.YELLOW) == {"handler", "leader", "supervisor"}
