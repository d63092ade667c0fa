"""Excel exports: one generic sheet writer, and the case list (案件列表) as a workbook.

The case list carries case facts only (number, type, title, state, units, the staff member who
handles it, dates). Never a reporter's identity: the engine's Case has none, the description is
left out (a complaint's description may name people) and nothing here reads the domain's tables.

Every text cell is written as text: a title beginning with "=" stays a title in Excel, never a
formula, and characters a workbook cannot hold are dropped instead of failing the export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from workflow.calendar import SHANGHAI
from workflow.models import Case, Rung

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
#: The most rows one export writes; beyond it a note row says the list was cut.
MAX_ROWS = 10_000


def local(moment: dt.datetime | None) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_sheet(
    sheet: Any,
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    note: str = "",
) -> None:
    """A header row in bold, then the rows; text cells stay text (no formulas)."""
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        sheet.append([_clean(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type != "s":
                cell.data_type = "s"  # "=…" would otherwise be stored as a formula
    if note:
        sheet.append([note])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width


def to_bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def content_disposition(name: str, fallback: str) -> str:
    """RFC 6266: an ASCII fallback for old clients, then the Chinese name (RFC 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def xlsx_response(data: bytes, *, name: str, fallback: str) -> HttpResponse:
    reply = HttpResponse(data, content_type=XLSX)
    reply["Content-Disposition"] = content_disposition(name, fallback)
    reply["Cache-Control"] = "private, no-store"
    return reply


# --- 案件列表 -------------------------------------------------------------------------------------


def case_header() -> list[str]:
    return [
        _("案件编号"),
        _("类型"),
        _("标题"),
        _("状态"),
        _("管辖单位"),
        _("责任单位"),
        _("承办人"),
        _("办理期限"),
        _("督办级别"),
        _("创建时间"),
        _("办结时间"),
    ]


def _person(user: Any) -> str:
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def _rung(level: int) -> str:
    try:
        return str(Rung(level).label)
    except ValueError:
        return str(level)


def case_row(case: Case) -> list[Any]:
    return [
        case.case_no,
        str(case.case_type.label),
        case.title,
        case.get_state_display(),
        case.jurisdiction.name,
        case.responsible_unit.name if case.responsible_unit else "",
        _person(case.assignee),
        local(case.due_at),
        _rung(case.escalation_level) if case.escalation_level else "",
        local(case.created_at),
        local(case.closed_at),
    ]


def case_workbook(cases: QuerySet[Case], *, now: dt.datetime, limit: int = MAX_ROWS) -> bytes:
    """The cases (already filtered and ordered, the user's visible ones) as one sheet."""
    chosen = list(
        cases.select_related("jurisdiction", "responsible_unit", "assignee").only(
            "case_no",
            "kind",
            "title",
            "state",
            "jurisdiction__name",
            "responsible_unit__name",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            "due_at",
            "escalation_level",
            "created_at",
            "closed_at",
        )[: limit + 1]
    )
    note = ""
    if len(chosen) > limit:
        chosen = chosen[:limit]
        note = _("仅导出前 %(limit)s 件，请缩小筛选范围后再导出其余案件。") % {"limit": limit}
    book = Workbook()
    write_sheet(
        book.active,
        title=_("案件列表"),
        header=case_header(),
        rows=(case_row(case) for case in chosen),
        widths=(24, 14, 40, 12, 18, 18, 10, 18, 12, 18, 18),
        note=note,
    )
    info = book.create_sheet(_("说明"))
    info.append([_("导出时间"), local(now)])
    info.append([_("案件数"), len(chosen)])
    info.append([_("说明"), _("仅含案件信息，不含反映人身份和情况描述。")])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 50
    return to_bytes(book)


def case_filename(now: dt.datetime) -> tuple[str, str]:
    """(the Chinese name, its ASCII fallback)."""
    stamp = now.astimezone(SHANGHAI).strftime("%Y%m%d-%H%M")
    return _("案件列表-%(stamp)s.xlsx") % {"stamp": stamp}, f"cases-{stamp}.xlsx"
