"""Planning and closing deadline rows as a case moves between states, and when each rung of the
escalation ladder falls due on them (the sweep that fires them is `workflow.escalation`).

Every function takes `now`; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db.models import Q

from workflow import calendar
from workflow.case_types import DeadlinePolicy, EscalationRule
from workflow.models.case import Case, Clock, DeadlineClock
from workflow.models.deadline import Deadline, DeadlineStatus
from workflow.record_language import record_text

#: 黄色预警 at D − 3 working days (DESIGN.md §5, L1); the console turns amber from then.
WARN_WORKDAYS = 3


def _due_for(
    policy: DeadlinePolicy, case: Case, start: dt.date
) -> tuple[calendar.DueDate, dt.datetime | None]:
    """The due date, and the instant when the limit is not the day's 24:00: a `from_field`
    holding a datetime is hour-precise (a 边督边改 item to be answered by 18:00)."""
    if policy.from_field is not None:
        due = getattr(case, policy.from_field)
        if due is None:
            raise ValueError(f"{case.case_no}: {policy.from_field} is not set")
        if isinstance(due, dt.datetime):
            day = calendar.last_day(due)
            return calendar.DueDate(day, calendar.is_provisional_range(start, day)), due
        return calendar.DueDate(due, calendar.is_provisional_range(start, due)), None
    assert policy.length is not None
    return calendar.add_period(start, policy.length, policy.clock), None


def warn_at(
    starts_at: dt.datetime, due_date: dt.date, *, hours_until: dt.datetime | None = None
) -> dt.datetime:
    """The start of D − 3 working days, never before the period began; for a period counted in
    hours (`hours_until` its instant), half of it: a 2-hour limit turns amber after an hour."""
    if hours_until is not None:
        return starts_at + (hours_until - starts_at) / 2
    warn_date = calendar.add_workdays(due_date, -WARN_WORKDAYS).date
    return max(starts_at, calendar.end_of_day(warn_date) - dt.timedelta(days=1))


# --- the ladder on one deadline -----------------------------------------------------------------

#: DESIGN.md §5: "An approved extension moves D and resets L1–L3". The reminder (L0) was given
#: and 督办/提级办理 (L4, L5) are records of a lateness that happened: they stay fired.
RESET_ON_EXTENSION = frozenset({1, 2, 3})
#: L6 挂牌督办 and above are decided by a leader for the case, not fired on a deadline.
LEADER_RUNGS_FROM = 6


class ScheduledRung(NamedTuple):
    rung: int
    at: dt.datetime


def _start_of(day: dt.date) -> dt.datetime:
    return calendar.end_of_day(day) - dt.timedelta(days=1)


def rung_moment(rule: EscalationRule, deadline: Deadline) -> dt.datetime:
    """The instant a rung falls due on a deadline (see `EscalationRule` for the clocks)."""
    if rule.clock == "fraction":
        return deadline.starts_at + (deadline.due_at - deadline.starts_at) * rule.offset / 100
    if rule.clock == "hours":
        instant = deadline.due_at if rule.anchor == "due" else deadline.starts_at
        return instant + dt.timedelta(hours=rule.offset)
    base = deadline.due_date if rule.anchor == "due" else calendar.local_date(deadline.starts_at)
    if rule.clock == "workdays":
        return _start_of(calendar.add_workdays(base, rule.offset).date)
    # Calendar days, not rolled forward: D + 1 d is D's 24:00, the first overdue instant.
    return _start_of(base + dt.timedelta(days=rule.offset))


def ladder_schedule(deadline: Deadline, ladder: Sequence[EscalationRule]) -> list[ScheduledRung]:
    """The automatic rungs this deadline climbs, in rung order, which is also time order.

    A rung that falls before the period began is skipped: a fresh one-day deadline is not warned
    three working days before it existed. A lower rung falling at or after a higher one is
    skipped too (a short period's 50 % reminder after its 橙色预警 would say less, later).
    Only main deadlines escalate.
    """
    if not deadline.is_main:
        return []
    moments = sorted(
        (
            ScheduledRung(int(rule.rung), rung_moment(rule, deadline))
            for rule in ladder
            if rule.automatic
        ),
        reverse=True,
    )
    kept: list[ScheduledRung] = []
    for scheduled in moments:
        if scheduled.at < deadline.starts_at:
            continue
        if kept and scheduled.at >= kept[-1].at:
            continue
        kept.append(scheduled)
    return kept[::-1]


def is_paused(deadline: Deadline) -> bool:
    return any(interval.get("to") is None for interval in deadline.paused_intervals or [])


def next_rung_at(deadline: Deadline, ladder: Sequence[EscalationRule]) -> dt.datetime | None:
    """When the first rung not yet fired falls due; None when none is left or while paused."""
    if deadline.status != DeadlineStatus.PENDING or is_paused(deadline):
        return None
    fired = set(deadline.fired_rungs or [])
    return next((s.at for s in ladder_schedule(deadline, ladder) if s.rung not in fired), None)


def _build(
    case: Case,
    policy: DeadlinePolicy,
    *,
    starts_at: dt.datetime,
    paused: list[Any] | None = None,
    fired: list[int] | None = None,
) -> Deadline:
    # The start day is not counted: the period runs from the Beijing date of entry.
    due, instant = _due_for(policy, case, calendar.local_date(starts_at))
    hours = policy.from_field is not None and policy.counted == DeadlineClock.HOURS
    deadline = Deadline(
        case=case,
        kind=policy.kind,
        label=record_text(policy.label),
        basis=record_text(policy.basis),
        for_state=case.state,
        clock=policy.counted if policy.from_field else policy.clock,
        length=policy.length,
        is_main=policy.is_main,
        starts_at=starts_at,
        due_date=due.date,
        due_at=instant or calendar.end_of_day(due.date),
        warn_at=warn_at(starts_at, due.date, hours_until=instant if hours else None),
        provisional=due.provisional,
        paused_intervals=list(paused or []),
        fired_rungs=sorted(fired or []),
    )
    deadline.next_rung_at = next_rung_at(deadline, case.case_type.ladder_for(deadline))
    return deadline


#: `for_state` of a deadline that belongs to no state: transitions never close it and the ladder
#: never escalates it (a written reply to a notice, a report after a 约谈).
ANY_STATE = "*"


def plan_standing_deadline(
    case: Case,
    *,
    kind: str,
    label: str,
    basis: str,
    due_date: dt.date,
    now: dt.datetime,
    starts_at: dt.datetime | None = None,
    is_main: bool = False,
    clock: Clock = Clock.DAYS,
    length: int | None = None,
    due_at: dt.datetime | None = None,
    fired: list[int] | None = None,
) -> Deadline:
    """A deadline that outlives the case's states; pass `label` and `basis` in record language.

    A main one (an enforcement case's 90-day decision period, which runs through investigation,
    review, notice and hearing) counts for the case's due date and climbs the ladder like a
    state's deadline. `clock` says how a pause moves it (`workflow.escalation.resume_deadline`);
    `due_at` gives an instant other than 24:00 of `due_date` (移送公安 within 24 hours).
    """
    starts_at = starts_at or now
    deadline = Deadline(
        case=case,
        kind=kind,
        label=label,
        basis=basis,
        for_state=ANY_STATE,
        clock=clock,
        length=length,
        is_main=is_main,
        starts_at=starts_at,
        due_date=due_date,
        due_at=due_at or calendar.end_of_day(due_date),
        warn_at=warn_at(starts_at, due_date),
        provisional=calendar.is_provisional_range(calendar.local_date(starts_at), due_date),
        fired_rungs=sorted(fired or []),
    )
    if is_main:
        deadline.next_rung_at = next_rung_at(deadline, case.case_type.ladder_for(deadline))
    deadline.save()
    return deadline


def close_standing_deadline(case: Case, *, kind: str, now: dt.datetime) -> int:
    """Close a standing deadline met or late (a complaint's 办结期限 when the reply is signed)."""
    return close_deadlines(case, state=ANY_STATE, kind=kind, now=now)


def move_standing_deadline(
    case: Case, *, kind: str, due_date: dt.date, now: dt.datetime
) -> Deadline | None:
    """An approved extension of a standing deadline: the row is superseded by one due later,
    which keeps when the period began. None when no such deadline is pending."""
    old = Deadline.objects.pending().filter(case=case, for_state=ANY_STATE, kind=kind).first()
    if old is None:
        return None
    old.status, old.closed_at = DeadlineStatus.SUPERSEDED, now
    old.next_rung_at = None
    old.save(update_fields=["status", "closed_at", "next_rung_at"])
    return plan_standing_deadline(
        case,
        kind=kind,
        label=old.label,
        basis=old.basis,
        due_date=due_date,
        now=now,
        starts_at=old.starts_at,
        is_main=old.is_main,
        clock=Clock(old.clock),
        length=old.length,
        fired=[r for r in old.fired_rungs or [] if r not in RESET_ON_EXTENSION],
    )


def plan_deadlines(case: Case, *, now: dt.datetime) -> list[Deadline]:
    """Create the deadline rows of the case's current state from its case type's policy."""
    rows = [
        _build(case, p, starts_at=now)
        for p in case.case_type.deadlines_for(case.state)
        if not _skipped(p, case)
    ]
    return Deadline.objects.bulk_create(rows)


def _skipped(policy: DeadlinePolicy, case: Case) -> bool:
    return bool(policy.optional and policy.from_field and getattr(case, policy.from_field) is None)


def close_deadlines(
    case: Case,
    *,
    state: str,
    now: dt.datetime,
    status: DeadlineStatus | None = None,
    kind: str | None = None,
) -> int:
    """Close the pending rows planned for `state` (of one `kind`, if given): met or late, unless
    a status is given.

    Met means closed by 24:00 of the due date (`due_at` is that instant), or any time for a
    window (`DeadlinePolicy.window`: a 公示期 that ran out).
    """
    pending = Deadline.objects.pending().filter(case=case, for_state=state)
    if kind is not None:
        pending = pending.filter(kind=kind)
    if status is not None:
        return pending.update(status=status, closed_at=now)
    windows = [p.kind for p in case.case_type.deadlines_for(state) if p.window]
    met = pending.filter(Q(due_at__gte=now) | Q(kind__in=windows)).update(
        status=DeadlineStatus.MET, closed_at=now
    )
    late = pending.update(status=DeadlineStatus.LATE, closed_at=now)
    return met + late


def replan(case: Case, *, from_state: str, now: dt.datetime, force: bool = False) -> None:
    """Move the deadlines with the case: close the old state's, plan the new state's.

    A transition that stays in its state keeps its deadlines, unless `force` (an approved
    extension): then the rows whose due date moved are superseded by new ones.
    """
    if from_state != case.state:
        close_deadlines(case, state=from_state, now=now)
        plan_deadlines(case, now=now)
    elif force:
        _supersede_moved(case, now=now)
    refresh_case_due(case)


def _supersede_moved(case: Case, *, now: dt.datetime) -> None:
    """Re-plan the state's deadlines from the case's fields, keeping when each period began.

    A row whose date did not move is kept, with the rungs it already fired; a moved row is
    closed as superseded and its successor climbs L1–L3 again against the new date, keeping the
    other rungs it fired (`RESET_ON_EXTENSION`). A warning of the new date that has already
    passed when the extension is approved fires at the next sweep: the unit learns the new date
    is close.
    """
    policies = {p.kind: p for p in case.case_type.deadlines_for(case.state)}
    for old in Deadline.objects.pending().filter(case=case, for_state=case.state):
        policy = policies.get(old.kind)
        if policy is None or _skipped(policy, case):
            continue
        kept = [r for r in old.fired_rungs or [] if r not in RESET_ON_EXTENSION]
        new = _build(case, policy, starts_at=old.starts_at, paused=old.paused_intervals, fired=kept)
        if new.due_date == old.due_date:
            continue
        old.status = DeadlineStatus.SUPERSEDED
        old.closed_at = now
        old.save(update_fields=["status", "closed_at"])
        new.save()


def refresh_case_due(case: Case) -> None:
    """Denormalise the current main deadline onto the case (for lists, sorting and the inbox).

    The case's escalation level is its current rung: the highest fired on that deadline, so a
    case that moves on or is granted an extension comes down the ladder (the `Escalation` rows
    keep the history). A leader's rung (L6 挂牌督办 and above) is a decision about the case, not
    about one deadline, and stays.
    """
    main = (
        Deadline.objects.pending()
        .filter(case=case, is_main=True)
        .order_by("due_at")
        .only("due_at", "warn_at", "provisional", "fired_rungs")
        .first()
    )
    case.due_at = main.due_at if main else None
    case.warn_at = main.warn_at if main else None
    case.due_provisional = main.provisional if main else False
    if case.escalation_level < LEADER_RUNGS_FROM:
        level = max(main.fired_rungs or [0]) if main else 0
        case.escalation_level = max(level, case.escalation_floor)
