"""The leader rungs of the ladder (DESIGN.md §5, L6–L9) and the 约谈 ledger.

The ladder only *suggests* a leader rung (L5 提级办理 proposes 挂牌督办); a leader of the case's
bureau issues or dismisses it here, with a note, or takes a rung directly on a case. Each service
locks the case, checks who may, writes, and appends the timeline event, as `transition_case` does.

* L6 挂牌督办 → a 挂牌督办通知 with a written response due (default 6 months);
* L7 约谈 → a 约谈通知书 and a `YuetanRecord` whose rectification report is due in 30 days;
* L8 通报 → a 通报 to the responsible unit;
* L9 问责建议 → a referral recorded as an `Escalation` and a timeline event: no notice kind exists
  for it (the referral letter to the discipline body is written outside the system).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workflow import calendar, deadlines
from workflow.models import Case, Deadline, Escalation, Notice, NoticeKind, Unit
from workflow.models.deadline import DeadlineStatus
from workflow.models.escalation import EscalationStatus, Rung
from workflow.models.event import CaseEvent
from workflow.models.notice import YuetanRecord, YuetanSubject
from workflow.models.unit import unit_of
from workflow.notices import issue_notice
from workflow.permissions import can_view_case, in_jurisdiction, is_leader
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import CaseNotFound, InvalidTransition, TransitionDenied, append_event

#: The rungs a leader decides, in ladder order.
LEADER_RUNGS = (Rung.LISTED, Rung.TALK, Rung.CIRCULAR, Rung.ACCOUNTABILITY)
#: The notice each leader rung issues; 问责建议 (L9) has none.
LEADER_RUNG_NOTICES = {
    Rung.LISTED: NoticeKind.LISTED,
    Rung.TALK: NoticeKind.TALK,
    Rung.CIRCULAR: NoticeKind.CIRCULAR,
}
YUETAN_DEADLINE_KIND = "yuetan_report"

may_lead = is_leader & in_jurisdiction
rules.add_rule("workflow.lead_escalation", may_lead)


def can_escalate(user: Any, case: Case) -> bool:
    """A leader of the case's bureau (or a bureau above it) decides the leader rungs."""
    return bool(rules.test_rule("workflow.lead_escalation", user, case))


def _required(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidTransition(_("请填写说明。"), {"note": [_("请填写说明。")]})
    return note


def _locked_case(case_id: int, actor: Any) -> Case:
    try:
        case = Case.objects.select_for_update().get(pk=case_id)
    except Case.DoesNotExist:
        raise CaseNotFound(_("案件不存在或您无权查看。")) from None
    if not can_view_case(actor, case):
        raise CaseNotFound(_("案件不存在或您无权查看。"))
    if not can_escalate(actor, case):
        raise TransitionDenied(_("只有本级或上级局领导可以决定挂牌督办、约谈、通报和问责建议。"))
    return case


def _addressee(case: Case) -> Unit:
    return case.responsible_unit or case.jurisdiction


def _leader_event(
    case: Case, transition: str, rung: Rung, *, actor: Any, note: str, now: dt.datetime
) -> CaseEvent:
    """A leader's decision on the timeline, marked delivered: it tells nobody by itself."""
    with in_record_language():
        label = str(rung.label)
    event = append_event(
        case,
        transition=transition,
        from_state=case.state,
        actor=actor,
        actor_role=Role.LEADER.value,
        note=note,
        payload={"rung": int(rung), "label": label},
        files=[],
        now=now,
    )
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=now)
    return event


def _apply_rung(
    case: Case, escalation: Escalation, *, actor: Any, note: str, now: dt.datetime
) -> Notice | None:
    """Raise the case to the rung, append the event, and issue the rung's notice (if any)."""
    rung = Rung(escalation.rung)
    # The notice issued below is the news; the decision's event needs no message of its own.
    _leader_event(case, "escalate", rung, actor=actor, note=note, now=now)
    if case.escalation_level < rung:
        case.escalation_level = int(rung)
        case.save(update_fields=["escalation_level"])
    kind = LEADER_RUNG_NOTICES.get(rung)
    if kind is None:
        return None
    response_due = None
    if rung == Rung.LISTED:
        days = int(getattr(settings, "ECOLOOP_LISTED_RESPONSE_DAYS", 183))
        response_due = calendar.add_days(calendar.local_date(now), days).date
    notice = issue_notice(
        case,
        kind,
        actor=actor,
        addressee=_addressee(case),
        response_due=response_due,
        escalation=escalation,
        now=now,
    )
    if rung == Rung.TALK:
        _create_yuetan(
            case,
            actor=actor,
            unit=_addressee(case),
            subject_type=YuetanSubject.UNIT,
            official="",
            enterprise="",
            reason=note,
            held_on=calendar.local_date(now),
            minutes="",
            notice=notice,
            now=now,
        )
    return notice


