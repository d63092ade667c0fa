"""The 调度 pages of a round: the live progress of its tasks, the reports taken (by the beat on the
month's first working day, or now on demand), each as a page, an Excel and a numbered PDF made
from the frozen report alone."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from enforcement.inspection_rounds import dispatch, services
from enforcement.inspection_rounds.views import visible_round
from enforcement.models import DispatchReport, RectificationTask
from workflow import calendar
from workflow.documents import Document, render_pdf
from workflow.models import Case
from workflow.record_language import in_record_language
from workflow.views.auth import login_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUSES = (dispatch.DONE, dispatch.ON_TRACK, dispatch.LAGGING, dispatch.OVERDUE)


def _totals(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(dispatch.STATUS_LABELS[s]), counts.get(s, 0)) for s in STATUSES]


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Where each task stands now, and the reports taken."""
    round = visible_round(request, pk)
    now = timezone.now()
    visible = Case.objects.visible_to(request.user).values("pk")
    lines = dispatch.lines(
        round, now, RectificationTask.objects.filter(problem__round=round, pk__in=visible)
    )
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
    return render(
        request,
        "inspection_rounds/dispatch.html",
        {
            "round": round,
            "lines": lines,
            "totals": _totals(counts),
            "reports": round.dispatch_reports.all(),
            "may_manage": services.may_manage(request.user, round),
            "now": now,
        },
    )


@login_required
@require_POST
def take_now(request: HttpRequest, pk: int) -> HttpResponse:
    round = visible_round(request, pk)
    if not services.may_manage(request.user, round):
        raise PermissionDenied
    now = timezone.now()
    report = dispatch.take(round, dispatch.month_so_far(now), now=now)
    messages.success(request, _("已生成调度报告 %(number)s。") % {"number": report.number})
    return redirect("enforcement:dispatch_report", round.pk, report.pk)


def _report(request: HttpRequest, pk: int, report_pk: int) -> DispatchReport:
    round = visible_round(request, pk)
    return get_object_or_404(
        DispatchReport.objects.select_related("round", "region"), round=round, pk=report_pk
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk)
    by = report.summary
    return render(
        request,
        "inspection_rounds/dispatch_report.html",
        {
            "report": report,
            "round": report.round,
            "totals": _totals(by.get("total", {})),
            "units": [(name, _totals(c)) for name, c in sorted(by.get("by_unit", {}).items())],
            "leaders": [(name, _totals(c)) for name, c in sorted(by.get("by_leader", {}).items())],
            "labels": {key: str(label) for key, label in dispatch.STATUS_LABELS.items()},
            "verified": dispatch.verify(report),
        },
    )


def _disposition(report: DispatchReport, extension: str) -> str:
    name = f"{report.number}.{extension}"
    fallback = f"dispatch-{report.round_id}-{report.first_day}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def headings() -> list[str]:
    return [
        _("问题"),
        _("任务编号"),
        _("任务"),
        _("整改类型"),
        _("责任单位"),
        _("牵头/配合"),
        _("责任领导"),
        _("时限"),
        _("状态"),
        _("进度"),
        _("反弹次数"),
    ]


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk)
    labels = {key: str(label) for key, label in dispatch.STATUS_LABELS.items()}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("调度")
    sheet.append([f"{report.number} {report.round.name}"])
    sheet.append(
        [
            _("统计期间：%(first)s 至 %(last)s")
            % {"first": report.first_day, "last": report.last_day}
        ]
    )
    sheet.append(headings())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in report.rows:
        sheet.append(
            [
                row["problem"],
                row["task"],
                row["title"],
                row["horizon"],
                row["unit"],
                row["role"],
                row["leader"],
                row["due"],
                row["state"],
                labels.get(row["progress"], row["progress"]),
                row["rebounds"],
            ]
        )
    sheet.freeze_panes = "A4"
    about = book.create_sheet(_("汇总"))
    about.append([_("分组"), _("名称"), *labels.values()])
    for group, title in (
        ("by_unit", _("责任单位")),
        ("by_leader", _("责任领导")),
        ("by_problem", _("问题")),
    ):
        for name, counts in sorted(report.summary.get(group, {}).items()):
            about.append([title, name, *(counts.get(s, 0) for s in STATUSES)])
    about.append([_("校验值"), report.digest])
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = _disposition(report, "xlsx")
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk)
    with in_record_language():
        labels = {key: str(label) for key, label in dispatch.STATUS_LABELS.items()}
        total = report.summary.get("total", {})
        paragraphs = [
            _("统计期间：%(first)s 至 %(last)s。")
            % {"first": report.first_day, "last": report.last_day},
            _("共%(n)d项任务：%(counts)s。")
            % {
                "n": len(report.rows),
                "counts": pgettext("enumeration", "，").join(
                    _("%(label)s%(n)d项") % {"label": labels[s], "n": total.get(s, 0)}
                    for s in STATUSES
                ),
            },
        ]
        for row in report.rows:
            if row["progress"] in (dispatch.LAGGING, dispatch.OVERDUE):
                paragraphs.append(
                    _(
                        "%(task)s %(title)s（%(unit)s，责任领导%(leader)s）："
                        "%(progress)s，时限%(due)s。"
                    )
                    % {
                        "task": row["task"],
                        "title": row["title"],
                        "unit": row["unit"],
                        "leader": row["leader"],
                        "progress": labels[row["progress"]],
                        "due": row["due"] or "—",
                    }
                )
        day = calendar.local_date(report.created_at)
        document = Document(
            issuer=report.region.name,
            number=report.number,
            title=_("%(round)s整改情况调度") % {"round": report.round.name},
            addressee_line=_("各责任单位："),
            paragraphs=paragraphs,
            facts=[(_("校验值"), report.digest)],
            signed_on=_("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day},
        )
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = _disposition(report, "pdf")
    return response
