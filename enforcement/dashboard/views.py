"""数据看板: each responsible unit's indicators over a period (按期办结率, 逾期未办,
平均办理天数, 满意率, 重复投诉, 核查退回, 约谈, 评优), the last eight weeks as small
server-rendered charts (inline SVG: the CSP forbids inline style), and every number's cases.

The numbers are `enforcement.assessment.indicators.compute` — the same as the 周排名 / 月考核 —
over the bureaus within the person's reach; the case lists show only what the person may see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.assessment.indicators import Indicators, compute, group_cases, ranked_units
from enforcement.pages import bureaus_within_reach, home_bureau
from enforcement.patrols.services import period_figures
from enforcement.periods import Period
from enforcement.rhythm import rules
from workflow import calendar
from workflow.case_types import registry
from workflow.models import Case, Unit
from workflow.models.notice import YuetanRecord
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.programmes import programmes
from workflow.roles import Role
from workflow.selectors import LIST_RELATED
from workflow.views.auth import login_required

PAGE_SIZE = 25
VIEWER_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER)
TREND_WEEKS = 8

WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")

#: The drill-down's lists: `Indicators.cases` keys, what each holds, in words.
INDICATORS: dict[str, Any] = {
    "closed_deadlines": gettext_lazy("期内办结的期限（按期办结率的分母）"),
    "late": gettext_lazy("期内逾期办结的期限"),
    "overdue": gettext_lazy("期末逾期未办"),
    "closed_cases": gettext_lazy("期内办结的案件（平均办理天数）"),
    "rated": gettext_lazy("期内评价的投诉（满意率的分母）"),
    "repeats": gettext_lazy("被重复投诉的投诉"),
    "returns": gettext_lazy("核查退回"),
    "yuetan": gettext_lazy("期内约谈所涉案件"),
    "yuetan_year": gettext_lazy("本年约谈所涉案件"),
}

#: Read from the 约谈 ledger, not from `Indicators.cases`.
YUETAN = ("yuetan", "yuetan_year")

#: The definitions of `enforcement.assessment.indicators` (its docstring), for the page.
DEFINITIONS = (
    (
        gettext_lazy("按期办结率"),
        gettext_lazy(
            "期内关闭的、责任单位应办的主期限（其承办、整改、调查环节的期限，以及跨环节计算的期限）"
            "中按期关闭的比例；期限在到期日24:00前关闭为按期；被替代、撤销的期限和非主期限"
            "（如投诉人评价期）不计。"
        ),
    ),
    (
        gettext_lazy("逾期未办"),
        gettext_lazy("期末仍未关闭且已过期的主期限所属案件数，以及其中最早到期者至期末的天数。"),
    ),
    (
        gettext_lazy("平均办理天数"),
        gettext_lazy("期内办结的案件从立案到办结的平均天数。"),
    ),
    (
        gettext_lazy("满意率"),
        gettext_lazy(
            "期内评价为满意或基本满意的投诉 ÷ 期内评价的投诉（未评价、系统自动办结的不计）。"
        ),
    ),
    (
        gettext_lazy("重复投诉"),
        gettext_lazy("期内合并到该单位负责的投诉中的重复投诉件数。"),
    ),
    (
        gettext_lazy("核查退回"),
        gettext_lazy("期内该单位案件核查不通过、退回整改的次数。"),
    ),
    (
        gettext_lazy("约谈"),
        gettext_lazy(
            "期内对该单位的约谈次数，以及本年截至期末的次数；年内约谈次数达到规定次数的，"
            "取消当年评优资格。"
        ),
    ),
)

#: Which definition explains each drill-down list (an index into DEFINITIONS).
DEFINITION_OF = {
    "closed_deadlines": 0,
    "late": 0,
    "overdue": 1,
    "closed_cases": 2,
    "rated": 3,
    "repeats": 4,
    "returns": 5,
    "yuetan": 6,
    "yuetan_year": 6,
}

RULES = (
    gettext_lazy("统计期间按北京时间的日期计算，起止日均包含在内（截至最后一日24:00）。"),
    gettext_lazy(
        "只读取不再变动的历史记录（已关闭的期限、办理记录、评价、约谈台账），与周排名、月考核口径一致。"
    ),
    gettext_lazy("没有数据时显示“—”，不记为0%或100%。"),
    gettext_lazy("点击数字查看其背后的案件；清单只列出您有权查看的案件。"),
)


class BadInput(ValueError):
    pass


# --- the filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenPeriod:
    period: Period
    key: str  # 2026-W23, 2026-06 or 2026Q2
    label: str


def month(year: int, number: int) -> ChosenPeriod:
    label = _("%(year)s年%(month)s月") % {"year": year, "month": number}
    return ChosenPeriod(Period.month(year, number), f"{year}-{number:02d}", label)


def week(day: dt.date) -> ChosenPeriod:
    year, number, _weekday = day.isocalendar()
    label = _("%(year)s年第%(week)s周") % {"year": year, "week": number}
    return ChosenPeriod(Period.week_of(day), f"{year}-W{number:02d}", label)


def _year(raw: str) -> int:
    year = int(raw)
    if not 2000 <= year <= 2100:
        raise BadInput(_("统计年份应在2000至2100年之间。"))
    return year


def chosen_period(raw: str, now: dt.datetime) -> ChosenPeriod:
    """`2026-W23` (ISO week), `2026-06` (month) or `2026Q2` (quarter); this month (Beijing) when
    empty. Raises `BadInput` with the reason."""
    raw = raw.strip().upper()
    if not raw:
        today = calendar.local_date(now)
        return month(today.year, today.month)
    if match := WEEK.match(raw):
        try:
            monday = dt.date.fromisocalendar(_year(match[1]), int(match[2]), 1)
        except ValueError as exc:
            raise BadInput(_("没有这一周，请按 2026-W23 的格式填写。")) from exc
        return week(monday)
    if match := MONTH.match(raw):
        number = int(match[2])
        if not 1 <= number <= 12:
            raise BadInput(_("月份应在1至12之间，请按 2026-06 的格式填写。"))
        return month(_year(match[1]), number)
    if match := QUARTER.match(raw):
        year, number = _year(match[1]), int(match[2])
        label = _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": number}
        return ChosenPeriod(Period.quarter(year, number), f"{year}Q{number}", label)
    raise BadInput(_("统计期间应为周（如 2026-W23）、月（如 2026-06）或季度（如 2026Q2）。"))


def chosen_kind(raw: str) -> str:
    raw = raw.strip()
    if raw and raw not in {kind for kind, _label in registry.choices()}:
        raise BadInput(_("没有这一案件类型。"))
    return raw


def require_viewer(user: Any) -> Unit:
    unit = unit_of(user)
    if unit is None or not has_role(user, *VIEWER_ROLES):
        raise PermissionDenied(_("只有调度员、科长和局领导可以查看数据看板。"))
    return unit


def within_reach(unit: Unit, code: str) -> Unit:
    """The unit of this code if it lies in the person's bureau's subtree; a 404 otherwise."""
    root = home_bureau(unit)
    found = Unit.objects.filter(code=code).first() if code else root
    if root is None or found is None or not found.path.startswith(root.path):
        raise Http404
    return found


# --- the table and the trends ---------------------------------------------------------------------


def summed(rows: list[Indicators]) -> Indicators:
    """The scope's total: counts added, the oldest overdue the oldest of all."""
    total = Indicators()
    for row in rows:
        for name in (
            "closed_deadlines",
            "on_time",
            "overdue",
            "closed_cases",
            "rated",
            "satisfied",
            "repeats",
            "returns",
            "yuetan",
            "yuetan_year",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.handling_days_total += row.handling_days_total
        total.overdue_oldest_days = max(total.overdue_oldest_days, row.overdue_oldest_days)
    return total


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class Trend:
    """Eight weeks of one unit (or the total): on-time rate and overdue count, as inline SVG."""

    weeks: list[ChosenPeriod]
    rates: list[Decimal | None]
    overdue: list[int]
    scale: int = 1  # the largest overdue count of the page: bars compare across units

    WIDTH = 120
    HEIGHT = 32

    @property
    def step(self) -> float:
        return self.WIDTH / len(self.weeks)

    @property
    def rate_points(self) -> list[dict[str, Any]]:
        points = []
        for i, (chosen, rate) in enumerate(zip(self.weeks, self.rates, strict=True)):
            if rate is None:
                continue
            x = round(i * self.step + self.step / 2, 1)
            y = round(self.HEIGHT - 2 - float(rate) * (self.HEIGHT - 4), 1)
            points.append({"x": x, "y": y, "title": f"{chosen.key} {percent(rate)}"})
        return points

    @property
    def polyline(self) -> str:
        return " ".join(f"{p['x']},{p['y']}" for p in self.rate_points)

    @property
    def bars(self) -> list[dict[str, Any]]:
        bars = []
        for i, (chosen, count) in enumerate(zip(self.weeks, self.overdue, strict=True)):
            height = round((self.HEIGHT - 2) * count / max(self.scale, 1), 1) if count else 0
            bars.append(
                {
                    "x": round(i * self.step + 1, 1),
                    "y": round(self.HEIGHT - height, 1),
                    "width": round(self.step - 2, 1),
                    "height": height,
                    "title": f"{chosen.key} {count}",
                }
            )
        return bars

    @property
    def rates_text(self) -> str:
        return " · ".join(percent(rate) for rate in self.rates)

    @property
    def overdue_text(self) -> str:
        return " · ".join(str(count) for count in self.overdue)


@dataclass
class Row:
    unit: Unit | None  # None: the total of the scope
    label: str
    data: Indicators
    links: dict[str, str]
    trend: Trend | None = None
    #: 一票否决's reasons for the unit, the year to the period's end (`rhythm.rules.vetoed`).
    vetoed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        d = self.data
        return not (d.has_cases or d.repeats or d.returns)

    @property
    def late(self) -> int:
        return self.data.closed_deadlines - self.data.on_time

    @property
    def on_time_rate(self) -> str:
        return percent(self.data.on_time_rate)

    @property
    def satisfaction_rate(self) -> str:
        return percent(self.data.satisfaction_rate)

    @property
    def average_days(self) -> str:
        value = self.data.average_days
        return "—" if value is None else str(value)


@dataclass
class Board:
    chosen: ChosenPeriod
    kind: str
    scope: Unit
    rows: list[Row]
    total: Row
    weeks: list[ChosenPeriod] = field(default_factory=list)


def drill_url(
    indicator: str, unit: Unit, chosen: ChosenPeriod, kind: str, programme: str = ""
) -> str:
    params = {"indicator": indicator, "unit": unit.code, "period": chosen.key}
    if kind:
        params["kind"] = kind
    if programme:
        params["programme"] = programme
    return f"{reverse('enforcement:dashboard_cases')}?{urlencode(params)}"


def trend_weeks(chosen: ChosenPeriod, now: dt.datetime) -> list[ChosenPeriod]:
    """The eight weeks up to the one holding the period's last day (or today, if sooner)."""
    last = min(chosen.period.last, calendar.local_date(now))
    return [week(last - dt.timedelta(weeks=back)) for back in range(TREND_WEEKS - 1, -1, -1)]


def board(
    scope: Unit, chosen: ChosenPeriod, kind: str, now: dt.datetime, programme: str = ""
) -> Board:
    kinds = [kind] if kind else None
    only = programmes.cases(programme) if programme else None
    found = compute(scope, chosen.period, case_kinds=kinds, only=only)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=found)}
    weeks = trend_weeks(chosen, now)
    weekly = [compute(scope, w.period, case_kinds=kinds, only=only) for w in weeks]

    def trend(pk: int | None) -> Trend:
        per_week = [
            (summed(list(w.values())) if pk is None else w.get(pk, Indicators())) for w in weekly
        ]
        return Trend(weeks, [d.on_time_rate for d in per_week], [d.overdue for d in per_week])

    ordered = sorted(found.items(), key=lambda item: units[item[0]].code)
    trends = {pk: trend(pk) for pk, _data in ordered}
    # One scale for every unit's bars, so that they compare across rows.
    scale = max([*(count for t in trends.values() for count in t.overdue), 1])
    last = chosen.period.last
    vetoes = {v.unit: v.reasons for v in rules.vetoed(scope, last.year, last)}
    rows = []
    for pk, data in ordered:
        unit = units[pk]
        trends[pk].scale = scale
        links = {name: drill_url(name, unit, chosen, kind, programme) for name in INDICATORS}
        rows.append(Row(unit, unit.name, data, links, trends[pk], vetoes.get(unit.code, [])))
    total_trend = trend(None)
    total_trend.scale = max([*total_trend.overdue, 1])
    total_links = {name: drill_url(name, scope, chosen, kind, programme) for name in INDICATORS}
    total = Row(None, _("合计"), summed(list(found.values())), total_links, total_trend)
    return Board(chosen, kind, scope, rows, total, weeks)