def decide_suggestion(
    escalation: Escalation,
    *,
    actor: Any,
    issue: bool,
    note: str,
    now: dt.datetime,
    rung: Rung | int | None = None,
) -> Notice | None:
    """签发 or 不予采纳 a leader rung the ladder suggested. Returns the notice issued, if any.

    1. Lock the case, then the suggestion; refuse an outsider (404) or a non-leader (403).
    2. Refuse a suggestion already decided, and a decision without a note.
    3. Issue: the suggestion becomes ISSUED (at `rung` when the leader chose another leader rung,
       e.g. 约谈 instead of 挂牌督办), the case rises to it, and its notice is issued.
       Dismiss: it becomes DISMISSED, and the timeline says so; nothing is issued.
    """
    with transaction.atomic():
        case = _locked_case(escalation.case_id, actor)
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if locked.status != EscalationStatus.SUGGESTED:
            raise InvalidTransition(_("该督办建议已处理。"))
        note = _required(note)
        locked.decided_at, locked.decided_by, locked.note = now, actor, note
        if not issue:
            locked.status = EscalationStatus.DISMISSED
            locked.save(update_fields=["status", "decided_at", "decided_by", "note"])
            _leader_event(
                case, "escalation_dismissed", Rung(locked.rung), actor=actor, note=note, now=now
            )
            return None
        chosen = Rung(rung if rung is not None else locked.rung)
        if chosen not in LEADER_RUNGS:
            raise InvalidTransition(_("只能签发挂牌督办、约谈、通报或问责建议。"))
        locked.status, locked.rung = EscalationStatus.ISSUED, int(chosen)
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "rung", "decided_at", "decided_by", "note"])
        except IntegrityError:
            raise InvalidTransition(_("本期限已签发过该级别的督办。")) from None
        return _apply_rung(case, locked, actor=actor, note=note, now=now)


def escalate_by_leader(
    case: Case, rung: Rung | int, *, actor: Any, note: str, now: dt.datetime
) -> Escalation:
    """A leader takes a leader rung (L6–L9) directly on a case, without a suggestion."""
    rung = Rung(rung)
    if rung not in LEADER_RUNGS:
        raise InvalidTransition(_("只能签发挂牌督办、约谈、通报或问责建议。"))
    with transaction.atomic():
        locked = _locked_case(case.pk, actor)
        note = _required(note)
        # No deadline: a leader's decision is about the case (the unique key spares it).
        escalation = Escalation.objects.create(
            case=locked,
            rung=rung,
            status=EscalationStatus.ISSUED,
            scheduled_at=now,
            created_at=now,
            decided_at=now,
            decided_by=actor,
            note=note,
        )
        _apply_rung(locked, escalation, actor=actor, note=note, now=now)
    return escalation


# --- the 约谈 ledger --------------------------------------------------------------------------


def _create_yuetan(
    case: Case | None,
    *,
    actor: Any,
    unit: Unit,
    subject_type: str,
    official: str,
    enterprise: str,
    reason: str,
    held_on: dt.date,
    minutes: str,
    now: dt.datetime,
    notice: Notice | None = None,
) -> YuetanRecord:
    days = int(getattr(settings, "ECOLOOP_YUETAN_REPORT_DAYS", 30))
    due = calendar.add_days(held_on, days)
    record = YuetanRecord.objects.create(
        case=case,
        subject_type=subject_type,
        unit=unit,
        official=official,
        enterprise=enterprise,
        reason=reason,
        held_on=held_on,
        minutes=minutes,
        report_due=due.date,
        notice=notice,
        created_by=actor,
        created_at=now,
    )
    if case is not None:
        with in_record_language():
            label = _("约谈整改报告期限")
            basis = _("约谈后%(days)d日内报送整改报告") % {"days": days}
        deadlines.plan_standing_deadline(
            case,
            kind=YUETAN_DEADLINE_KIND,
            label=label,
            basis=basis,
            due_date=due.date,
            now=now,
        )
    return record


