"""周排名 and 月考核: the score of each responsible unit, its rank, and the immutable snapshot.

The formula (version 1, shown on every snapshot page; weights from ECOLOOP_RANKING_WEIGHTS):

    得分 = 100 × (按期办结率 × w按期 + 满意率 × w满意) ÷ (the weights of the rates it has)
           − 逾期未办件数 × w逾期 − 核查退回次数 × w退回
           − 重复投诉件数 × w重复 − 约谈次数 × w约谈

* a rate the unit has no data for (no deadline closed, no complaint rated) is left out and the
  other rate's weight carries the 100 points; a unit with neither rate and no penalty had no
  cases in the period: it is listed, not ranked ("本期无办件");
* the score is rounded to two decimals (half up) and never below 0;
* ties share a rank and the next rank is skipped (1, 1, 3); tied units are listed by code;
* the 评优 flag: a unit 约谈 ECOLOOP_YUETAN_DISQUALIFY_AT times or more in the year (to the
  period's end) loses its excellence rating, whatever its rank.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from enforcement.assessment.indicators import Indicators, compute, ranked_units
from enforcement.models.assessment import (
    DOUBLED_INDICATORS,
    EmergencyResponse,
    RankingSnapshot,
    SnapshotKind,
)
from enforcement.periods import Period
from workflow import calendar
from workflow.models import Unit
from workflow.querysets import ancestor_codes
from workflow.record_language import in_record_language

FORMULA_VERSION = 1
#: The formula as a snapshot stores and shows it (in the record's language, the same text as the
#: module's docstring says).
FORMULA = gettext_lazy(
    "得分 = 100 ×（按期办结率 × 按期权重 + 满意率 × 满意权重）÷（该单位有数据的比率的权重之和）"
    "− 逾期未办件数 × 逾期扣分 − 核查退回次数 × 退回扣分"
    " − 重复投诉件数 × 重复扣分 − 约谈次数 × 约谈扣分。\n"
    "无数据的比率（本期无到期办结、无评价）不参与计算，其权重由另一比率承担；"
    "两项比率均无数据且无扣分项的单位本期无办件，列出但不排名。\n"
    "得分四舍五入保留两位小数，最低为0。\n"
    "得分相同者名次相同，其后名次顺延（1、1、3），同分单位按单位编码排列。\n"
    "一年内被约谈达到规定次数的单位取消当年评优资格，不论名次。"
)
CENT = Decimal("0.01")


def weights() -> dict[str, Decimal]:
    configured = settings.ECOLOOP_RANKING_WEIGHTS
    return {name: Decimal(str(value)) for name, value in sorted(configured.items())}


def emergencies(scope: Unit, period: Period) -> QuerySet[EmergencyResponse]:
    """The 应急响应期间 of the bureau (or a bureau above it) that overlap the period."""
    return EmergencyResponse.objects.filter(
        region__code__in=ancestor_codes(scope),
        starts_on__lte=period.last,
        ends_on__gte=period.first,
    ).order_by("starts_on", "pk")


def weights_for(scope: Unit, period: Period) -> dict[str, Decimal]:
    """The weights in force for a period: the settings', with the penalty indicators of any
    overlapping 应急响应期间 counted double (once, however many responses overlap)."""
    w = weights()
    doubled = {name for e in emergencies(scope, period) for name in e.indicators}
    for name in sorted(doubled & set(DOUBLED_INDICATORS)):
        w[name] *= 2
    return w


def score(row: Indicators, w: dict[str, Decimal]) -> Decimal | None:
    rates = [(row.on_time_rate, w["on_time"]), (row.satisfaction_rate, w["satisfaction"])]
    present = [(rate, weight) for rate, weight in rates if rate is not None]
    penalty = (
        row.overdue * w["overdue"]
        + row.returns * w["returns"]
        + row.repeats * w["repeats"]
        + row.yuetan * w["yuetan"]
    )
    if not present and not penalty:
        return None
    total_weight = sum(weight for _rate, weight in present)
    base = (
        Decimal(100) * sum(rate * weight for rate, weight in present) / total_weight
        if present and total_weight
        else Decimal(0)
    )
    return max(Decimal(0), base - penalty).quantize(CENT, rounding=ROUND_HALF_UP)


def rank(scores: list[tuple[str, Decimal | None]]) -> dict[str, int | None]:
    """Competition ranking (1, 1, 3) by score, high first; unscored units get no rank."""
    scored = sorted((s for s in scores if s[1] is not None), key=lambda s: (-s[1], s[0]))  # type: ignore[operator]
    ranks: dict[str, int | None] = {code: None for code, value in scores if value is None}
    previous: Decimal | None = None
    current = 0
    for position, (code, value) in enumerate(scored, start=1):
        if value != previous:
            current, previous = position, value
        ranks[code] = current
    return ranks


def rows(scope: Unit, period: Period, *, only: Q | None = None) -> list[dict[str, Any]]:
    """The ranked rows of a period: computed, never read from a snapshot; `only` ranks the
    units on a programme's cases alone (a campaign's), a live reading nobody freezes."""
    w = weights_for(scope, period)
    indicators = compute(scope, period, only=only)
    units = {u.pk: u for u in ranked_units(scope)}
    scored = [(units[pk].code, score(row, w)) for pk, row in indicators.items()]
    ranks = rank(scored)
    result = []
    for pk, row in indicators.items():
        unit = units[pk]
        value = score(row, w)
        result.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "inputs": row.inputs(),
                "on_time_rate": _rate(row.on_time_rate),
                "satisfaction_rate": _rate(row.satisfaction_rate),
                "average_days": None if row.average_days is None else str(row.average_days),
                "score": None if value is None else str(value),
                "rank": ranks[unit.code],
                "excellence_void": row.excellence_void,
            }
        )
    result.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
    return result


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str((value * 100).quantize(CENT, rounding=ROUND_HALF_UP))


def digest(kind: str, scope: Unit, period: Period, formula: str, w: Any, result: Any) -> str:
    canonical = json.dumps(
        {
            "kind": kind,
            "scope": scope.code,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
            "formula": formula,
            "weights": {k: str(v) for k, v in dict(w).items()},
            "rows": result,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class SnapshotMismatch(Exception):
    """A re-run gave other numbers than the stored snapshot (the history was changed)."""


def take(kind: str, scope: Unit, period: Period, *, now: dt.datetime) -> RankingSnapshot:
    """The snapshot of a period: written once; a re-run recomputes and must match it."""
    w = weights_for(scope, period)
    with in_record_language():
        formula = f"v{FORMULA_VERSION}\n{FORMULA}"
    result = rows(scope, period)
    check = digest(kind, scope, period, formula, w, result)
    existing = RankingSnapshot.objects.filter(
        kind=kind, scope=scope, first_day=period.first
    ).first()
    if existing is not None:
        if existing.digest != check:
            raise SnapshotMismatch(f"{existing}: recomputed {check}, stored {existing.digest}")
        return existing
    try:
        with transaction.atomic():
            return RankingSnapshot.objects.create(
                kind=kind,
                scope=scope,
                first_day=period.first,
                last_day=period.last,
                formula=formula,
                weights={k: str(v) for k, v in w.items()},
                rows=result,
                digest=check,
                created_at=now,
            )
    except IntegrityError:  # another worker wrote it first
        return RankingSnapshot.objects.get(kind=kind, scope=scope, first_day=period.first)


def stored_or_taken(kind: str, scope: Unit, period: Period, *, now: dt.datetime) -> RankingSnapshot:
    """The period's snapshot as it was frozen; taken now if the beat has not yet (a document
    built on a ranking reads what was published, never a recomputation)."""
    stored = RankingSnapshot.objects.filter(kind=kind, scope=scope, first_day=period.first).first()
    return stored or take(kind, scope, period, now=now)


def last_week(now: dt.datetime) -> Period:
    """The Monday-to-Sunday week before the one `now` is in."""
    today = calendar.local_date(now)
    return Period.week_of(today - dt.timedelta(days=7))


def last_month(now: dt.datetime) -> Period:
    today = calendar.local_date(now)
    before = today.replace(day=1) - dt.timedelta(days=1)
    return Period.month(before.year, before.month)


def first_workday_of_month(day: dt.date) -> bool:
    first = calendar.next_workday_on_or_after(day.replace(day=1))
    return day == first


def scopes() -> list[Unit]:
    """Every bureau ranks its own units."""
    return list(Unit.objects.regions().filter(active=True).order_by("code"))


def weekly(now: dt.datetime) -> list[RankingSnapshot]:
    """Monday morning: last week's 周排名 of every bureau."""
    period = last_week(now)
    return [take(SnapshotKind.WEEKLY, scope, period, now=now) for scope in scopes()]


def monthly(now: dt.datetime) -> list[RankingSnapshot]:
    """On the month's first working day: last month's 月考核 of every bureau (other days: none)."""
    if not first_workday_of_month(calendar.local_date(now)):
        return []
    period = last_month(now)
    return [take(SnapshotKind.MONTHLY, scope, period, now=now) for scope in scopes()]
