"""Keeping deadlines true to the calendar when its data changes (a year confirmed, a day edited)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from workflow import calendar
from workflow.deadlines import next_rung_at, refresh_case_due, warn_at
from workflow.models.case import Case
from workflow.models.deadline import CalendarYear, Deadline

logger = logging.getLogger(__name__)


def _recomputed(deadline: Deadline) -> calendar.DueDate:
    start = calendar.local_date(deadline.starts_at)
    if deadline.length is not None:
        return calendar.add_period(start, deadline.length, deadline.clock)
    # A date fixed by a person (the rectification deadline chosen at 交办) was told to the unit:
    # it keeps its date and only loses the provisional mark once its years are confirmed.
    return calendar.DueDate(
        deadline.due_date, calendar.is_provisional_range(start, deadline.due_date)
    )


def _recompute_one(pk: int) -> bool:
    """Recompute one deadline under its case's lock; False if nothing changed or it closed."""
    with transaction.atomic():
        case_id = Deadline.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        if case_id is None:
            return False
        # The case lock orders this against transition_case, which closes and plans rows.
        case = Case.objects.select_for_update().get(pk=case_id)
        deadline = Deadline.objects.pending().filter(pk=pk, provisional=True).first()
        if deadline is None:
            return False
        due = _recomputed(deadline)
        if due.date == deadline.due_date and due.provisional == deadline.provisional:
            return False
        # The law decides the date, so it may move earlier as well as later once the real 调休
        # days are known; rungs already fired stay fired.
        if deadline.length is not None:
            deadline.due_date = due.date
            deadline.due_at = calendar.end_of_day(due.date)
            deadline.warn_at = warn_at(deadline.starts_at, due.date)
        # else a date (or an hour-precise instant) a person fixed: only the mark changes.
        deadline.provisional = due.provisional
        # The ladder's moments follow the date: a date moved earlier must not fire its rungs late.
        deadline.next_rung_at = next_rung_at(deadline, case.specific.case_type.ladder_for(deadline))
        deadline.save(
            update_fields=["due_date", "due_at", "warn_at", "provisional", "next_rung_at"]
        )
        refresh_case_due(case)
        case.save(update_fields=["due_at", "warn_at", "due_provisional"])
    return True


def recompute_provisional(*, now: dt.datetime, batch: int = 500) -> int:
    """Recompute every pending provisional deadline from its own length and clock.

    1. Drop the cached calendar, so the edits just made (in any process) are read.
    2. Walk the pending provisional rows by primary key, a batch at a time.
    3. Recompute each row in its own transaction, under its case's lock; a row that fails is
       logged and skipped, so one bad row cannot stop the rest.

    Returns the rows changed. `now` is the moment of the run (kept for the task's signature).
    """
    calendar.data.invalidate()
    changed = 0
    last_pk = 0
    while True:
        pks = list(
            Deadline.objects.pending()
            .filter(provisional=True, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not pks:
            return changed
        last_pk = pks[-1]
        for pk in pks:
            try:
                changed += _recompute_one(pk)
            except Exception:
                logger.exception("recomputing provisional deadline %s failed", pk)


def confirm_year(year: int, *, source: str = "", now: dt.datetime) -> int:
    """Mark a year's 调休 schedule as entered; recompute the provisional deadlines it touches.

    Enter the year's `CalendarOverride` rows first (or ship a `holidays` release that holds
    them): confirming says the data is complete. Returns the deadlines recomputed.
    """
    CalendarYear.objects.update_or_create(
        year=year, defaults={"confirmed": True, "confirmed_at": now, "source": source}
    )
    return recompute_provisional(now=now)
