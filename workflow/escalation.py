"""The escalation sweep: fire the rungs of the ladder that have fallen due, exactly once.

`fire_due_deadlines(now)` runs every minute (beat). It reads only pending deadlines whose
`next_rung_at` has come (a partial index), so its cost follows what is due, not what is open.
When each rung falls due is planned in `workflow.deadlines` (`ladder_schedule`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflow import calendar, deadlines
from workflow.case_types import Audience
from workflow.models.case import Case, DeadlineClock
from workflow.models.deadline import Deadline, DeadlineStatus
from workflow.models.escalation import Escalation, EscalationStatus, Rung
from workflow.models.event import CaseEvent
from workflow.models.notice import NoticeKind
from workflow.models.unit import Unit
from workflow.notifications import notify
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import append_event

logger = logging.getLogger(__name__)

#: The timeline labels of the events this module appends (not transitions of the loop).
ESCALATION_EVENT_LABELS = {
    "escalate": gettext_lazy("督办升级"),
    "deadline_paused": gettext_lazy("期限暂停"),
    "deadline_resumed": gettext_lazy("期限恢复"),
    "escalation_dismissed": gettext_lazy("督办建议不予采纳"),
    "yuetan_recorded": gettext_lazy("登记约谈"),
}
ESCALATION_PAYLOAD_LABELS = {
    "label": gettext_lazy("督办级别"),
    "deadline": gettext_lazy("期限"),
    "due_date": gettext_lazy("到期日"),
    "reason": gettext_lazy("原因"),
}
#: From 催办 (L3) on, a rung is urgent: its SMS is sent even in quiet hours.
URGENT_FROM = Rung.CHASE


# --- the sweep ----------------------------------------------------------------------------------


def fire_due_deadlines(now: dt.datetime, *, batch_size: int = 200) -> int:
    """Fire every rung due by `now` on every pending deadline. Returns the rungs fired.

    1. Read the ids of pending rows whose `next_rung_at` has come, a batch at a time by pk (a
       failed row is passed over, not read again in the same sweep).
    2. Handle each row in its own transaction (`_fire_one`); a row that fails rolls back alone,
       its `attempts` and `last_error` are recorded, and the sweep goes on.
    """
    fired = 0
    last_pk = 0
    while True:
        pks = list(
            Deadline.objects.pending()
            .filter(next_rung_at__isnull=False, next_rung_at__lte=now, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not pks:
            return fired
        last_pk = pks[-1]
        for pk in pks:
            try:
                fired += _fire_one(pk, now=now)
            except Exception as exc:
                logger.exception("escalating deadline %s failed", pk)
                Deadline.objects.filter(pk=pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )


def _for_update(qs: QuerySet[Any]) -> QuerySet[Any]:
    # PostgreSQL: a row another sweep (or a transition) holds is skipped, not waited for; it is
    # picked up by the next sweep. SQLite has no row locks: its IMMEDIATE transactions take the
    # database's write lock at BEGIN, which serialises the sweeps instead.
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs


def _fire_one(pk: int, *, now: dt.datetime) -> int:
    """Fire the rungs of one deadline due by `now`, in rung order, each at most once.

    1. Lock the case, then the deadline — the order `transition_case` locks them in, so a sweep
       and a transition never wait on each other in a cycle.
    2. Re-check the row is still pending and due, and the case still in the row's state; a case
       that left it without the row being closed gets the row cancelled, and nothing fires.
    3. For each due rung not yet fired: record the `Escalation` (its unique key makes a second
       sweep a no-op), append the timeline event, notify (`_recipients`). 提级办理 (L5) also
       suggests 挂牌督办 (L6) for a leader to decide.
    4. Move `next_rung_at` to the next rung, and the case to its current rung.
    """
    with transaction.atomic():
        case_id = Deadline.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        if case_id is None:
            return 0
        case = _for_update(Case.objects.filter(pk=case_id)).first()
        if case is None:
            return 0
        deadline = _for_update(
            Deadline.objects.pending().filter(pk=pk, next_rung_at__lte=now)
        ).first()
        if deadline is None:
            return 0
        if deadline.for_state not in (case.state, deadlines.ANY_STATE):
            deadline.status, deadline.closed_at = DeadlineStatus.CANCELLED, now
            deadline.next_rung_at = None
            deadline.save(update_fields=["status", "closed_at", "next_rung_at"])
            return 0
        ladder = case.case_type.ladder_for(deadline)
        fired = set(deadline.fired_rungs or [])
        count = 0
        for scheduled in deadlines.ladder_schedule(deadline, ladder):
            if scheduled.rung in fired or scheduled.at > now:
                continue
            count += _fire_rung(case, deadline, Rung(scheduled.rung), scheduled.at, now=now)
            fired.add(scheduled.rung)
        deadline.fired_rungs = sorted(fired)
        deadline.next_rung_at = deadlines.next_rung_at(deadline, ladder)
        deadline.attempts, deadline.last_error = 0, ""
        deadline.save(update_fields=["fired_rungs", "next_rung_at", "attempts", "last_error"])
        # The level is a reading of the deadlines, not a state change: no transition, no
        # FSM method, and only this column is written (the case row is locked).
        deadlines.refresh_case_due(case)
        case.save(update_fields=["escalation_level"])
    return count


#: The automatic rungs that produce an official notice.
RUNG_NOTICES = {Rung.CHASE: NoticeKind.CHASE, Rung.SUPERVISE: NoticeKind.SUPERVISE}


def _fire_rung(
    case: Case, deadline: Deadline, rung: Rung, scheduled_at: dt.datetime, *, now: dt.datetime
) -> int:
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                case=case,
                deadline=deadline,
                rung=rung,
                status=EscalationStatus.FIRED,
                scheduled_at=scheduled_at,
                # Dated when it really fired: after an outage, later than `scheduled_at`.
                created_at=now,
            )
    except IntegrityError:
        return 0  # fired already (a redelivered task, a sweep that got here first)
    with in_record_language():
        label = str(rung.label)
        message = _("%(no)s %(title)s：%(rung)s，%(deadline)s到期日 %(due)s") % {
            "no": case.case_no,
            "title": case.title[:60],
            "rung": label,
            "deadline": deadline.label,
            "due": f"{deadline.due_date:%Y-%m-%d}",
        }
    _announce(
        case,
        escalation,
        message,
        payload={"rung": int(rung), "label": label, "due_date": deadline.due_date.isoformat()},
        params={"due_date": f"{deadline.due_date:%Y-%m-%d}"},
        now=now,
    )
    if rung == Rung.ELEVATE:
        _suggest(case, deadline, Rung.LISTED, now=now)
    return 1


def escalate_case(case: Case, rung: Rung, *, reason: str, now: dt.datetime) -> Escalation:
    """Fire a rung on the case itself rather than on a deadline: the 2nd repeat complaint → 督办,
    the 3rd → 提级办理 (DESIGN.md §5). Call with the case row locked (inside the caller's write).

    The rung is told and documented as a timed one is (event, notifications, 《督办单》), and it
    becomes the case's floor: the level shown never drops below it while the case is open.
    `reason` is in record language.
    """
    escalation = Escalation.objects.create(
        case=case,
        rung=rung,
        status=EscalationStatus.FIRED,
        scheduled_at=now,
        created_at=now,
        note=reason,
    )
    with in_record_language():
        label = str(rung.label)
        message = _("%(no)s %(title)s：%(rung)s（%(reason)s）") % {
            "no": case.case_no,
            "title": case.title[:60],
            "rung": label,
            "reason": reason,
        }
    _announce(
        case,
        escalation,
        message,
        payload={"rung": int(rung), "label": label, "reason": reason},
        params={"due_date": ""},
        now=now,
    )
    case.escalation_floor = max(case.escalation_floor, int(rung))
    if case.escalation_level < case.escalation_floor:
        case.escalation_level = case.escalation_floor
    case.save(update_fields=["escalation_floor", "escalation_level"])
    if rung == Rung.ELEVATE:
        _suggest(case, None, Rung.LISTED, now=now)
    return escalation


def _announce(
    case: Case,
    escalation: Escalation,
    message: str,
    *,
    payload: dict[str, Any],
    params: dict[str, str],
    now: dt.datetime,
) -> None:
    """A fired rung's timeline event, notifications and official notice."""
    rung = Rung(escalation.rung)
    event = append_event(
        case,
        transition="escalate",
        from_state=case.state,
        actor=None,
        actor_role="system",
        note="",
        payload=payload,
        files=[],
        now=now,
    )
    # The rung's own notifications below are the news; the event needs no state-change message.
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=now)
    notify(
        case,
        _recipients(case, rung),
        message,
        now=now,
        escalation=escalation,
        urgent=rung >= URGENT_FROM,
        template_code="ESCALATION",
        params={"case_no": case.case_no, "rung": str(payload["label"]), **params},
    )
    _issue_rung_notice(case, rung, escalation, now=now)