def chosen_programme(raw: str, user: Any) -> str:
    raw = raw.strip()
    if raw and raw not in {key for key, _label in programmes.choices(user)}:
        raise BadInput(_("没有这一专项或督察轮次。"))
    return raw


def _filters(request: HttpRequest, now: dt.datetime) -> tuple[ChosenPeriod, str, str, str]:
    """The period, the case type and the programme chosen, and an error (defaults in its
    place) if bad."""
    error = ""
    try:
        chosen = chosen_period(request.GET.get("period", ""), now)
    except BadInput as exc:
        chosen, error = chosen_period("", now), str(exc)
    try:
        kind = chosen_kind(request.GET.get("kind", ""))
    except BadInput as exc:
        kind, error = "", error or str(exc)
    try:
        programme = chosen_programme(request.GET.get("programme", ""), request.user)
    except BadInput as exc:
        programme, error = "", error or str(exc)
    return chosen, kind, programme, error


def kind_choices() -> list[tuple[str, str]]:
    return registry.choices()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    me = require_viewer(request.user)
    now = timezone.now()
    chosen, kind, programme, error = _filters(request, now)
    bureaus = bureaus_within_reach(me, active_only=True)
    code = request.GET.get("unit", "").strip()
    scope = within_reach(me, code)
    if not scope.is_region:  # the filter chooses bureaus; a team's row is on its bureau's page
        raise Http404
    context: dict[str, Any] = {
        "chosen": chosen,
        "kind": kind,
        "scope": scope,
        "bureaus": bureaus,
        "kinds": kind_choices(),
        "programme": programme,
        "programmes": programmes.choices(request.user),
        "params": request.GET,
        "definitions": DEFINITIONS,
        "rules": RULES,
        "error": error,
    }
    if error:
        return render(request, "dashboard/dashboard.html", context, status=400)
    context["board"] = board(scope, chosen, kind, now, programme)
    if kind in ("", "rapid"):
        cases = Case.objects.filter(jurisdiction__path__startswith=scope.path)
        if programme:
            cases = cases.filter(programmes.cases(programme))
        context["response_figures"] = period_figures(cases, chosen.period, now)
    return render(request, "dashboard/dashboard.html", context)


