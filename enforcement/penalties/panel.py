"""The enforcement case's and the correction order's panels on the console's case page.

The enforcement panel makes the next legal step the obvious one: a stepper of the ordinary
procedure with the current step, the transitions that lead on from this state and who takes
them, and the pending deadlines of the case (the standing 立案/决定/移送/缴款 periods and the
state's own) coloured by how close they are. Documents are one click away once their 文号 exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_fsm import can_proceed

from enforcement.models import (
    CorrectionOrder,
    EnforcementCase,
    EnforcementState,
    PenaltyKind,
)
from enforcement.penalties import documents, services
from workflow import deadlines as deadline_rows
from workflow.models import Case
from workflow.models.case import CaseLink, CaseState, LinkKind
from workflow.models.deadline import Deadline
from workflow.roles import Role
from workflow.transitions import transition_specs

S = EnforcementState

#: The ordinary procedure, step by step, and the states in which each step is the current one.
STEPS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("clue", _("线索"), frozenset({S.CLUE})),
    ("filing", _("立案"), frozenset({S.FILING_REVIEW, S.NOT_FILED})),
    (
        "investigation",
        _("调查"),
        frozenset({S.INVESTIGATING, S.SUSPENDED, S.POLICE_REVIEW, S.POLICE_TRANSFER, S.TERMINATED}),
    ),
    ("review", _("案审/法制审核"), frozenset({S.CASE_REVIEW})),
    ("notice", _("事先告知"), frozenset({S.NOTICE_SERVED})),
    ("hearing", _("（听证）"), frozenset({S.HEARING_REQUESTED, S.HEARING_SCHEDULED})),
    ("decision", _("决定"), frozenset({S.DECISION_PENDING})),
    ("service", _("送达"), frozenset({S.DECIDED})),
    ("performance", _("履行"), frozenset({S.EXECUTING, S.COURT})),
    ("closing", _("结案"), frozenset({S.PERFORMED, CaseState.CLOSED})),
)

DONE, CURRENT, TODO, SKIPPED, STOPPED = "done", "current", "todo", "skipped", "stopped"


@dataclass(frozen=True)
class Step:
    key: str
    label: Any
    status: str


def _step_index(case: EnforcementCase) -> int:
    if case.state == CaseState.CLOSED and case.decided_at is None:
        # 不予处罚 closes the case right after 案审.
        return len(STEPS) - 1
    for index, (_key, _label, states) in enumerate(STEPS):
        if case.state in states:
            return index
    return 0


def procedure_steps(case: EnforcementCase) -> list[Step]:
    current = _step_index(case)
    stopped = case.state in (S.NOT_FILED, S.TERMINATED)
    closed = case.state == CaseState.CLOSED
    steps = []
    for index, (key, label, _states) in enumerate(STEPS):
        if index < current:
            status = DONE
            if key == "hearing" and case.hearing_requested_at is None:
                status = SKIPPED
            if closed and case.decided_at is None and index > 3:
                status = SKIPPED  # 不予处罚: no notice, decision or performance
        elif index == current:
            status = STOPPED if stopped else (DONE if closed else CURRENT)
        else:
            status = TODO
        steps.append(Step(key, label, status))
    return steps


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    tone: str
    paused: bool
    standing: bool


def deadline_tone(deadline: Deadline, now: dt.datetime, *, paused: bool) -> str:
    """Red once due, amber from the warning moment; a paused clock is neither."""
    if paused:
        return "paused"
    if now > deadline.due_at:
        return "overdue"
    if now >= deadline.warn_at:
        return "warning"
    return "ok"


def pending_deadlines(case: Case, now: dt.datetime) -> list[DeadlineRow]:
    """The standing periods and the current state's deadlines that are still running."""
    rows = (
        Deadline.objects.pending()
        .filter(case=case)
        .filter(Q(for_state=deadline_rows.ANY_STATE) | Q(for_state=case.state))
        .order_by("due_at", "pk")
    )
    result = []
    for row in rows:
        paused = deadline_rows.is_paused(row)
        result.append(
            DeadlineRow(
                row,
                deadline_tone(row, now, paused=paused),
                paused,
                row.for_state == deadline_rows.ANY_STATE,
            )
        )
    return result


