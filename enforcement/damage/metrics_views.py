"""The damage-compensation metrics page (筛查率, 启动率, 办结率, 磋商成功率, 修复完成率) per
period and bureau, the cases behind each number, and both as Excel (`?format=xlsx`).

What a person counts is what they may see (`DamageCase.objects.visible_to`), limited to the
bureaus within their reach; each bureau's row counts the cases of its own jurisdiction (not those
of the bureaus below it), so the rows add up to the total.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.damage import export
from enforcement.damage.metrics import DEFINITIONS, Definition, Period, rates
from enforcement.models import DamageCase
from enforcement.pages import bureaus_within_reach
from workflow import calendar
from workflow.models import Unit
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.views.auth import login_required

PAGE_SIZE = 25
VIEWER_ROLES = (Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.LEGAL_REVIEWER)
PARTS = ("numerator", "denominator")

#: What each rate counts, in words (the module docstring of `enforcement.damage.metrics`).
FORMULAS: dict[str, tuple[Any, Any]] = {
    "screening": (
        gettext_lazy("期内收到、且截至期末已筛查（纳入或排除）的线索数"),
        gettext_lazy("期内收到的线索数"),
    ),
    "start": (
        gettext_lazy("期内结束初步核查并决定立案启动的案件数"),
        gettext_lazy("期内结束初步核查的案件数（启动与不启动）"),
    ),
    "closure": (
        gettext_lazy("期内立案启动、且截至期末已结案或终止的案件数"),
        gettext_lazy("期内立案启动的案件数"),
    ),
    "consultation": (
        gettext_lazy("期内结束磋商并签订赔偿协议的案件数"),
        gettext_lazy("期内结束磋商的案件数（达成协议与磋商不成）"),
    ),
    "remediation": (
        gettext_lazy("期内开始修复/赔付、且截至期末已通过修复效果评估的案件数"),
        gettext_lazy("期内开始修复/赔付的案件数"),
    ),
}

#: The field of each rate's cohort, for ordering the cases behind a number.
COHORT_FIELDS = {
    "screening": "clue_received_at",
    "start": "prelim_concluded_at",
    "closure": "started_at",
    "consultation": "consultation_concluded_at",
    "remediation": "remediation_started_at",
}

RULES = (
    gettext_lazy("统计期间按北京时间的日期计算，起止日均包含在内（截至最后一日24:00）。"),
    gettext_lazy(
        "每个比率以期内进入某一环节的案件为分母（同期队列），以其中截至期末已进入下一环节的"
        "案件为分子；期末之后发生的办理不计入本期。"
    ),
    gettext_lazy("分母为0时显示“—”，不记为0%或100%。"),
    gettext_lazy(
        "各单位行只计该单位管辖的案件（不含其下级单位），合计为各行之和；只统计您有权查看的案件。"
    ),
)

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


class BadInput(ValueError):
    pass


@dataclass(frozen=True)
class ChosenPeriod:
    period: Period
    key: str  # 2026Q3, 2026, or 2026-07-01_2026-08-15
    label: str
    query: dict[str, str]  # the GET parameters that choose it again


def current_quarter(now: dt.datetime) -> ChosenPeriod:
    day = calendar.local_date(now)
    return quarter(day.year, (day.month - 1) // 3 + 1)


def quarter(year: int, number: int) -> ChosenPeriod:
    key = f"{year}Q{number}"
    label = _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": number}
    return ChosenPeriod(Period.quarter(year, number), key, label, {"period": key})


def _date(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError as exc:
        message = _("%(name)s不是有效日期，请按 2026-07-01 的格式填写。") % {"name": name}
        raise BadInput(message) from exc
    if not 2000 <= day.year <= 2100:
        raise BadInput(_("统计年份应在2000至2100年之间。"))
    return day


def chosen_period(params: Any, now: dt.datetime) -> ChosenPeriod:
    """The period the GET parameters choose: `period=2026Q3` or `2026`, or `from`/`to` dates;
    the current quarter (Beijing time) by default. Raises `BadInput` with the reason."""
    raw = (params.get("period") or "").strip().upper()
    start, end = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if raw:
        if match := QUARTER.match(raw):
            year = int(match[1])
            if not 2000 <= year <= 2100:
                raise BadInput(_("统计年份应在2000至2100年之间。"))
            return quarter(year, int(match[2]))
        if match := YEAR.match(raw):
            year = int(match[1])
            if not 2000 <= year <= 2100:
                raise BadInput(_("统计年份应在2000至2100年之间。"))
            period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
            return ChosenPeriod(
                period, str(year), _("%(year)s年") % {"year": year}, {"period": raw}
            )
        raise BadInput(_("统计期间应为季度（如 2026Q3）或年份（如 2026）。"))
    if start or end:
        if not (start and end):
            raise BadInput(_("自定义期间请同时填写开始日期和结束日期。"))
        first, last = _date(start, _("开始日期")), _date(end, _("结束日期"))
        if last < first:
            raise BadInput(_("结束日期不能早于开始日期。"))
        if (last - first).days > 366 * 10:
            raise BadInput(_("自定义期间不能超过十年。"))
        key = f"{first.isoformat()}_{last.isoformat()}"
        label = _("%(first)s至%(last)s") % {"first": first.isoformat(), "last": last.isoformat()}
        return ChosenPeriod(Period(first, last), key, label, {"from": start, "to": end})
    return current_quarter(now)


# --- who and which bureaus ----------------------------------------------------------------------


def _require_viewer(user: Any) -> Unit:
    unit = unit_of(user)
    if unit is None or not has_role(user, *VIEWER_ROLES):
        raise PermissionDenied(_("只有调度员、科长、局领导和法制审核员可以查看损害赔偿指标。"))
    return unit


def own_cases_q(bureau: Unit, bureaus: list[Unit]) -> Q:
    """The cases of a bureau's own jurisdiction, without those of the bureaus below it."""
    q = Q(jurisdiction__path__startswith=bureau.path)
    for other in bureaus:
        if other.pk != bureau.pk and other.path.startswith(bureau.path):
            q &= ~Q(jurisdiction__path__startswith=other.path)
    return q


