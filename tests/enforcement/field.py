"""Helpers for inspections, enforcement cases and correction orders (the fixtures are in
tests/enforcement/conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from enforcement.complaints.duplicates import target_key
from enforcement.models import (
    CorrectionOrder,
    EnforcementCase,
    Enterprise,
    InspectorCredential,
    SupervisionTier,
)
from enforcement.penalties import services
from enforcement.validators import uscc_check_char
from tests.factories import MONDAY, TZ, make_staff
from workflow.models import Unit
from workflow.roles import Role
from workflow.transitions import transition_case

#: Valid 统一社会信用代码 (check digits computed): for enterprises in tests.
USCCS = (
    "91140100MA0GRXQ536",
    "91140105MA0H1B5K0E",
    "91140105MA0H9C2D1F",
    "91140105MA0JAD3E2T",
)


_serial = itertools.count(1)


def fresh_uscc() -> str:
    """A valid, unused 统一社会信用代码 (the registry requires one per enterprise)."""
    body = f"91140105{next(_serial):09d}"
    return body + uscc_check_char(body)


def make_enterprise(
    unit: Unit,
    *,
    name: str = "太原市晋阳化工有限公司",
    uscc: str = "",
    tier: str = SupervisionTier.KEY,
) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        name_key=target_key(name),
        uscc=uscc or fresh_uscc(),
        address="太原市小店区北格镇工业园区8号",
        jurisdiction=unit,
        tier=tier,
        legal_representative="王建",
        created_at=MONDAY,
        updated_at=MONDAY,
    )


def make_inspector(username: str, unit: Unit, number: str, *roles: Role) -> Any:
    user = make_staff(username, unit, Role.INSPECTOR, *roles, name=username)
    InspectorCredential.objects.create(user=user, number=number)
    return user


def open_clue(
    actor: Any, partner: Any, enterprise: Enterprise, *, now: dt.datetime = MONDAY, **extra: Any
) -> EnforcementCase:
    return services.open_enforcement_case(
        actor=actor,
        title="超标排放水污染物",
        enterprise=enterprise,
        investigators=[actor, partner],
        now=now,
        **extra,
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def file_case(case: EnforcementCase, inspector: Any, head: Any, *, now: dt.datetime) -> Any:
    """线索 → 提请立案 → 批准立案, both at `now`."""
    transition_case(
        case,
        "submit_filing",
        actor=inspector,
        payload={
            "violation_facts": "外排废水化学需氧量超标",
            "violated_provisions": "水污染防治法第十条",
        },
        now=now,
    )
    return transition_case(reload_enf(case), "approve_filing", actor=head, now=now)


def reload_enf(case: Any) -> Any:
    return type(case).objects.get(pk=case.pk)


def issue_order(
    inspector: Any,
    enterprise: Enterprise,
    *,
    served_at: dt.datetime,
    correct_by: dt.date,
    case: EnforcementCase | None = None,
) -> CorrectionOrder:
    return services.issue_correction_order(
        actor=inspector,
        enterprise=enterprise,
        violation="外排废水化学需氧量超标",
        requirement="立即停止超标排放，整改污水处理设施",
        correct_by=correct_by,
        served_at=served_at,
        daily_amount=case.fine_amount if case else None,
        enforcement_case=case,
        now=served_at,
    )


def record_payload(
    inspectors: list[Any],
    *,
    start: str = "2026-09-10T09:00",
    end: str = "2026-09-10T10:00",
    findings: str = "未发现问题",
    problems: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A complete 现场检查笔录 payload: every checklist item answered."""
    from enforcement.inspections.forms import CHECKLIST

    payload: dict[str, Any] = {
        "inspectors": [user.pk for user in inspectors],
        "started_at": start,
        "ended_at": end,
        "location": "厂区污水处理站",
        "on_site_person": "张三 厂长",
        "findings": findings,
    }
    for code, _label in CHECKLIST:
        payload[f"check_{code}"] = "problem" if code in problems else "ok"
    return payload