def next_steps(case: Case, now: dt.datetime) -> list[Any]:
    """The transitions that lead on from this state (whoever may take them): the law's next
    steps, shown even to a person who is not the one to act."""
    case.__dict__["transition_now"] = now
    specs = [
        spec for name, spec in transition_specs(case).items() if can_proceed(getattr(case, name))
    ]
    # Steps that move the case on first; the in-place records (延长, 记录) after them.
    return sorted(specs, key=lambda s: (s.target in ("None", ""), s.style != "primary"))


def decision_pauses(case: EnforcementCase) -> list[dict[str, Any]]:
    """The intervals the 90-day decision period stood still (中止, 听证)."""
    row = Deadline.objects.filter(case=case, kind=services.DECISION).order_by("-starts_at").first()
    if row is None:
        return []
    return [
        {
            "start": dt.datetime.fromisoformat(interval["from"]),
            "end": dt.datetime.fromisoformat(interval["to"]) if interval.get("to") else None,
            "reason": interval.get("reason", ""),
        }
        for interval in row.paused_intervals
    ]


def double_links(case: Case, user: Any) -> list[dict[str, Any]]:
    """一案双查 links in both directions, to cases the person may see."""
    visible = Case.objects.visible_to(user)
    links = CaseLink.objects.filter(
        Q(from_case=case) | Q(to_case=case), kind=LinkKind.DOUBLE_INVESTIGATION
    ).select_related("from_case", "to_case")
    rows = []
    for link in links:
        outgoing = link.from_case_id == case.pk
        other = link.to_case if outgoing else link.from_case
        if visible.filter(pk=other.pk).exists():
            rows.append({"case": other, "outgoing": outgoing, "note": link.note})
    return rows


def enforcement_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    enforcement = case.specific
    assert isinstance(enforcement, EnforcementCase)
    orders = list(
        CorrectionOrder.objects.filter(enforcement_case=enforcement).order_by("served_at", "pk")
    )
    visible = Case.objects.visible_to(user)
    source_complaint = (
        visible.filter(pk=enforcement.source_complaint_id).first()
        if enforcement.source_complaint_id
        else None
    )
    source_inspection = (
        visible.filter(pk=enforcement.source_inspection_id).first()
        if enforcement.source_inspection_id
        else None
    )
    actor_role = enforcement.case_type.actors.get(enforcement.state)
    return {
        "case": enforcement,
        "investigators": list(
            enforcement.investigators.select_related("credential").order_by("pk")
        ),
        "steps": procedure_steps(enforcement),
        "next_steps": [] if enforcement.closed_at else next_steps(enforcement, now),
        "actor_role": Role(actor_role).label if actor_role else "",
        "deadlines": pending_deadlines(enforcement, now),
        "pauses": decision_pauses(enforcement),
        "penalty_kinds": pgettext("list separator", "、").join(
            str(PenaltyKind(k).label) for k in enforcement.penalty_kinds
        ),
        "documents": [
            (doc, label)
            for doc, label in (
                (documents.FILING, _("立案审批表")),
                (documents.NOTICE, _("行政处罚事先告知书")),
                (documents.DECISION, _("行政处罚决定书")),
            )
            if documents.issued(enforcement, doc)
        ],
        "orders": orders,
        "penalty_days": services.daily_penalty_days(orders),
        "source_complaint": source_complaint,
        "source_inspection": source_inspection,
        "double_links": double_links(enforcement, user),
        # 一案双查: a case handler of the jurisdiction opens the linked damage clue in one action.
        "can_refer_damage": bool(rules.test_rule("enforcement.damage_handle", user, enforcement)),
        "can_order": bool(
            enforcement.enterprise_id
            and not enforcement.closed_at
            and user.pk in {u.pk for u in enforcement.investigators.all()}
        ),
    }


def correction_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    order = case.specific
    assert isinstance(order, CorrectionOrder)
    visible = Case.objects.visible_to(user)
    previous = (
        visible.filter(pk=order.previous_order_id).first() if order.previous_order_id else None
    )
    following = CorrectionOrder.objects.filter(previous_order=order).first()
    if following is not None and not visible.filter(pk=following.pk).exists():
        following = None
    recheck = Deadline.objects.pending().filter(case=order, kind="recheck").order_by("pk").first()
    return {
        "order": order,
        "previous": previous,
        "next": following,
        "recheck": (
            DeadlineRow(recheck, deadline_tone(recheck, now, paused=False), False, False)
            if recheck is not None
            else None
        ),
        "enforcement_case": (
            visible.filter(pk=order.enforcement_case_id).first()
            if order.enforcement_case_id
            else None
        ),
    }
