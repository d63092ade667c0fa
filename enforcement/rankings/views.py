"""周排名 / 月考核: the snapshots of the bureaus within a person's reach, one snapshot with its
formula, weights and inputs (the snapshot's own, never today's settings), the comparison with
the previous period's snapshot of the same kind and scope, and the exports (`?format=xlsx`,
`?format=pdf`).

Staff only: dispatchers, supervisors and leaders (others 403); a snapshot of a bureau outside
one's reach is a 404. A leader may 生成 the snapshot of a past period on demand: that calls
`ranking.take`, which writes it once and afterwards only recomputes and compares; a mismatch
(the history changed) is reported, the stored snapshot is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from enforcement.assessment import ranking
from enforcement.models import RankingSnapshot, SnapshotKind
from enforcement.pages import bureaus_within_reach
from enforcement.periods import Period
from enforcement.rankings import export
from workflow import calendar
from workflow.models import Unit
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.views.auth import login_required

VIEWER_ROLES = (Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")

#: The weights' names on the page (the keys of ECOLOOP_RANKING_WEIGHTS).
WEIGHT_LABELS: dict[str, Any] = {
    "on_time": gettext_lazy("按期办结率权重"),
    "satisfaction": gettext_lazy("满意率权重"),
    "overdue": gettext_lazy("每件逾期未办扣分"),
    "returns": gettext_lazy("每次核查退回扣分"),
    "repeats": gettext_lazy("每件重复投诉扣分"),
    "yuetan": gettext_lazy("每次约谈扣分"),
}

#: The inputs of a row (`Indicators.inputs()`), in the order of the table.
INPUT_LABELS: dict[str, Any] = {
    "closed_deadlines": gettext_lazy("期内到结期限数"),
    "on_time": gettext_lazy("其中按期"),
    "overdue": gettext_lazy("逾期未办件数"),
    "overdue_oldest_days": gettext_lazy("最久逾期天数"),
    "closed_cases": gettext_lazy("期内办结件数"),
    "handling_days_total": gettext_lazy("办理天数合计"),
    "rated": gettext_lazy("参评件数"),
    "satisfied": gettext_lazy("满意件数"),
    "repeats": gettext_lazy("重复投诉件数"),
    "returns": gettext_lazy("核查退回次数"),
    "yuetan": gettext_lazy("期内约谈次数"),
    "yuetan_year": gettext_lazy("年内约谈次数"),
}

#: What each indicator counts (`enforcement.assessment.indicators`), shown under the table.
DEFINITIONS = (
    gettext_lazy(
        "按期办结率 = 期内办结的、本单位应履行的主要期限中按期完成的个数 ÷ 期内办结的期限数"
        "（期限到期日24:00前完成为按期；被替代、撤销的期限和反映人评价期不计）。"
    ),
    gettext_lazy("逾期未办 = 期末仍未完成且已超过期限的案件数，以及其中最久的逾期天数。"),
    gettext_lazy("平均办理天数 = 期内办结案件从立案到办结的平均天数。"),
    gettext_lazy(
        "满意率 = 期内评价为满意或基本满意的信访投诉件数 ÷ 期内参评件数"
        "（系统自动办结的未评价件不计）。"
    ),
    gettext_lazy("重复投诉 = 期内合并到本单位负责事项的信访投诉件数。"),
    gettext_lazy("核查退回 = 期内本单位案件核查未通过、退回整改的次数。"),
    gettext_lazy("约谈 = 期内对本单位的约谈次数；年内约谈次数达到规定次数的，取消当年评优资格。"),
)


def require_viewer(user: Any) -> Unit:
    unit = unit_of(user)
    if unit is None or not has_role(user, *VIEWER_ROLES):
        raise PermissionDenied(_("只有调度员、科长和局领导可以查看排名考核。"))
    return unit


def snapshot_period(snapshot: RankingSnapshot) -> Period:
    return Period(snapshot.first_day, snapshot.last_day)


def period_label(snapshot: RankingSnapshot) -> str:
    return _("%(first)s至%(last)s") % {
        "first": snapshot.first_day.isoformat(),
        "last": snapshot.last_day.isoformat(),
    }


def previous_snapshot(snapshot: RankingSnapshot) -> RankingSnapshot | None:
    """The snapshot of the period just before, same kind and scope (None if never taken)."""
    before = snapshot_period(snapshot).previous()
    return RankingSnapshot.objects.filter(
        kind=snapshot.kind, scope_id=snapshot.scope_id, first_day=before.first
    ).first()


@dataclass
class TableRow:
    row: dict[str, Any]
    previous_rank: int | None = None
    previous_score: str | None = None
    had_previous: bool = False

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive: moved up) since the previous period."""
        rank = self.row.get("rank")
        if rank is None or self.previous_rank is None:
            return None
        return int(self.previous_rank) - int(rank)

    @property
    def rank_change_abs(self) -> int | None:
        change = self.rank_change
        return None if change is None else abs(change)

    @property
    def score_delta(self) -> str | None:
        score = self.row.get("score")
        if score is None or self.previous_score is None:
            return None
        delta = Decimal(score) - Decimal(self.previous_score)
        return f"{delta:+.2f}"

    @property
    def inputs(self) -> list[Any]:
        values = self.row.get("inputs") or {}
        return [values.get(key, "") for key in INPUT_LABELS]