@dataclass
class Scope:
    """The bureaus shown and the cases counted."""

    bureaus: list[Unit]
    within: Unit | None  # the unit filter, if any
    cases: QuerySet[DamageCase]
    choices: list[Unit] = field(default_factory=list)


def scope_of(request: HttpRequest, unit: Unit, within_code: str) -> Scope:
    choices = bureaus_within_reach(unit)
    within = None
    bureaus = choices
    if within_code:
        within = next((b for b in choices if b.code == within_code), None)
        if within is None:
            raise Http404
        bureaus = [b for b in choices if b.path.startswith(within.path)]
    cases = cast("QuerySet[DamageCase]", DamageCase.objects.visible_to(request.user))
    if bureaus:
        cases = cases.filter(jurisdiction__path__startswith=(within or bureaus[0]).path)
    else:
        cases = cases.none()
    return Scope(bureaus, within, cases, choices)


# --- the table ------------------------------------------------------------------------------------


@dataclass
class Cell:
    code: str
    numerator: int
    denominator: int
    numerator_url: str
    denominator_url: str
    label: Any = ""

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    @property
    def bar_width(self) -> int:
        """Whole percent, for a CSS class (the CSP allows no inline style)."""
        value = self.value
        return 0 if value is None else round(value * 100)


@dataclass
class Row:
    unit: Unit | None  # None: the total
    label: str
    cells: list[Cell]


def drill_url(code: str, part: str, chosen: ChosenPeriod, **extra: str) -> str:
    params = {"rate": code, "part": part, **chosen.query, **{k: v for k, v in extra.items() if v}}
    return f"{reverse('enforcement:damage_metric_cases')}?{urlencode(params)}"


def counts(cases: QuerySet[DamageCase], period: Period) -> dict[str, tuple[int, int]]:
    """{rate: (numerator, denominator)} in one query: the same cohorts as `metrics.rates`."""
    aggregates: dict[str, Any] = {}
    for d in DEFINITIONS:
        aggregates[f"{d.code}_n"] = Count("pk", filter=d.cohort(period) & d.reached(period))
        aggregates[f"{d.code}_d"] = Count("pk", filter=d.cohort(period))
    found = cases.order_by().aggregate(**aggregates)
    return {d.code: (found[f"{d.code}_n"], found[f"{d.code}_d"]) for d in DEFINITIONS}


def _cells(cases: QuerySet[DamageCase], chosen: ChosenPeriod, **where: str) -> list[Cell]:
    found = counts(cases, chosen.period)
    return [
        Cell(
            d.code,
            *found[d.code],
            drill_url(d.code, "numerator", chosen, **where),
            drill_url(d.code, "denominator", chosen, **where),
            d.label,
        )
        for d in DEFINITIONS
    ]


def table(scope: Scope, chosen: ChosenPeriod) -> tuple[list[Row], Row]:
    rows = [
        Row(
            bureau,
            bureau.name,
            _cells(
                scope.cases.filter(own_cases_q(bureau, scope.bureaus)), chosen, unit=bureau.code
            ),
        )
        for bureau in scope.bureaus
    ]
    within = scope.within.code if scope.within else ""
    total = Row(None, _("合计"), _cells(scope.cases, chosen, within=within))
    return rows, total


def definitions() -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "label": d.label,
            "definition": d.definition,
            "numerator": FORMULAS[d.code][0],
            "denominator": FORMULAS[d.code][1],
        }
        for d in DEFINITIONS
    ]