def yuetan_cases(target: Unit, period: Period, *, year: bool) -> list[int]:
    """The cases of the 约谈 counted for the unit (or the bureau's units) in the period or the
    year to its end, as `compute` counts them; a 约谈 not recorded against a case lists none."""
    units = list(ranked_units(target)) if target.is_region else [target]
    first = period.last.replace(month=1, day=1) if year else period.first
    held = YuetanRecord.objects.filter(
        unit__in=units, held_on__gte=first, held_on__lte=period.last, case__isnull=False
    )
    return [pk for pk in held.values_list("case_id", flat=True) if pk is not None]


@login_required
def dashboard_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the dashboard (`Indicators.cases`), those the person may
    see, paginated."""
    me = require_viewer(request.user)
    now = timezone.now()
    chosen, kind, programme, error = _filters(request, now)
    indicator = request.GET.get("indicator", "")
    if indicator not in INDICATORS:
        error = _("请从数据看板中的数字进入案件清单（指标参数无效）。")
    if error:
        context = {"error": error, "chosen": chosen}
        return render(request, "dashboard/cases.html", context, status=400)
    target = within_reach(me, request.GET.get("unit", "").strip())
    if indicator in YUETAN:
        ids = yuetan_cases(target, chosen.period, year=indicator == "yuetan_year")
    else:
        found = compute(
            target,
            chosen.period,
            case_kinds=[kind] if kind else None,
            only=programmes.cases(programme) if programme else None,
        )
        if target.is_region:
            ids = group_cases(found).get(indicator, [])
        else:
            ids = found[target.pk].cases.get(indicator, []) if target.pk in found else []
    cases = (
        Case.objects.visible_to(request.user)
        .filter(pk__in=set(ids))
        .select_related(*LIST_RELATED)
        .order_by("case_no", "pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    back = {"period": chosen.key, "unit": (target if target.is_region else target.region()).code}
    if kind:
        back["kind"] = kind
    if programme:
        back["programme"] = programme
    context = {
        "chosen": chosen,
        "kind": kind,
        "kind_label": registry.get(kind).label if kind else "",
        "indicator": indicator,
        "indicator_label": INDICATORS[indicator],
        "definition": DEFINITIONS[DEFINITION_OF[indicator]],
        "is_yuetan": indicator in YUETAN,
        "target": target,
        "number": len(ids),
        "page": page,
        "cases": page.object_list,
        "count": page.paginator.count,
        "hidden": len(set(ids)) - page.paginator.count,
        "now": now,
        "show_kind": True,
        "back_url": f"{reverse('enforcement:dashboard')}?{urlencode(back)}",
    }
    return render(request, "dashboard/cases.html", context)