def _issue_rung_notice(case: Case, rung: Rung, escalation: Escalation, *, now: dt.datetime) -> None:
    """DESIGN.md §5: 催办 (L3) produces a 《催办通知书》, 督办 (L4) a 《督办单》 that demands a
    written reply. Both go to the responsible unit, numbered, on the case's timeline."""
    from workflow.notices import issue_notice  # notices renders documents: imported when used

    kind = RUNG_NOTICES.get(rung)
    if kind is None or case.responsible_unit is None:
        return
    response_due = None
    if kind == NoticeKind.SUPERVISE:
        days = int(getattr(settings, "ECOLOOP_SUPERVISION_REPLY_WORKDAYS", 5))
        response_due = calendar.add_workdays(calendar.local_date(now), days).date
    issue_notice(
        case,
        kind,
        actor=None,
        addressee=case.responsible_unit,
        escalation=escalation,
        response_due=response_due,
        now=now,
        notify_event=False,
    )


def _suggest(case: Case, deadline: Deadline | None, rung: Rung, *, now: dt.datetime) -> None:
    """A leader rung the ladder proposes; a leader issues or dismisses it later."""
    try:
        with transaction.atomic():
            Escalation.objects.create(
                case=case,
                deadline=deadline,
                rung=rung,
                status=EscalationStatus.SUGGESTED,
                scheduled_at=now,
                created_at=now,
            )
    except IntegrityError:
        pass