def record_yuetan(
    case: Case | None,
    *,
    actor: Any,
    unit: Unit,
    subject_type: str,
    official: str = "",
    enterprise: str = "",
    reason: str,
    held_on: dt.date,
    minutes: str = "",
    now: dt.datetime,
) -> YuetanRecord:
    """Enter a 约谈 in the ledger; its rectification report is due 30 calendar days after it
    was held (rolled forward past a rest day), a Deadline of the case when it has one."""
    if not (reason or "").strip():
        raise InvalidTransition(_("请填写约谈事由。"), {"reason": [_("请填写约谈事由。")]})
    with transaction.atomic():
        if case is not None:
            case = _locked_case(case.pk, actor)
            with in_record_language():
                talk = str(Rung.TALK.label)
            append_event(
                case,
                transition="yuetan_recorded",
                from_state=case.state,
                actor=actor,
                actor_role=Role.LEADER.value,
                note=reason.strip(),
                payload={"label": talk},
                files=[],
                now=now,
            )
        else:
            leader_unit = unit_of(actor)
            if not (is_leader(actor) and leader_unit and unit.is_within(leader_unit)):
                raise TransitionDenied(_("只有本级或上级局领导可以登记约谈。"))
        return _create_yuetan(
            case,
            actor=actor,
            unit=unit,
            subject_type=subject_type,
            official=official,
            enterprise=enterprise,
            reason=reason.strip(),
            held_on=held_on,
            minutes=minutes,
            now=now,
        )


def receive_yuetan_report(record: YuetanRecord, *, actor: Any, now: dt.datetime) -> YuetanRecord:
    """The rectification report came in: the record and its deadline are closed."""
    with transaction.atomic():
        locked = YuetanRecord.objects.select_for_update().get(pk=record.pk)
        leader_unit = unit_of(actor)
        if not (is_leader(actor) and leader_unit and locked.unit.is_within(leader_unit)):
            raise TransitionDenied(_("只有本级或上级局领导可以登记整改报告。"))
        if locked.report_received_at is not None:
            return locked
        locked.report_received_at = now
        locked.save(update_fields=["report_received_at"])
        if locked.case_id is not None:
            deadlines_qs = Deadline.objects.pending().filter(
                case_id=locked.case_id, kind=YUETAN_DEADLINE_KIND, due_date=locked.report_due
            )
            pending = deadlines_qs.order_by("pk").first()
            if pending is not None:
                late = now > pending.due_at
                pending.status = DeadlineStatus.LATE if late else DeadlineStatus.MET
                pending.closed_at = now
                pending.next_rung_at = None
                pending.save(update_fields=["status", "closed_at", "next_rung_at"])
    return locked


def yuetan_count(unit: Unit, year: int) -> int:
    """约谈 of a unit in a calendar year."""
    return YuetanRecord.objects.filter(unit=unit, held_on__year=year).count()


def disqualified_from_excellence(unit: Unit, year: int) -> bool:
    """一年内被约谈两次及以上，取消年度评优资格 — a local rule; the threshold is a setting."""
    threshold = int(getattr(settings, "ECOLOOP_YUETAN_DISQUALIFY_AT", 2))
    return yuetan_count(unit, year) >= threshold


# --- reads for the console ---------------------------------------------------------------------


def suggestions_for(user: Any) -> QuerySet[Escalation]:
    """The suggested leader rungs of the cases in the user's jurisdiction, oldest first."""
    unit = unit_of(user)
    if unit is None or not is_leader(user):
        return Escalation.objects.none()
    return (
        Escalation.objects.filter(
            status=EscalationStatus.SUGGESTED, case__jurisdiction__path__startswith=unit.path
        )
        .select_related("case", "case__responsible_unit", "deadline")
        .order_by("created_at", "pk")
    )


def yuetan_ledger(user: Any) -> QuerySet[YuetanRecord]:
    unit = unit_of(user)
    if unit is None or not is_leader(user):
        return YuetanRecord.objects.none()
    return (
        YuetanRecord.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit", "case", "notice")
        .order_by("-held_on", "-pk")
    )