def table(snapshot: RankingSnapshot, previous: RankingSnapshot | None) -> list[TableRow]:
    before = {r["unit"]: r for r in previous.rows} if previous else {}
    result = []
    for row in snapshot.rows:
        old = before.get(row["unit"])
        result.append(
            TableRow(
                row,
                previous_rank=old.get("rank") if old else None,
                previous_score=old.get("score") if old else None,
                had_previous=old is not None,
            )
        )
    return result


def weight_rows(snapshot: RankingSnapshot) -> list[tuple[str, str, str]]:
    """(key, label, value) of the snapshot's own weights."""
    return [
        (key, str(WEIGHT_LABELS.get(key, key)), str(value))
        for key, value in sorted(dict(snapshot.weights).items())
    ]


def _visible(user: Any, unit: Unit) -> Any:
    bureaus = bureaus_within_reach(unit)
    return (
        RankingSnapshot.objects.filter(scope__in=bureaus)
        .select_related("scope")
        .order_by("-first_day", "kind", "scope__path")
    ), bureaus


class BadPeriod(ValueError):
    pass


def requested_period(kind: str, raw: str, today: dt.date) -> Period:
    """The period of a 生成 request: a date within the week (周排名) or 2026-05 (月考核)."""
    raw = raw.strip()
    if kind == SnapshotKind.WEEKLY:
        try:
            period = Period.week_of(dt.date.fromisoformat(raw))
        except (ValueError, OverflowError) as exc:  # not a date, or a week past 9999
            raise BadPeriod(_("周排名请填写该周内任一日期，如 2026-06-01。")) from exc
    elif kind == SnapshotKind.MONTHLY:
        match = MONTH.match(raw)
        if not match or not 1 <= int(match[2]) <= 12:
            raise BadPeriod(_("月考核请按 2026-05 的格式填写月份。"))
        period = Period.month(int(match[1]), int(match[2]))
    else:
        raise BadPeriod(_("请选择周排名或月考核。"))
    if not 2000 <= period.first.year <= 2100:
        raise BadPeriod(_("统计年份应在2000至2100年之间。"))
    if period.last >= today:
        raise BadPeriod(_("只能生成已经结束的期间（截止日须早于今天）。"))
    return period


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def snapshot_list(request: HttpRequest) -> HttpResponse:
    unit = require_viewer(request.user)
    snapshots, bureaus = _visible(request.user, unit)
    can_generate = has_role(request.user, Role.LEADER) and bool(bureaus)
    context: dict[str, Any] = {
        "bureaus": bureaus,
        "can_generate": can_generate,
        "kinds": SnapshotKind.choices,
        "form": {},
        "error": "",
    }
    status = 200
    if request.method == "POST":
        if not can_generate:
            raise PermissionDenied(_("只有局领导可以生成排名考核。"))
        kind = request.POST.get("kind", "")
        raw = request.POST.get("period", "")
        scope_code = request.POST.get("scope", "").strip() or bureaus[0].code
        context["form"] = {"kind": kind, "period": raw, "scope": scope_code}
        scope = next((b for b in bureaus if b.code == scope_code), None)
        if scope is None:
            raise Http404
        now = timezone.now()
        try:
            period = requested_period(kind, raw, calendar.local_date(now))
            snapshot = ranking.take(kind, scope, period, now=now)
        except BadPeriod as exc:
            context["error"] = str(exc)
            status = 400
        except ranking.SnapshotMismatch:
            context["error"] = _(
                "重新计算的结果与已保存的快照不一致（历史记录可能被改动）。"
                "已保存的快照保持不变，请联系系统管理员核查。"
            )
            status = 409
        else:
            messages.success(
                request,
                _("已生成%(kind)s（%(period)s）。")
                % {"kind": snapshot.get_kind_display(), "period": period_label(snapshot)},
            )
            return redirect("enforcement:ranking_detail", pk=snapshot.pk)
    context["snapshots"] = [(s, period_label(s)) for s in snapshots]
    return render(request, "rankings/list.html", context, status=status)


@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = require_viewer(request.user)
    snapshots, _bureaus = _visible(request.user, unit)
    snapshot = snapshots.filter(pk=pk).first()
    if snapshot is None:
        raise Http404
    previous = previous_snapshot(snapshot)
    rows = table(snapshot, previous)
    weights = weight_rows(snapshot)
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        return export.xlsx_response(snapshot, rows, weights, period_label(snapshot))
    if wanted == "pdf":
        return export.pdf_response(snapshot, rows, weights, period_label(snapshot))
    context = {
        "snapshot": snapshot,
        "period": period_label(snapshot),
        "previous": previous,
        "previous_period": period_label(previous) if previous else "",
        "rows": rows,
        "weights": weights,
        "input_labels": list(INPUT_LABELS.values()),
        "definitions": DEFINITIONS,
        "emergencies": ranking.emergencies(
            snapshot.scope, Period(snapshot.first_day, snapshot.last_day)
        ),
    }
    return render(request, "rankings/detail.html", context)