# --- who is told --------------------------------------------------------------------------------


def _ancestors(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit above it, from its materialised path."""
    return Unit.objects.filter(code__in=[code for code in unit.path.split("/") if code])


def _recipients(case: Case, rung: Rung) -> QuerySet[Any]:
    """The people the rung's rule names (`EscalationRule.audience`), in one query."""
    rule = next((r for r in case.case_type.ladder if r.rung == rung), None)
    audience = rule.audience if rule is not None else frozenset({Audience.HANDLER})
    unit = case.responsible_unit
    jurisdiction = case.jurisdiction
    who = Q(pk__in=[])
    if Audience.HANDLER in audience:
        if case.assignee_id:
            who |= Q(pk=case.assignee_id)
        elif unit is not None:
            who |= Q(groups__name=Role.HANDLER, staff__unit=unit)
        else:
            who |= Q(groups__name=Role.DISPATCHER, staff__unit=jurisdiction)
    if Audience.UNIT in audience and unit is not None:
        who |= Q(groups__name=Role.HANDLER, staff__unit=unit)
    if Audience.UNIT_HEADS in audience and unit is not None:
        supervised = [unit.pk]
        # A unit outside every bureau has its own supervisors only.
        with contextlib.suppress(ValueError):
            supervised.append(unit.region().pk)
        who |= Q(groups__name=Role.SUPERVISOR, staff__unit__in=supervised)
    if Audience.PARENT_UNIT in audience and unit is not None and unit.parent_id:
        who |= Q(groups__name=Role.SUPERVISOR, staff__unit=unit.parent_id)
    if Audience.LEADERS in audience:
        who |= Q(groups__name=Role.LEADER, staff__unit__in=_ancestors(jurisdiction))
    if Audience.DISPATCHERS in audience:
        who |= Q(groups__name=Role.DISPATCHER, staff__unit=jurisdiction)
    User = get_user_model()
    ids = User.objects.filter(who, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).select_related("staff").order_by("pk")


# --- pause and resume ---------------------------------------------------------------------------


def _locked_pending(deadline: Deadline) -> tuple[Case, Deadline]:
    case = Case.objects.select_for_update().get(pk=deadline.case_id)
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.status != DeadlineStatus.PENDING:
        raise ValueError(f"deadline {locked.pk} is not pending")
    return case, locked


def pause_deadline(deadline: Deadline, *, reason: str, now: dt.datetime) -> Deadline:
    """Stop a deadline's clock (中止, 听证, 鉴定, 公告, 送达): no rung fires while it is paused."""
    with transaction.atomic():
        case, locked = _locked_pending(deadline)
        if deadlines.is_paused(locked):
            return locked
        locked.paused_intervals = [
            *locked.paused_intervals,
            {"from": now.isoformat(), "to": None, "reason": reason},
        ]
        locked.next_rung_at = None
        locked.save(update_fields=["paused_intervals", "next_rung_at"])
        append_event(
            case,
            transition="deadline_paused",
            from_state=case.state,
            actor=None,
            actor_role="system",
            note="",
            payload={"deadline": locked.label, "reason": reason},
            files=[],
            now=now,
        )
    return locked


def resume_deadline(deadline: Deadline, *, now: dt.datetime) -> Deadline:
    """Restart the clock; the due date moves on by the days the clock stood still.

    The paused span is counted on the deadline's own clock, in whole days between the Beijing
    dates of pause and resume: working days for a working-day period, calendar days otherwise
    (a pause within one day moves nothing); a deadline counted in hours moves on by exactly the
    time it stood still. Rungs already fired stay fired; the rest are planned against the new
    date.
    """
    with transaction.atomic():
        case, locked = _locked_pending(deadline)
        if not deadlines.is_paused(locked):
            return locked
        *closed, current = locked.paused_intervals
        paused_from = calendar.local_date(dt.datetime.fromisoformat(current["from"]))
        resumed_on = calendar.local_date(now)
        due: calendar.DueDate | None = None
        if locked.clock == DeadlineClock.HOURS:
            # Counted to the minute: the limit moves on by exactly the time it stood still.
            paused_at = dt.datetime.fromisoformat(current["from"])
            locked.due_at += now - paused_at
            locked.due_date = calendar.last_day(locked.due_at)
            locked.warn_at = deadlines.warn_at(
                locked.starts_at, locked.due_date, hours_until=locked.due_at
            )
        elif locked.clock == "workdays":
            span = _workdays_between(paused_from, resumed_on)
            due = calendar.add_workdays(locked.due_date, span) if span else None
        else:
            span = (resumed_on - paused_from).days
            due = calendar.add_days(locked.due_date, span) if span else None
        if due is not None:
            locked.due_date = due.date
            locked.due_at = calendar.end_of_day(due.date)
            locked.warn_at = deadlines.warn_at(locked.starts_at, due.date)
            locked.provisional = locked.provisional or due.provisional
        locked.paused_intervals = [*closed, {**current, "to": now.isoformat()}]
        locked.next_rung_at = deadlines.next_rung_at(locked, case.case_type.ladder_for(locked))
        locked.save(
            update_fields=[
                "paused_intervals",
                "next_rung_at",
                "due_date",
                "due_at",
                "warn_at",
                "provisional",
            ]
        )
        deadlines.refresh_case_due(case)
        case.save(update_fields=["due_at", "warn_at", "due_provisional", "escalation_level"])
        append_event(
            case,
            transition="deadline_resumed",
            from_state=case.state,
            actor=None,
            actor_role="system",
            note="",
            payload={"deadline": locked.label, "due_date": locked.due_date.isoformat()},
            files=[],
            now=now,
        )
    return locked


def _workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count