def _definition(code: str) -> Definition | None:
    return next((d for d in DEFINITIONS if d.code == code), None)


def _period_or_default(request: HttpRequest, now: dt.datetime) -> tuple[ChosenPeriod, str]:
    try:
        return chosen_period(request.GET, now), ""
    except BadInput as exc:
        return current_quarter(now), str(exc)


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


@login_required
def metrics(request: HttpRequest) -> HttpResponse:
    unit = _require_viewer(request.user)
    now = timezone.now()
    chosen, error = _period_or_default(request, now)
    scope = scope_of(request, unit, request.GET.get("unit", "").strip())
    if error:
        context = {"error": error, "chosen": chosen, "scope": scope, "params": request.GET}
        return render(request, "damage/metrics.html", context, status=400)
    rows, total = table(scope, chosen)
    if _wants_xlsx(request):
        return export.response(
            chosen=chosen,
            rows=rows,
            total=total,
            definitions=definitions(),
            rules=[str(rule) for rule in RULES],
            cases=_total_denominators(scope, chosen),
            now=now,
        )
    labels = {d.code: d.label for d in DEFINITIONS}
    bars = [{"label": labels[c.code], "cell": c} for c in total.cells]
    context = {
        "chosen": chosen,
        "scope": scope,
        "rows": rows,
        "total": total,
        "table_rows": [*rows, total],
        "labels": [d.label for d in DEFINITIONS],
        "bars": bars,
        "definitions": definitions(),
        "rules": RULES,
        "params": request.GET,
        "xlsx_url": f"?{urlencode({**chosen.query, **_unit_param(scope), 'format': 'xlsx'})}",
    }
    return render(request, "damage/metrics.html", context)


def _unit_param(scope: Scope) -> dict[str, str]:
    return {"unit": scope.within.code} if scope.within else {}


def _total_denominators(scope: Scope, chosen: ChosenPeriod) -> QuerySet[DamageCase]:
    """Every case in one of the total row's denominators (sheet 3 of the workbook)."""
    cohort = Q(pk__in=[])
    for d in DEFINITIONS:
        cohort |= d.cohort(chosen.period)
    return (
        scope.cases.filter(cohort)
        .select_related("responsible_unit", "jurisdiction")
        .order_by("case_no")
    )


@login_required
def metric_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the metrics table."""
    unit = _require_viewer(request.user)
    now = timezone.now()
    code, part = request.GET.get("rate", ""), request.GET.get("part", "")
    definition = _definition(code)
    chosen, error = _period_or_default(request, now)
    if definition is None or part not in PARTS:
        error = _("请从指标表中的数字进入案件清单（指标或分子/分母参数无效）。")
    if error:
        context = {"error": error, "chosen": chosen}
        return render(request, "damage/metric_cases.html", context, status=400)
    assert definition is not None
    row_code = request.GET.get("unit", "").strip()
    scope = scope_of(request, unit, request.GET.get("within", "").strip())
    cases = scope.cases
    bureau = None
    if row_code:
        bureau = next((b for b in scope.bureaus if b.code == row_code), None)
        if bureau is None:
            raise Http404
        cases = cases.filter(own_cases_q(bureau, scope.bureaus))
    found = next(r for r in rates(cases, chosen.period) if r.code == code)
    chosen_cases = (found.numerator if part == "numerator" else found.denominator).order_by(
        COHORT_FIELDS[code], "pk"
    )
    if _wants_xlsx(request):
        table_rows, total = table(scope, chosen)
        return export.response(
            chosen=chosen,
            rows=table_rows,
            total=total,
            definitions=definitions(),
            rules=[str(rule) for rule in RULES],
            cases=chosen_cases.select_related("responsible_unit", "jurisdiction"),
            now=now,
        )
    numerator, denominator = found.counts()
    page = Paginator(
        chosen_cases.select_related("responsible_unit", "jurisdiction"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    cell = Cell(code, numerator, denominator, "", "")
    context = {
        "chosen": chosen,
        "definition": definition,
        "formula": FORMULAS[code],
        "part": part,
        "part_label": FORMULAS[code][0 if part == "numerator" else 1],
        "bureau": bureau,
        "scope": scope,
        "page": page,
        "cases": page.object_list,
        "count": page.paginator.count,
        "cell": cell,
        "now": now,
        "rules": RULES,
        "back_url": (
            f"{reverse('enforcement:damage_metrics')}?"
            f"{urlencode({**chosen.query, **_unit_param(scope)})}"
        ),
        "xlsx_url": f"?{urlencode({**request.GET.dict(), 'format': 'xlsx'})}",
    }
    return render(request, "damage/metric_cases.html", context)
