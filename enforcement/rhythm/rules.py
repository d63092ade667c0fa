"""The rules the seeds' bureaus judge their units by, read from what is stored:

* **一票否决** — a unit with a 督察 task overdue in the year (a main deadline of a case of
  `ECOLOOP_VETO_CASE_KINDS` missed, or running past its limit), or whose 约谈 reached the
  threshold in a stored 月考核/周排名 (`excellence_void`), loses 评优 for the year.
* **多次排名靠后** — a unit in the bottom `bottom` of at least `times` of the last `periods`
  stored 月考核 snapshots (`ECOLOOP_LAGGARD_RULE`) earns a 问责建议 for a leader to decide.

Both read the snapshots as they were frozen, never a recomputation: the rule judges what the
bureau published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enforcement.assessment.indicators import ranked_units
from enforcement.models import RankingSnapshot, SnapshotKind
from workflow import calendar
from workflow.models import Deadline, Unit
from workflow.models.deadline import DeadlineStatus

#: The case numbers a veto's reason names before "等".
SHOWN_NUMBERS = 3


@dataclass
class Verdict:
    unit: str  # the unit's code
    name: str
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "name": self.name, "reasons": self.reasons}


def vetoed(scope: Unit, year: int, until: dt.date) -> list[Verdict]:
    """一票否决 of the year up to `until` (inclusive), by unit code."""
    found: dict[str, Verdict] = {}
    first = dt.date(year, 1, 1)
    snapshots = RankingSnapshot.objects.filter(
        scope=scope, first_day__gte=first, last_day__lte=until
    ).order_by("first_day")
    for snapshot in snapshots:
        for row in snapshot.rows:
            if row.get("excellence_void"):
                verdict = found.setdefault(row["unit"], Verdict(row["unit"], row["name"]))
                reason = _("一年内被约谈%(n)d次，达到取消评优的次数") % {
                    "n": row.get("inputs", {}).get("yuetan_year", 0)
                }
                if reason not in verdict.reasons:
                    verdict.reasons.append(reason)
    end = calendar.end_of_day(until)
    units = {u.pk: u for u in ranked_units(scope)}
    missed = (
        Deadline.objects.filter(
            is_main=True,
            case__kind__in=tuple(settings.ECOLOOP_VETO_CASE_KINDS),
            case__responsible_unit__in=list(units),
            due_at__gte=calendar.end_of_day(first - dt.timedelta(days=1)),
            due_at__lt=end,
        )
        # Missed (closed late), or still running past its limit.
        .filter(Q(status=DeadlineStatus.LATE) | Q(status=DeadlineStatus.PENDING))
        .values_list("case__responsible_unit_id", "case__case_no")
        .order_by("case__case_no")
        .distinct()
    )
    numbers: dict[int, list[str]] = {}
    for unit_id, case_no in missed:
        if case_no not in numbers.setdefault(unit_id, []):
            numbers[unit_id].append(case_no)
    for unit_id, nos in numbers.items():
        unit = units[unit_id]
        verdict = found.setdefault(unit.code, Verdict(unit.code, unit.name))
        shown = pgettext("list separator", "、").join(nos[:SHOWN_NUMBERS])
        if len(nos) > SHOWN_NUMBERS:
            shown = _("%(numbers)s等") % {"numbers": shown}
        verdict.reasons.append(
            _("督察交办事项逾期%(n)d项（%(numbers)s）") % {"n": len(nos), "numbers": shown}
        )
    return sorted(found.values(), key=lambda v: v.unit)


def bottom_of(snapshot: RankingSnapshot, count: int) -> set[str]:
    """The codes of the units ranked in the snapshot's bottom `count` (ties at the edge in),
    never all of them: of three ranked units the bottom three are the last two."""
    ranked = [row for row in snapshot.rows if row.get("rank") is not None]
    count = min(count, len(ranked) - 1)
    if count < 1:
        return set()  # a single ranked unit is at no one's bottom
    edge = sorted((row["rank"] for row in ranked), reverse=True)[count - 1]
    return {row["unit"] for row in ranked if row["rank"] >= edge}


def laggards(scope: Unit, until: dt.date) -> list[Verdict]:
    """多次排名靠后 by the rule in settings, over the last monthly snapshots up to `until`."""
    rule = dict(settings.ECOLOOP_LAGGARD_RULE)
    snapshots = list(
        RankingSnapshot.objects.filter(
            scope=scope, kind=SnapshotKind.MONTHLY, last_day__lte=until
        ).order_by("-first_day")[: int(rule["periods"])]
    )
    hits: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for snapshot in reversed(snapshots):
        bottom = bottom_of(snapshot, int(rule["bottom"]))
        for row in snapshot.rows:
            if row["unit"] in bottom:
                names[row["unit"]] = row["name"]
                hits.setdefault(row["unit"], []).append(
                    _("%(year)d年%(month)d月第%(rank)d名")
                    % {
                        "year": snapshot.first_day.year,
                        "month": snapshot.first_day.month,
                        "rank": row["rank"],
                    }
                )
    verdicts = []
    for code, months in sorted(hits.items()):
        if len(months) >= int(rule["times"]):
            reason = _("近%(periods)d个月的月考核中%(times)d次排名后%(bottom)d位：%(months)s") % {
                "periods": len(snapshots),
                "times": len(months),
                "bottom": int(rule["bottom"]),
                "months": pgettext("list separator", "、").join(months),
            }
            verdicts.append(Verdict(code, names[code], [reason]))
    return verdicts
