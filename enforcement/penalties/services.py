"""Opening enforcement cases and correction orders, and the clocks their transitions move.

The 立案 period (15 days from the lead, +15 once) and the decision period (90 days from 立案,
paused while 中止 or during a hearing, extended by the head and by collective discussion) run
through several states: they are standing main deadlines, planned, paused, moved and closed
here, inside `transition_case`'s transaction (`after_transition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.models import (
    ClueSource,
    Complaint,
    CorrectionOrder,
    EnforcementCase,
    Enterprise,
    Inspection,
)
from enforcement.penalties import numbers
from workflow import calendar, deadlines
from workflow.escalation import pause_deadline, resume_deadline
from workflow.models import Case
from workflow.models.case import Clock, LinkKind
from workflow.models.deadline import Deadline, DeadlineStatus
from workflow.models.unit import unit_of
from workflow.record_language import in_record_language
from workflow.relations import link_cases
from workflow.transitions import InvalidTransition, open_case

FILING = "filing"
DECISION = "decision"
POLICE_TRANSFER = "police_transfer"
PAYMENT = "payment"

#: The periods that run across states: (label, basis) of each, in the record's language when
#: planned.
STANDING: dict[str, tuple[Any, Any]] = {
    FILING: (
        gettext_lazy("立案期限"),
        gettext_lazy("《生态环境行政处罚办法》：发现线索之日起15日内决定是否立案"),
    ),
    DECISION: (
        gettext_lazy("作出处罚决定期限"),
        gettext_lazy(
            "《行政处罚法》第六十条：自立案之日起90日内作出处罚决定（中止、听证期间不计）"
        ),
    ),
    POLICE_TRANSFER: (
        gettext_lazy("移送公安期限"),
        gettext_lazy("《行政执法机关移送涉嫌犯罪案件的规定》第八条：批准移送后24小时内移送"),
    ),
    PAYMENT: (
        gettext_lazy("缴纳罚款期限"),
        gettext_lazy("《行政处罚法》第六十七条：收到处罚决定书之日起15日内缴纳罚款"),
    ),
}


def _plan(case: Case, kind: str, *, due_date: dt.date, now: dt.datetime, **options: Any) -> None:
    with in_record_language():
        label, basis = (str(text) for text in STANDING[kind])
    deadlines.plan_standing_deadline(
        case, kind=kind, label=label, basis=basis, due_date=due_date, now=now, **options
    )


def _working_unit(actor: Any) -> Any:
    unit = unit_of(actor)
    if unit is None:
        raise InvalidTransition(_("您没有所属单位，不能办理执法事项。"))
    return unit


def open_enforcement_case(
    *,
    actor: Any,
    title: str,
    description: str = "",
    enterprise: Enterprise | None = None,
    party_name: str = "",
    party_uscc: str = "",
    party_address: str = "",
    clue_source: str = ClueSource.INSPECTION,
    clue_at: dt.datetime | None = None,
    investigators: Iterable[Any] = (),
    source_inspection: Inspection | None = None,
    source_complaint: Complaint | None = None,
    jurisdiction: Any = None,
    now: dt.datetime,
) -> EnforcementCase:
    """A lead (线索) becomes a case; the 15-day 立案 period starts from when it was found.

    The party is the enterprise when there is one (its registry data are copied: the case keeps
    what they were). The case is linked to the inspection and the complaint it came from, both
    ways (the link shows on both timelines).
    """
    clue_at = clue_at or now
    if clue_at > now:
        raise InvalidTransition(
            _("发现线索时间不能晚于现在。"), {"clue_at": [_("请填写实际时间。")]}
        )
    people = list(investigators)
    if len({p.pk for p in people}) < 2:
        raise InvalidTransition(
            _("案件须由两名以上执法人员承办。"), {"investigators": [_("请选择至少两名执法人员。")]}
        )
    if enterprise is not None:
        party_name = party_name or enterprise.name
        party_uscc = party_uscc or enterprise.uscc
        party_address = party_address or enterprise.address
        jurisdiction = jurisdiction or enterprise.jurisdiction.region()
    if jurisdiction is None:
        jurisdiction = _working_unit(actor).region()
    filing_due = calendar.add_days(calendar.local_date(clue_at), settings.ECOLOOP_FILING_DAYS).date
    with transaction.atomic():
        case = open_case(
            EnforcementCase,
            actor=actor,
            jurisdiction=jurisdiction,
            title=title,
            description=description,
            now=now,
            responsible_unit=_working_unit(actor),
            assignee=actor,
            enterprise=enterprise,
            party_name=party_name,
            party_uscc=party_uscc,
            party_address=party_address,
            legal_representative=enterprise.legal_representative if enterprise else "",
            clue_source=clue_source,
            clue_at=clue_at,
            source_inspection=source_inspection,
            source_complaint=source_complaint,
            filing_due=filing_due,
        )
        assert isinstance(case, EnforcementCase)
        case.investigators.set(people)
        _plan(
            case,
            FILING,
            due_date=filing_due,
            now=now,
            starts_at=clue_at,
            is_main=True,
            length=settings.ECOLOOP_FILING_DAYS,
        )
        _refresh_due(case)
        for origin in (source_complaint, source_inspection):
            if origin is not None:
                link_cases(case, origin, kind=LinkKind.SPAWNED_FROM, actor=actor, now=now)
    return case


def _refresh_due(case: Case) -> None:
    deadlines.refresh_case_due(case)
    case.save(update_fields=["due_at", "warn_at", "due_provisional", "escalation_level"])


def _pending(case: Case, kind: str) -> Deadline | None:
    return (
        Deadline.objects.pending()
        .filter(case=case, for_state=deadlines.ANY_STATE, kind=kind)
        .first()
    )


def after_transition(case: Case, name: str, from_state: str, actor: Any, now: dt.datetime) -> None:
    assert isinstance(case, EnforcementCase)
    region = case.jurisdiction
    if name == "extend_filing":
        assert case.filing_due is not None
        deadlines.move_standing_deadline(case, kind=FILING, due_date=case.filing_due, now=now)
    elif name in ("approve_filing", "reject_filing"):
        deadlines.close_standing_deadline(case, kind=FILING, now=now)
        if name == "approve_filing":
            _file(case, now=now)
    elif name in ("suspend", "request_hearing"):
        deadline = _pending(case, DECISION)
        if deadline is not None:
            with in_record_language():
                reason = (
                    case.get_suspension_reason_display() if name == "suspend" else _("听证期间")
                )
            pause_deadline(deadline, reason=str(reason), now=now)
    elif name in ("resume", "hold_hearing"):
        deadline = _pending(case, DECISION)
        if deadline is not None:
            resumed = resume_deadline(deadline, now=now)
            case.decision_due = resumed.due_date
            case.save(update_fields=["decision_due"])
    elif name == "extend_decision":
        assert case.decision_due is not None
        deadlines.move_standing_deadline(case, kind=DECISION, due_date=case.decision_due, now=now)
    elif name == "approve_police":
        due_at = now + dt.timedelta(hours=24)
        _plan(
            case,
            POLICE_TRANSFER,
            due_date=calendar.local_date(due_at),
            due_at=due_at,
            now=now,
            is_main=True,
        )
    elif name == "transfer_police":
        deadlines.close_standing_deadline(case, kind=POLICE_TRANSFER, now=now)
    elif name == "serve_notice":
        case.notice_no = numbers.document_number(region, numbers.ADVANCE_NOTICE, now)
        case.save(update_fields=["notice_no"])
    elif name in ("decide", "decide_no_penalty"):
        deadlines.close_standing_deadline(case, kind=DECISION, now=now)
        if name == "decide":
            case.decision_no = numbers.document_number(region, numbers.DECISION, now)
            case.save(update_fields=["decision_no"])
    elif name == "serve_decision" and case.payment_due is not None:
        _plan(case, PAYMENT, due_date=case.payment_due, now=now, starts_at=case.served_at)
    elif name == "record_performance":
        deadlines.close_standing_deadline(case, kind=PAYMENT, now=now)
    if case.state in case.case_type.terminal_states:
        # A case that ends owes no period any more (终止 while the decision clock stood still).
        deadlines.close_deadlines(
            case, state=deadlines.ANY_STATE, now=now, status=DeadlineStatus.CANCELLED
        )


def _file(case: EnforcementCase, *, now: dt.datetime) -> None:
    """立案: the 立案审批表 gets its number and the 90-day decision period starts."""
    filed_on = calendar.local_date(now)
    case.filing_no = numbers.document_number(case.jurisdiction, numbers.FILING, now)
    case.decision_due = calendar.add_days(filed_on, settings.ECOLOOP_DECISION_DAYS).date
    case.save(update_fields=["filing_no", "decision_due"])
    _plan(
        case,
        DECISION,
        due_date=case.decision_due,
        now=now,
        is_main=True,
        clock=Clock.DAYS,
        length=settings.ECOLOOP_DECISION_DAYS,
    )


# --- 责令改正 → 复查 -----------------------------------------------------------------------------


def issue_correction_order(
    *,
    actor: Any,
    enterprise: Enterprise,
    violation: str,
    requirement: str,
    correct_by: dt.date,
    served_at: dt.datetime,
    basis: str = "",
    immediate: bool = False,
    daily_amount: Decimal | None = None,
    enforcement_case: EnforcementCase | None = None,
    previous_order: CorrectionOrder | None = None,
    now: dt.datetime,
) -> CorrectionOrder:
    """Serve a 责令改正违法行为决定书: numbered, with its 复查 due 30 days after service."""
    served_on = calendar.local_date(served_at)
    errors: dict[str, list[str]] = {}
    if served_at > now:
        errors["served_at"] = [_("送达时间不能晚于现在。")]
    if correct_by < served_on:
        errors["correct_by"] = [_("改正期限不能早于送达日期。")]
    if errors:
        raise InvalidTransition(_("请检查填写的内容。"), errors)
    recheck_due = calendar.add_days(served_on, settings.ECOLOOP_RECHECK_DAYS).date
    jurisdiction = (
        enforcement_case.jurisdiction if enforcement_case else enterprise.jurisdiction.region()
    )
    with transaction.atomic():
        order = open_case(
            CorrectionOrder,
            actor=actor,
            jurisdiction=jurisdiction,
            title=_("责令%(party)s改正违法行为") % {"party": enterprise.name},
            description=violation,
            now=now,
            responsible_unit=_working_unit(actor),
            assignee=actor,
            enterprise=enterprise,
            enforcement_case=enforcement_case,
            previous_order=previous_order,
            order_no=numbers.document_number(jurisdiction, numbers.CORRECTION, now),
            violation=violation,
            basis=basis,
            requirement=requirement,
            immediate=immediate,
            correct_by=correct_by,
            served_at=served_at,
            recheck_due=recheck_due,
            daily_amount=daily_amount,
        )
        assert isinstance(order, CorrectionOrder)
        for origin in (enforcement_case, previous_order):
            if origin is not None:
                link_cases(order, origin, kind=LinkKind.SPAWNED_FROM, actor=actor, now=now)
    return order


def correction_after_transition(
    case: Case, name: str, from_state: str, actor: Any, now: dt.datetime
) -> None:
    assert isinstance(case, CorrectionOrder)
    reissue = case.__dict__.pop("reissue", None)
    if name == "fail_recheck" and reissue is not None:
        assert case.rechecked_at is not None
        issue_correction_order(
            actor=actor,
            enterprise=case.enterprise,
            violation=case.violation,
            basis=case.basis,
            requirement=reissue["requirement"],
            correct_by=reissue["correct_by"],
            served_at=case.rechecked_at,
            daily_amount=case.daily_amount,
            enforcement_case=case.enforcement_case,
            previous_order=case,
            now=now,
        )


def daily_penalty_days(orders: Iterable[CorrectionOrder]) -> int:
    """按日连续处罚: refusals accumulate (部令28号 第十八条)."""
    return sum(order.penalty_days or 0 for order in orders)
