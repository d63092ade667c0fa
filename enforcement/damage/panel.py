"""The damage case's panel on the console's case page (`CaseType.detail_context`).

Like the enforcement panel it puts the next legal step first: a stepper of the claim (线索 → 筛查
→ 初步核查 → 立案启动 → 调查 → 鉴定评估 → 磋商 → 协议/诉讼 → 修复 → 效果评估 → 结案) with the
current stage, the transitions that lead on and the pending deadlines (the standing 初步核查
period and the state's 磋商/公告/修复 periods) coloured by how close they are. Then the facts of
each stage as far as the case got, and the cases it is linked with (一案双查 both ways).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.damage.forms import COST_ITEMS
from enforcement.models import DamageCase, DamageState
from enforcement.penalties.panel import (
    CURRENT,
    DONE,
    STOPPED,
    TODO,
    Step,
    next_steps,
    pending_deadlines,
)
from workflow.models import Case
from workflow.models.case import CaseLink, CaseState, LinkKind
from workflow.permissions import has_role
from workflow.roles import Role

S = DamageState

#: The stages of a claim and the states in which each is the current one (立案启动 is a moment:
#: done once the case is started, never current).
STEPS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("clue", _("线索"), frozenset({S.CLUE})),
    ("screening", _("筛查"), frozenset({S.EXCLUDED})),
    ("prelim", _("初步核查"), frozenset({S.PRELIM_CHECK, S.NOT_STARTED})),
    ("start", _("立案启动"), frozenset()),
    ("investigation", _("调查"), frozenset({S.INVESTIGATING})),
    ("assessment", _("鉴定评估"), frozenset({S.ASSESSING})),
    ("consultation", _("磋商"), frozenset({S.ASSESSED, S.CONSULTING, S.CONSULTATION_FAILED})),
    (
        "settlement",
        _("协议/诉讼"),
        frozenset({S.AGREEMENT, S.JUDICIAL_CONFIRMATION, S.LITIGATING}),
    ),
    ("remediation", _("修复"), frozenset({S.REMEDIATING})),
    ("evaluation", _("效果评估"), frozenset({S.EFFECT_EVALUATION})),
    ("closing", _("结案"), frozenset({CaseState.CLOSED})),
)
STOP_STATES = frozenset({S.EXCLUDED, S.NOT_STARTED, S.TERMINATED})
KEYS = [key for key, _label, _states in STEPS]


def _terminated_at(case: DamageCase) -> int:
    """终止 can come at any stage after 启动: the furthest stage the case's facts reached."""
    reached = "investigation"
    for key, fact in (
        ("assessment", case.assessment_mode),
        ("consultation", case.consultation_notice_served_at),
        ("settlement", case.agreement_signed_at or case.lawsuit_filed_at),
        ("remediation", case.remediation_started_at),
        ("evaluation", case.state == S.TERMINATED and case.remediation_completed_at),
    ):
        if fact:
            reached = key
    return KEYS.index(reached)


def _stage_index(case: DamageCase) -> int:
    if case.state == S.TERMINATED:
        return _terminated_at(case)
    for index, (_key, _label, states) in enumerate(STEPS):
        if case.state in states:
            return index
    return 0


def claim_steps(case: DamageCase) -> list[Step]:
    current = _stage_index(case)
    stopped = case.state in STOP_STATES
    closed = case.state == CaseState.CLOSED
    steps = []
    for index, (key, label, _states) in enumerate(STEPS):
        if index < current:
            status = DONE
        elif index == current:
            status = STOPPED if stopped else (DONE if closed else CURRENT)
        else:
            status = TODO
        steps.append(Step(key, label, status))
    return steps


def cost_rows(case: DamageCase) -> tuple[list[tuple[Any, Decimal]], Decimal]:
    """The assessment's cost items in the report's order (unknown items after), and the total."""
    labels = dict(COST_ITEMS)
    order = [code for code, _label in COST_ITEMS]
    items = sorted(
        (case.costs or {}).items(),
        key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
    )
    rows: list[tuple[Any, Decimal]] = []
    for code, raw in items:
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            continue
        rows.append((labels.get(code, code), amount))
    return rows, sum((amount for _label, amount in rows), Decimal("0"))


def linked_cases(case: Case, user: Any) -> list[dict[str, Any]]:
    """The cases this claim is linked with (一案双查 and the complaint it came from), both ways,
    as far as the person sees them."""
    links = CaseLink.objects.filter(
        Q(from_case=case) | Q(to_case=case),
        kind__in=[LinkKind.DOUBLE_INVESTIGATION, LinkKind.SPAWNED_FROM],
    ).order_by("pk")
    rows = []
    visible = Case.objects.visible_to(user)
    for link in links:
        outgoing = link.from_case_id == case.pk
        other_id = link.to_case_id if outgoing else link.from_case_id
        other = visible.filter(pk=other_id).first()
        if other is not None:
            rows.append(
                {
                    "case": other.specific,
                    "outgoing": outgoing,
                    "double": link.kind == LinkKind.DOUBLE_INVESTIGATION,
                    "note": link.note,
                }
            )
    return rows


def damage_cases_linked_to(case: Case, user: Any) -> list[DamageCase]:
    """The damage claims linked with another case (an enforcement case's 一案双查, a complaint's
    移送), as far as the person sees them: for those cases' panels."""
    ids = set(
        CaseLink.objects.filter(
            from_case__kind="damage",
            to_case=case,
            kind__in=[LinkKind.DOUBLE_INVESTIGATION, LinkKind.SPAWNED_FROM],
        ).values_list("from_case_id", flat=True)
    ) | set(
        CaseLink.objects.filter(
            to_case__kind="damage",
            from_case=case,
            kind__in=[LinkKind.DOUBLE_INVESTIGATION, LinkKind.SPAWNED_FROM],
        ).values_list("to_case_id", flat=True)
    )
    visible = Case.objects.visible_to(user).filter(pk__in=ids).values("pk")
    found = DamageCase.objects.filter(pk__in=visible).order_by("created_at", "pk")
    return [case for case in found if isinstance(case, DamageCase)]


def damage_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    damage = case.specific
    assert isinstance(damage, DamageCase)
    costs, cost_total = cost_rows(damage)
    meetings = list(damage.meetings.all())
    actor_role = damage.case_type.actors.get(damage.state)
    terminal = damage.state in damage.case_type.terminal_states
    return {
        "case": damage,
        "steps": claim_steps(damage),
        "next_steps": [] if terminal else next_steps(damage, now),
        "actor_role": Role(actor_role).label if actor_role else "",
        "deadlines": [] if terminal else pending_deadlines(damage, now),
        "parties": list(damage.parties.all()),
        "costs": costs,
        "cost_total": cost_total,
        "meetings": meetings,
        "rounds": sorted({m.round for m in meetings}) or [1],
        "max_meetings": int(settings.ECOLOOP_DAMAGE_MAX_MEETINGS),
        "consultation_round": 2 if damage.reconsulted else 1,
        "links": linked_cases(damage, user),
        "can_screen": damage.state == S.CLUE
        and has_role(user, Role.INSPECTOR, Role.LEGAL_REVIEWER, Role.DISPATCHER),
    }
