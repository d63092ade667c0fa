"""Planning and closing deadline rows as a case moves between states.

Every function takes `now`; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from workflow import calendar
from workflow.case_types import DeadlinePolicy
from workflow.models.case import Case, Clock
from workflow.models.deadline import Deadline, DeadlineStatus
from workflow.record_language import record_text

#: 黄色预警 at D − 3 working days (DESIGN.md §5, L1); the console turns amber from then.
WARN_WORKDAYS = 3


def _due_for(policy: DeadlinePolicy, case: Case, start: dt.date) -> calendar.DueDate:
    if policy.from_field is not None:
        due = getattr(case, policy.from_field)
        if due is None:
            raise ValueError(f"{case.case_no}: {policy.from_field} is not set")
        return calendar.DueDate(due, calendar.is_provisional_range(start, due))
    assert policy.length is not None
    return calendar.add_period(start, policy.length, policy.clock)


def warn_at(starts_at: dt.datetime, due_date: dt.date) -> dt.datetime:
    """The start of D − 3 working days, never before the period began."""
    warn_date = calendar.add_workdays(due_date, -WARN_WORKDAYS).date
    return max(starts_at, calendar.end_of_day(warn_date) - dt.timedelta(days=1))


def _build(
    case: Case, policy: DeadlinePolicy, *, starts_at: dt.datetime, paused: list[Any] | None = None
) -> Deadline:
    # The start day is not counted: the period runs from the Beijing date of entry.
    due = _due_for(policy, case, calendar.local_date(starts_at))
    return Deadline(
        case=case,
        kind=policy.kind,
        label=record_text(policy.label),
        basis=record_text(policy.basis),
        for_state=case.state,
        clock=Clock.DAYS if policy.from_field else policy.clock,
        length=policy.length,
        is_main=policy.is_main,
        starts_at=starts_at,
        due_date=due.date,
        due_at=calendar.end_of_day(due.date),
        warn_at=warn_at(starts_at, due.date),
        provisional=due.provisional,
        paused_intervals=list(paused or []),
    )


def plan_deadlines(case: Case, *, now: dt.datetime) -> list[Deadline]:
    """Create the deadline rows of the case's current state from its case type's policy."""
    rows = [_build(case, p, starts_at=now) for p in case.case_type.deadlines_for(case.state)]
    return Deadline.objects.bulk_create(rows)


def close_deadlines(
    case: Case, *, state: str, now: dt.datetime, status: DeadlineStatus | None = None
) -> int:
    """Close the pending rows planned for `state`: met or late, unless a status is given.

    Met means closed by 24:00 of the due date (`due_at` is that instant).
    """
    pending = Deadline.objects.pending().filter(case=case, for_state=state)
    if status is not None:
        return pending.update(status=status, closed_at=now)
    met = pending.filter(due_at__gte=now).update(status=DeadlineStatus.MET, closed_at=now)
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
    closed as superseded and its successor climbs the ladder again against the new date.
    """
    policies = {p.kind: p for p in case.case_type.deadlines_for(case.state)}
    for old in Deadline.objects.pending().filter(case=case, for_state=case.state):
        policy = policies.get(old.kind)
        if policy is None:
            continue
        new = _build(case, policy, starts_at=old.starts_at, paused=old.paused_intervals)
        if new.due_date == old.due_date:
            continue
        old.status = DeadlineStatus.SUPERSEDED
        old.closed_at = now
        old.save(update_fields=["status", "closed_at"])
        new.save()


def refresh_case_due(case: Case) -> None:
    """Denormalise the current main deadline onto the case (for lists, sorting and the inbox)."""
    main = (
        Deadline.objects.pending()
        .filter(case=case, is_main=True)
        .order_by("due_at")
        .only("due_at", "warn_at", "provisional")
        .first()
    )
    case.due_at = main.due_at if main else None
    case.warn_at = main.warn_at if main else None
    case.due_provisional = main.provisional if main else False
