"""筛查率, 启动率, 办结率, 磋商成功率 and 修复完成率, per period and unit.

No national text defines the rates (reference/domain.md §4.3); these definitions are ours, shown
on the metrics page with each number. A period is a range of Beijing dates, both ends included;
each rate is a cohort of cases that entered a stage in the period, and how many of them had
reached the next stage by the period's last day (24:00):

* 筛查率 = clues received in the period and screened by its end ÷ clues received in the period;
* 启动率 = preliminary checks concluded in the period that started a case ÷ preliminary checks
  concluded in the period (started or not started);
* 办结率 = cases started in the period and closed (结案 or 终止) by its end ÷ cases started in the
  period;
* 磋商成功率 = cases whose 磋商 concluded in the period with an agreement ÷ cases whose 磋商
  concluded in the period (agreement or 磋商不成). Counted from the timeline's events, so a
  round that failed stays failed in its period when a re-negotiation follows later;
* 修复完成率 = cases whose remediation began in the period and passed its evaluation by its end
  ÷ cases whose remediation began in the period.

Every number is a queryset (`Rate.numerator`, `Rate.denominator`): the page drills down to the
cases behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enforcement.models import DamageCase
from enforcement.periods import Period

#: The transitions that end a round of 磋商.
CONSULTATION_ENDS = ("sign_agreement", "fail_consultation")


@dataclass(frozen=True)
class Rate:
    code: str
    label: Any
    definition: Any
    numerator: QuerySet[DamageCase]
    denominator: QuerySet[DamageCase]

    def counts(self) -> tuple[int, int]:
        return self.numerator.count(), self.denominator.count()

    @property
    def value(self) -> float | None:
        """The rate in [0, 1]; None when nothing entered the stage (not 0 %, not 100 %)."""
        numerator, denominator = self.counts()
        return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Definition:
    code: str
    label: Any
    definition: Any
    cohort: Callable[[Period], Q]
    reached: Callable[[Period], Q]


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "screening",
        _("筛查率"),
        _("期内收到的线索中，截至期末已完成筛查的比例"),
        lambda p: p.within("clue_received_at"),
        lambda p: p.by_end("screened_at"),
    ),
    Definition(
        "start",
        _("启动率"),
        _("期内完成初步核查的线索中，决定立案启动的比例"),
        lambda p: p.within("prelim_concluded_at"),
        lambda p: Q(started_at__isnull=False),
    ),
    Definition(
        "closure",
        _("办结率"),
        _("期内立案启动的案件中，截至期末已结案或终止的比例"),
        lambda p: p.within("started_at"),
        lambda p: p.by_end("closed_at"),
    ),
    Definition(
        "consultation",
        _("磋商成功率"),
        _("期内结束磋商的案件中，达成赔偿协议的比例"),
        lambda p: p.events(CONSULTATION_ENDS),
        lambda p: p.events(("sign_agreement",)),
    ),
    Definition(
        "remediation",
        _("修复完成率"),
        _("期内开始修复/赔付的案件中，截至期末已通过修复效果评估的比例"),
        lambda p: p.within("remediation_started_at"),
        lambda p: p.by_end("remediation_completed_at"),
    ),
)


def rates(cases: QuerySet[DamageCase], period: Period) -> list[Rate]:
    """The five rates of `cases` (already scoped to the viewer and filters) over `period`."""
    result = []
    for d in DEFINITIONS:
        cohort = cases.filter(d.cohort(period))
        result.append(Rate(d.code, d.label, d.definition, cohort.filter(d.reached(period)), cohort))
    return result


def rate(cases: QuerySet[DamageCase], period: Period, code: str) -> Rate:
    for r in rates(cases, period):
        if r.code == code:
            return r
    raise LookupError(code)
