"""日公布: the items completed on a Beijing day, public (no login), in the style of the 督察
边督边改 lists: 序号, the item, the responsible unit, the status and a one-line result.

Which cases are listed on day D (00:00–24:00 Beijing): the supervision items, complaints,
enforcement cases and damage cases with an event that day that brought them to

* 已办结 — the state `closed`: a supervision item 销号, a complaint 办结, an enforcement case
  结案, a damage case 结案 (the other terminal states — 不予受理, 合并, 不予立案, 终止,
  筛查排除 — are not completions and are not listed);
* 阶段性办结 — a stage that ends the unit's substantive work while the case stays open:
  a supervision item 待销号 (核查通过, awaiting the supervisor), a complaint 已答复 (awaiting the
  reporter's rating), an enforcement case 已决定待送达 or 已履行 (awaiting 结案), a damage case
  已签订赔偿协议 or 修复效果评估.

The status shown is the one the case had at the end of that day (its last event of the day): a
case that reached a stage and was reopened the same day (a complaint 已答复 then 不满意) is
正在办理. So a day's page depends on the history only and says the same thing tomorrow.

Public-safe fields only: the case's title (for a complaint: its category and location, never
the reporter, the text or the tracking code), the responsible unit, the status, and a result:
for complaints a fixed text (the reply and notes are not public), for the others the state's
name. No case number, person, phone, photo or note is ever on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from enforcement.models import Complaint, ComplaintState, DamageState, EnforcementState
from workflow import calendar
from workflow.models import Case, CaseEvent, CaseState, Unit

DONE, STAGE, OPEN = "done", "stage", "open"
STATUS_LABELS = {
    DONE: gettext_lazy("已办结"),
    STAGE: gettext_lazy("阶段性办结"),
    OPEN: gettext_lazy("正在办理"),
}
KIND_LABELS = {
    "supervision": gettext_lazy("督办事项"),
    "complaint": gettext_lazy("信访投诉"),
    "enforcement": gettext_lazy("执法案件"),
    "damage": gettext_lazy("生态环境损害赔偿"),
}
CLOSED = {kind: {CaseState.CLOSED.value} for kind in KIND_LABELS}
STAGES: dict[str, set[str]] = {
    "supervision": {CaseState.PENDING_CLOSURE.value},
    "complaint": {ComplaintState.REPLIED.value},
    "enforcement": {EnforcementState.DECIDED.value, EnforcementState.PERFORMED.value},
    "damage": {DamageState.AGREEMENT.value, DamageState.EFFECT_EVALUATION.value},
}
#: The public result of a complaint (its reply and notes are not public).
COMPLAINT_RESULTS = {
    DONE: gettext_lazy("已答复反映人，事项办结"),
    STAGE: gettext_lazy("已答复反映人，待评价"),
    OPEN: gettext_lazy("正在办理"),
}
DAYS_BACK = 7


@dataclass
class Item:
    kind: str
    title: str
    unit: str
    bureau: str
    status: str
    result: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def public_bureaus() -> list[Unit]:
    return list(Unit.objects.regions().filter(active=True).order_by("path"))


def status_of(kind: str, state: str) -> str:
    if state in CLOSED[kind]:
        return DONE
    if state in STAGES[kind]:
        return STAGE
    return OPEN


def items_of_day(day: dt.date, bureau: Unit | None = None) -> list[Item]:
    """The cases completed (or brought to a stage) on a Beijing day, public-safe fields only."""
    start = calendar.end_of_day(day) - dt.timedelta(days=1)
    end = calendar.end_of_day(day)
    reached = set()
    for kind in KIND_LABELS:
        reached |= CLOSED[kind] | STAGES[kind]
    day_events = CaseEvent.objects.filter(
        created_at__gte=start, created_at__lt=end, case__kind__in=list(KIND_LABELS)
    )
    if bureau is not None:
        day_events = day_events.filter(case__jurisdiction__path__startswith=bureau.path)
    # Only an event that reached a state counted for its own kind lists a case (a complaint's
    # 已答复 is not a damage stage).
    ids = {
        case_id
        for case_id, kind, state in day_events.filter(to_state__in=reached).values_list(
            "case_id", "case__kind", "to_state"
        )
        if state in CLOSED[kind] | STAGES[kind]
    }
    if not ids:
        return []
    last_state: dict[int, str] = {}
    for case_id, state in (
        day_events.filter(case_id__in=ids)
        .order_by("case_id", "seq")
        .values_list("case_id", "to_state")
    ):
        last_state[case_id] = state
    cases = Case.objects.filter(pk__in=ids).select_related("responsible_unit", "jurisdiction")
    complaints = {
        c.pk: c for c in Complaint.objects.filter(pk__in=ids).only("pk", "category", "location")
    }
    items = []
    for case in cases:
        state = last_state[case.pk]
        status = status_of(case.kind, state)
        if case.kind == "complaint":
            complaint = complaints[case.pk]
            title = _("%(category)s问题 · %(location)s") % {
                "category": complaint.get_category_display(),
                "location": complaint.location,
            }
            result = str(COMPLAINT_RESULTS[status])
        else:
            title = case.title
            result = case.case_type.state_label(state)
        unit = case.responsible_unit or case.jurisdiction
        items.append(Item(case.kind, title, unit.name, case.jurisdiction.name, status, result))
    order = {DONE: 0, STAGE: 1, OPEN: 2}
    items.sort(key=lambda i: (order[i.status], list(KIND_LABELS).index(i.kind), i.unit, i.title))
    return items


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = calendar.local_date(timezone.now())
    error = ""
    day = today
    raw = request.GET.get("date", "").strip()
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            error = _("日期格式不正确，请按 2026-06-01 的格式填写。")
        else:
            if day > today:
                error = _("不能查看今天以后的日期。")
                day = today
    bureaus = public_bureaus()
    code = request.GET.get("bureau", "").strip()
    bureau = next((b for b in bureaus if b.code == code), None) if code else None
    if code and bureau is None:
        error = error or _("没有这个单位，已显示全部单位。")
    items = [] if error else items_of_day(day, bureau)
    days = [day - dt.timedelta(days=n) for n in range(1, DAYS_BACK + 1)]
    context: dict[str, Any] = {
        "day": day,
        "today": today,
        "days": days,
        "next_day": day + dt.timedelta(days=1) if day < today else None,
        "items": items,
        "counts": {key: sum(1 for i in items if i.status == key) for key in (DONE, STAGE, OPEN)},
        "bureaus": bureaus,
        "bureau": bureau,
        "error": error,
    }
    return render(request, "daily/index.html", context, status=400 if error else 200)
