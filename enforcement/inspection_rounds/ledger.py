"""迎检台账: before a round is stationed, every item earlier rounds left open in the area it
inspects — 边督边改 items not yet 办结 (阶段性办结 included) and feedback tasks not yet 销号 — with
their evidence, as a page and as Excel."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from enforcement.inspection_rounds.views import visible_round
from enforcement.models import ForwardedComplaint, InspectionRound, RectificationTask
from workflow import calendar
from workflow.models import Case, Unit
from workflow.views.auth import login_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Entry:
    round: InspectionRound
    case: Any
    kind: str
    code: str

    @property
    def evidence(self) -> int:
        return int(self.case.evidence_count)


def earlier_rounds(round: InspectionRound) -> QuerySet[InspectionRound]:
    """Rounds stationed before this one over the same region or a part of it (or above it)."""
    codes = [code for code in round.region.path.split("/") if code]
    return (
        InspectionRound.objects.filter(stationed_from__lt=round.stationed_from)
        .filter(Q(region__path__startswith=round.region.path) | Q(region__code__in=codes))
        .exclude(pk=round.pk)
    )


def area(round: InspectionRound) -> list[Unit]:
    """What the round inspects: its 被督察单位, or its whole region."""
    return list(round.inspected_units.all()) or [round.region]


def in_area(units: list[Unit]) -> Q:
    q = Q()
    for unit in units:
        q |= Q(jurisdiction__path__startswith=unit.path) | Q(
            responsible_unit__path__startswith=unit.path
        )
    return q


def entries(round: InspectionRound, visible: QuerySet[Any]) -> list[Entry]:
    earlier = earlier_rounds(round)
    where = in_area(area(round)) & Q(closed_at__isnull=True, pk__in=visible)
    evidence = {
        "evidence_count": Count("attachments", distinct=True),
        "evidence_at": Max("attachments__event__created_at"),
    }
    items = (
        ForwardedComplaint.objects.filter(where, batch__round__in=earlier)
        .select_related("batch__round", "responsible_unit")
        .annotate(**evidence)
        .order_by("batch__round__stationed_from", "acceptance_no")
    )
    tasks = (
        RectificationTask.objects.filter(where, problem__round__in=earlier, parent__isnull=True)
        .select_related("problem__round", "responsible_unit")
        .annotate(**evidence)
        .order_by("problem__round__stationed_from", "task_no")
    )
    found = [Entry(i.batch.round, i, str(_("边督边改交办件")), i.acceptance_no) for i in items]
    found += [Entry(t.problem.round, t, str(_("反馈问题整改任务")), t.task_no) for t in tasks]
    return found


@login_required
@require_GET
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    round = visible_round(request, pk)
    visible = Case.objects.visible_to(request.user).values("pk")
    found = entries(round, visible)
    if request.GET.get("format") == "xlsx":
        return _xlsx(round, found)
    return render(
        request,
        "inspection_rounds/ledger.html",
        {"round": round, "entries": found, "area": area(round), "earlier": earlier_rounds(round)},
    )


def _xlsx(round: InspectionRound, found: list[Entry]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("迎检台账")
    sheet.append([_("%(round)s迎检台账") % {"round": round.name}])
    sheet.append(
        [
            _("督察轮次"),
            _("类型"),
            _("编号"),
            _("案件编号"),
            _("事项"),
            _("责任单位"),
            _("状态"),
            _("办理期限"),
            _("佐证材料（件）"),
            _("最近佐证时间"),
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for entry in found:
        case = entry.case
        sheet.append(
            [
                entry.round.name,
                entry.kind,
                entry.code,
                case.case_no,
                case.title,
                case.responsible_unit.name if case.responsible_unit else "",
                case.get_state_display(),
                calendar.limit_text(case.due_at) if case.due_at else "",
                entry.evidence,
                case.evidence_at.astimezone(calendar.SHANGHAI).strftime("%Y-%m-%d %H:%M")
                if case.evidence_at
                else "",
            ]
        )
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = _("%(round)s迎检台账.xlsx") % {"round": round.name}
    response["Content-Disposition"] = (
        f"attachment; filename=\"ledger-{round.pk}.xlsx\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response
