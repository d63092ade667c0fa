"""Planning and closing deadline rows as a case moves between states.

Every function takes `now`; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt

from workflow import calendar
from workflow.case_types import DeadlinePolicy
from workflow.models.case import Case, Clock
from workflow.models.deadline import Deadline, DeadlineStatus

#: 黄色预警 at D − 3 working days (DESIGN.md §5, L1); the console turns amber from then.
WARN_WORKDAYS = 3


def _due_for(policy: DeadlinePolicy, case: Case, start: dt.date) -> calendar.DueDate:
    if policy.from_field is not None:
        due = getattr(case, policy.from_field)
        if due is None:
            raise ValueError(f"{case.case_no}: {policy.from_field} is not set")
        return calendar.DueDate(due, calendar._provisional(start, due))
    assert policy.length is not None
    return calendar.add_period(start, policy.length, policy.clock)


def _warn_at(starts_at: dt.datetime, due_date: dt.date) -> dt.datetime:
    warn_date = calendar.add_workdays(due_date, -WARN_WORKDAYS).date
    return max(starts_at, calendar.end_of_day(warn_date) - dt.timedelta(days=1))


def plan_deadlines(case: Case, *, now: dt.datetime) -> list[Deadline]:
    """Create the deadline rows of the case's current state from its case type's policy."""
    start = calendar.local_date(now)
    created = []
    for policy in case.case_type.deadlines_for(case.state):
        due = _due_for(policy, case, start)
        created.append(
            Deadline(
                case=case,
                kind=policy.kind,
                label=str(policy.label),
                basis=str(policy.basis),
                for_state=case.state,
                clock=Clock.DAYS if policy.from_field else policy.clock,
                length=policy.length,
                is_main=policy.is_main,
                starts_at=now,
                due_date=due.date,
                due_at=calendar.end_of_day(due.date),
                warn_at=_warn_at(now, due.date),
                provisional=due.provisional,
            )
        )
    return Deadline.objects.bulk_create(created)


def close_deadlines(
    case: Case, *, state: str, now: dt.datetime, status: DeadlineStatus | None = None
) -> int:
    """Close the pending rows planned for `state`: met or late, unless a status is given."""
    closed = 0
    for deadline in case.deadlines.pending().filter(for_state=state):
        if status is not None:
            deadline.status = status
        else:
            deadline.status = DeadlineStatus.MET if now <= deadline.due_at else DeadlineStatus.LATE
        deadline.closed_at = now
        deadline.save(update_fields=["status", "closed_at"])
        closed += 1
    return closed


def replan(case: Case, *, from_state: str, now: dt.datetime, force: bool = False) -> None:
    """Move the deadlines with the case: close the old state's, plan the new state's.

    A transition that stays in its state keeps its deadlines, unless `force` (an approved
    extension): then the rows are superseded and planned again from the case's fields.
    """
    if from_state != case.state:
        close_deadlines(case, state=from_state, now=now)
        plan_deadlines(case, now=now)
    elif force:
        _supersede_and_carry_start(case, now=now)
    refresh_case_due(case)


def _supersede_and_carry_start(case: Case, *, now: dt.datetime) -> None:
    previous = list(case.deadlines.pending().filter(for_state=case.state))
    close_deadlines(case, state=case.state, now=now, status=DeadlineStatus.SUPERSEDED)
    replanned = plan_deadlines(case, now=now)
    # The period still runs from when the state was entered; only the due date moved.
    by_kind = {d.kind: d for d in previous}
    for deadline in replanned:
        old = by_kind.get(deadline.kind)
        if old is not None:
            deadline.starts_at = old.starts_at
            deadline.paused_intervals = old.paused_intervals
            deadline.save(update_fields=["starts_at", "paused_intervals"])


def refresh_case_due(case: Case) -> None:
    """Denormalise the current main deadline onto the case (for lists, sorting and the inbox)."""
    main = case.deadlines.pending().filter(is_main=True).order_by("due_at").first()
    case.due_at = main.due_at if main else None
    case.warn_at = main.warn_at if main else None
    case.due_provisional = main.provisional if main else False
