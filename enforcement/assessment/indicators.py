"""The indicators of each responsible unit over a period, from the record's history only.

Every input is read from rows that do not change once written (closed deadline rows, events,
ratings, 约谈 records), so a period computed today and again next month gives the same numbers:
that is what makes a 周排名 / 月考核 snapshot reproducible.

Per unit (the case's responsible unit), over a period [first 00:00, last 24:00) Beijing:

* 按期办结率 = main deadlines the unit owes (those of the states in which it acts, and the
  periods that run across states) closed in the period on time ÷ those closed in the period (a
  deadline closed by 24:00 of its due date is on time; superseded and cancelled rows and the
  non-main windows — a reporter's rating period — do not count);
* 逾期未办 = cases with a main deadline pending at the period's end and already past due, and the
  oldest such deadline's age in days;
* 平均办理天数 = the mean days from opening to closing of the cases closed in the period;
* 满意率 = complaints rated 满意 or 基本满意 in the period ÷ complaints rated in the period
  (unrated complaints closed by the system do not count);
* 重复投诉 = complaints merged in the period into one the unit is responsible for;
* 核查退回 = verifications failed (退回整改) in the period on the unit's cases;
* 约谈 = 约谈 of the unit held in the period, and whether the year's count so far (to the
  period's end) voids its excellence rating (ECOLOOP_YUETAN_DISQUALIFY_AT).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from enforcement.models import Complaint, Rating
from enforcement.periods import Period
from workflow.case_types import registry
from workflow.deadlines import ANY_STATE
from workflow.models import Case, CaseEvent, Deadline, Unit
from workflow.models.deadline import DeadlineStatus
from workflow.models.notice import YuetanRecord
from workflow.models.unit import REGION_KINDS
from workflow.roles import Role

DAY = Decimal(86400)


@dataclass
class Indicators:
    closed_deadlines: int = 0
    on_time: int = 0
    overdue: int = 0
    overdue_oldest_days: int = 0
    closed_cases: int = 0
    handling_days_total: Decimal = Decimal(0)
    rated: int = 0
    satisfied: int = 0
    repeats: int = 0
    returns: int = 0
    yuetan: int = 0
    yuetan_year: int = 0
    excellence_void: bool = False
    #: The case ids behind each count, for the drill-down (not part of a snapshot's inputs).
    cases: dict[str, list[int]] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.closed_deadlines:
            return None
        return Decimal(self.on_time) / Decimal(self.closed_deadlines)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        if not self.rated:
            return None
        return Decimal(self.satisfied) / Decimal(self.rated)

    @property
    def average_days(self) -> Decimal | None:
        if not self.closed_cases:
            return None
        return (self.handling_days_total / self.closed_cases).quantize(Decimal("0.1"))

    @property
    def has_cases(self) -> bool:
        return bool(self.closed_deadlines or self.overdue or self.closed_cases or self.rated)

    def inputs(self) -> dict[str, Any]:
        """The snapshot's record of this unit's inputs (JSON-safe, no case ids)."""
        data = asdict(self)
        data.pop("cases")
        data["handling_days_total"] = str(self.handling_days_total.quantize(Decimal("0.01")))
        return data


def unit_states() -> set[str]:
    """The states in which the responsible unit acts (signs, rectifies, investigates): only the
    deadlines it owes count for it, not the dispatcher's or the reviewer's."""
    return {
        state
        for case_type in registry
        for state, role in case_type.actors.items()
        if role in (Role.HANDLER, Role.INSPECTOR)
    }


def ranked_units(scope: Unit) -> QuerySet[Unit]:
    """The units ranked within a bureau: its active units that take cases (not the bureaus)."""
    return (
        Unit.objects.subtree_of(scope)
        .filter(active=True)
        .exclude(kind__in=REGION_KINDS)
        .order_by("code")
    )


def compute(
    scope: Unit,
    period: Period,
    *,
    case_kinds: list[str] | None = None,
    only: Q | None = None,
) -> dict[int, Indicators]:
    """{unit id: Indicators} for every ranked unit of `scope` (a unit with no cases included),
    over the cases of `case_kinds` and those `only` selects (a programme's: a 督察 round)."""
    units = list(ranked_units(scope))
    result = {unit.pk: Indicators() for unit in units}
    cases = Case.objects.filter(responsible_unit__in=units)
    if case_kinds:
        cases = cases.filter(kind__in=case_kinds)
    if only is not None:
        cases = cases.filter(only)
    start, end = period.start, period.end

    def add(kind: str, unit_id: int, case_id: int) -> None:
        result[unit_id].cases.setdefault(kind, []).append(case_id)

    owed = Q(for_state__in=unit_states()) | Q(for_state=ANY_STATE)
    closed = Deadline.objects.filter(
        owed,
        case__in=cases,
        is_main=True,
        status__in=[DeadlineStatus.MET, DeadlineStatus.LATE],
        closed_at__gte=start,
        closed_at__lt=end,
    ).values_list("case__responsible_unit_id", "case_id", "status")
    for unit_id, case_id, status in closed:
        row = result[unit_id]
        row.closed_deadlines += 1
        row.on_time += status == DeadlineStatus.MET
        add("closed_deadlines", unit_id, case_id)
        if status == DeadlineStatus.LATE:
            add("late", unit_id, case_id)

    # Pending at the end: started before it, not closed before it, due before it.
    overdue = (
        Deadline.objects.filter(
            owed, case__in=cases, is_main=True, starts_at__lt=end, due_at__lt=end
        )
        .exclude(status=DeadlineStatus.SUPERSEDED)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .values_list("case__responsible_unit_id", "case_id", "due_at")
    )
    oldest: dict[tuple[int, int], int] = {}
    for unit_id, case_id, due_at in overdue:
        days = int((end - due_at).total_seconds() // 86400)
        key = (unit_id, case_id)
        oldest[key] = max(oldest.get(key, 0), days)
    for (unit_id, case_id), days in sorted(oldest.items()):
        row = result[unit_id]
        row.overdue += 1
        row.overdue_oldest_days = max(row.overdue_oldest_days, days)
        add("overdue", unit_id, case_id)

    for unit_id, case_id, opened, closed_at in cases.filter(
        closed_at__gte=start, closed_at__lt=end
    ).values_list("responsible_unit_id", "pk", "created_at", "closed_at"):
        row = result[unit_id]
        row.closed_cases += 1
        assert closed_at is not None
        row.handling_days_total += Decimal((closed_at - opened).total_seconds()) / DAY
        add("closed_cases", unit_id, case_id)

    rated = Complaint.objects.filter(
        case_ptr__in=cases, rated_at__gte=start, rated_at__lt=end
    ).exclude(rating__in=["", Rating.NONE])
    for unit_id, case_id, rating in rated.values_list("responsible_unit_id", "pk", "rating"):
        row = result[unit_id]
        row.rated += 1
        row.satisfied += rating in (Rating.SATISFIED, Rating.BASICALLY)
        add("rated", unit_id, case_id)

    merges = CaseEvent.objects.filter(
        transition="merge", created_at__gte=start, created_at__lt=end
    ).values_list("case_id", flat=True)
    for unit_id, case_id in Complaint.objects.filter(
        pk__in=merges, merged_into__case_ptr__in=cases
    ).values_list("merged_into__responsible_unit_id", "merged_into_id"):
        result[unit_id].repeats += 1
        add("repeats", unit_id, case_id)

    for unit_id, case_id in CaseEvent.objects.filter(
        case__in=cases, transition="fail_verification", created_at__gte=start, created_at__lt=end
    ).values_list("case__responsible_unit_id", "case_id"):
        result[unit_id].returns += 1
        add("returns", unit_id, case_id)

    held = YuetanRecord.objects.filter(unit__in=units)
    for unit_id, count in (
        held.filter(held_on__gte=period.first, held_on__lte=period.last)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    ):
        result[unit_id].yuetan = count
    threshold = int(settings.ECOLOOP_YUETAN_DISQUALIFY_AT)
    year_start = period.last.replace(month=1, day=1)
    for unit_id, count in (
        held.filter(held_on__gte=year_start, held_on__lte=period.last)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    ):
        result[unit_id].yuetan_year = count
        result[unit_id].excellence_void = count >= threshold
    return result


def by_unit_code(values: dict[int, Any]) -> dict[str, Any]:
    codes = dict(Unit.objects.filter(pk__in=values).values_list("pk", "code"))
    return {codes[pk]: value for pk, value in values.items()}


def group_cases(indicators: dict[int, Indicators]) -> dict[str, list[int]]:
    merged: dict[str, list[int]] = defaultdict(list)
    for row in indicators.values():
        for kind, ids in row.cases.items():
            merged[kind].extend(ids)
    return dict(merged)
