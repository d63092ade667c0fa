"""Keeping deadlines true to the calendar when its data changes (a year confirmed, a day edited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from workflow import calendar
from workflow.models.case import Case
from workflow.models.deadline import CalendarYear, Deadline
from workflow.deadlines import _warn_at, refresh_case_due


def recompute_provisional(*, now: dt.datetime, batch: int = 500) -> int:
    """Recompute every pending provisional deadline counted by its policy (length + clock).

    Deadlines set as a fixed date (the rectification deadline chosen at 交办) keep their date and
    only lose the provisional mark once their years are confirmed. Returns the rows changed.
    """
    calendar.data.invalidate()
    changed = 0
    pending = Deadline.objects.pending().filter(provisional=True).order_by("pk")
    for deadline in pending.iterator(chunk_size=batch):
        start = calendar.local_date(deadline.starts_at)
        if deadline.length is not None and deadline.kind != "rectify":
            due = calendar.add_period(start, deadline.length, deadline.clock)
        else:
            due = calendar.DueDate(deadline.due_date, calendar._provisional(start, deadline.due_date))
        if due.date == deadline.due_date and due.provisional == deadline.provisional:
            continue
        with transaction.atomic():
            deadline.due_date = due.date
            deadline.due_at = calendar.end_of_day(due.date)
            deadline.warn_at = _warn_at(deadline.starts_at, due.date)
            deadline.provisional = due.provisional
            deadline.save(update_fields=["due_date", "due_at", "warn_at", "provisional"])
            case = Case.objects.select_for_update().get(pk=deadline.case_id)
            refresh_case_due(case)
            case.save(update_fields=["due_at", "warn_at", "due_provisional"])
        changed += 1
    return changed


def confirm_year(year: int, *, source: str = "", now: dt.datetime | None = None) -> int:
    """Mark a year's 调休 schedule as entered; recompute the provisional deadlines it touches."""
    now = now or timezone.now()
    CalendarYear.objects.update_or_create(
        year=year, defaults={"confirmed": True, "confirmed_at": now, "source": source}
    )
    return recompute_provisional(now=now)
