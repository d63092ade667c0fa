"""A 周排名 / 月考核 snapshot as an Excel workbook (sheet 1 the ranked table, sheet 2 the
formula, the weights, the period and the digest) and as a PDF document.

Everything comes from the snapshot itself (its rows, formula and weights), never from today's
settings: the export of a snapshot is the same whenever it is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from enforcement.models import RankingSnapshot
from workflow import calendar
from workflow.documents import Document, render_pdf
from workflow.record_language import in_record_language

if TYPE_CHECKING:
    from enforcement.rankings.views import TableRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def _disposition(snapshot: RankingSnapshot, extension: str) -> str:
    """RFC 6266: an ASCII fallback, then the Chinese name (RFC 5987)."""
    name = f"{snapshot.get_kind_display()}-{snapshot.scope.code}-{snapshot.first_day}.{extension}"
    fallback = f"ranking-{snapshot.kind}-{snapshot.first_day}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _rank(value: Any) -> str:
    return "—" if value is None else str(value)


def _void(row: dict[str, Any]) -> str:
    return _("取消评优") if row.get("excellence_void") else ""


def header() -> list[str]:
    from enforcement.rankings.views import INPUT_LABELS

    return [
        _("名次"),
        _("单位代码"),
        _("单位"),
        _("得分"),
        _("按期办结率(%)"),
        _("满意率(%)"),
        _("平均办理天数"),
        _("评优"),
        _("名次变化"),
        _("得分变化"),
        *[str(label) for label in INPUT_LABELS.values()],
    ]


def line(item: TableRow) -> list[Any]:
    row = item.row
    change = item.rank_change
    return [
        _rank(row.get("rank")),
        row["unit"],
        row["name"],
        row.get("score") or _("本期无办件"),
        row.get("on_time_rate") or "—",
        row.get("satisfaction_rate") or "—",
        row.get("average_days") or "—",
        _void(row),
        "" if change is None else f"{change:+d}",
        item.score_delta or "",
        *item.inputs,
    ]


def _as_text(sheet: Any) -> None:
    """A name or formula line beginning with "=" stays text, never a spreadsheet formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def workbook(
    snapshot: RankingSnapshot, rows: Sequence[TableRow], weights: Sequence[Any], period: str
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("排名")
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for item in rows:
        sheet.append(line(item))
    sheet.freeze_panes = "A2"

    about = book.create_sheet(_("公式与权重"))
    about.append([_("类型"), snapshot.get_kind_display()])
    about.append([_("考核范围"), snapshot.scope.name])
    about.append([_("统计期间"), period])
    about.append(
        [
            _("生成时间"),
            snapshot.created_at.astimezone(calendar.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
        ]
    )
    about.append([_("校验值"), snapshot.digest])
    about.append([])
    about.append([_("权重")])
    about[about.max_row][0].font = BOLD
    for key, label, value in weights:
        about.append([label, value, key])
    about.append([])
    about.append([_("计分公式")])
    about[about.max_row][0].font = BOLD
    for text in snapshot.formula.splitlines():
        about.append([text])
    about.column_dimensions["A"].width = 28
    _as_text(sheet)
    _as_text(about)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(
    snapshot: RankingSnapshot, rows: Sequence[TableRow], weights: Sequence[Any], period: str
) -> HttpResponse:
    response = HttpResponse(workbook(snapshot, rows, weights, period), content_type=XLSX)
    response["Content-Disposition"] = _disposition(snapshot, "xlsx")
    return response


def document(
    snapshot: RankingSnapshot, rows: Sequence[TableRow], weights: Sequence[Any], period: str
) -> Document:
    with in_record_language():
        kind = str(snapshot.get_kind_display())
        paragraphs = [_("统计期间：%(period)s。") % {"period": period}]
        for item in rows:
            row = item.row
            text = _(
                "第%(rank)s名 %(name)s：得分%(score)s，按期办结率%(on_time)s，满意率%(sat)s，"
                "逾期未办%(overdue)s件，核查退回%(returns)s次，重复投诉%(repeats)s件，"
                "约谈%(yuetan)s次"
            ) % {
                "rank": _rank(row.get("rank")),
                "name": row["name"],
                "score": row.get("score") or _("（本期无办件）"),
                "on_time": f"{row['on_time_rate']}%" if row.get("on_time_rate") else "—",
                "sat": f"{row['satisfaction_rate']}%" if row.get("satisfaction_rate") else "—",
                "overdue": row["inputs"].get("overdue", 0),
                "returns": row["inputs"].get("returns", 0),
                "repeats": row["inputs"].get("repeats", 0),
                "yuetan": row["inputs"].get("yuetan", 0),
            }
            if row.get("excellence_void"):
                text += _("（取消评优）")
            change = item.rank_change
            if change:
                text += _("（较上期%(change)+d名）") % {"change": change}
            paragraphs.append(text + _("。"))
        paragraphs.append(_("计分公式："))
        paragraphs += [t for t in snapshot.formula.splitlines() if t.strip()]
        facts = [(label, value) for _key, label, value in weights]
        facts.append((_("校验值"), snapshot.digest))
        day = calendar.local_date(snapshot.created_at)
        return Document(
            issuer=snapshot.scope.name,
            number=_("%(kind)s %(first)s") % {"kind": kind, "first": snapshot.first_day},
            title=kind,
            addressee_line="",
            paragraphs=paragraphs,
            facts=facts,
            signed_on=_("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day},
        )


def pdf_response(
    snapshot: RankingSnapshot, rows: Sequence[TableRow], weights: Sequence[Any], period: str
) -> HttpResponse:
    response = HttpResponse(
        render_pdf(document(snapshot, rows, weights, period)), content_type="application/pdf"
    )
    response["Content-Disposition"] = _disposition(snapshot, "pdf")
    return response
