"""The damage-compensation metrics as an Excel workbook: 1 the rates per bureau (with the period
and when it was generated), 2 the definitions, 3 the cases behind the numbers.

The cases sheet carries case facts only (number, title, unit, state, channel, dates): no
reporter or party identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from enforcement.damage.metrics import DEFINITIONS
from enforcement.models import DamageCase
from workflow.exports import BOLD, local, to_bytes, write_sheet, xlsx_response


def filename(key: str) -> str:
    return _("损害赔偿指标-%(period)s.xlsx") % {"period": key}


def _rates_sheet(
    sheet: Any, chosen: Any, rows: Sequence[Any], total: Any, now: dt.datetime
) -> None:
    sheet.title = _("指标")
    sheet.append([_("生态环境损害赔偿指标")])
    sheet["A1"].font = Font(bold=True, size=14)
    period = chosen.period
    sheet.append(
        [
            _("统计期间"),
            _("%(label)s（%(first)s — %(last)s）")
            % {
                "label": chosen.label,
                "first": period.first.isoformat(),
                "last": period.last.isoformat(),
            },
        ]
    )
    sheet.append([_("生成时间"), local(now)])
    sheet.append([])
    header: list[Any] = [_("单位")]
    for d in DEFINITIONS:
        header += [f"{d.label} {_('分子')}", f"{d.label} {_('分母')}", f"{d.label}"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for row in [*rows, total]:
        values: list[Any] = [row.label]
        for c in row.cells:
            value = c.value
            values += [c.numerator, c.denominator, "—" if value is None else round(value, 4)]
        sheet.append(values)
        line = sheet.max_row
        for index in range(len(row.cells)):
            sheet.cell(line, 4 + 3 * index).number_format = "0.0%"
        if row.unit is None:
            for cell in sheet[line]:
                cell.font = BOLD
    sheet.column_dimensions["A"].width = 22


def _definitions_sheet(
    sheet: Any, definitions: Iterable[dict[str, Any]], rules: Iterable[str]
) -> None:
    sheet.title = _("指标定义")
    sheet.append([_("指标"), _("定义"), _("分子"), _("分母")])
    for cell in sheet[1]:
        cell.font = BOLD
    for d in definitions:
        sheet.append(
            [str(d["label"]), str(d["definition"]), str(d["numerator"]), str(d["denominator"])]
        )
    sheet.append([])
    sheet.append([_("统计规则")])
    sheet.cell(sheet.max_row, 1).font = BOLD
    for rule in rules:
        sheet.append([rule])
    for column, width in zip("ABCD", (14, 50, 44, 40), strict=True):
        sheet.column_dimensions[column].width = width


def _cases_sheet(sheet: Any, cases: Iterable[DamageCase]) -> None:
    write_sheet(
        sheet,
        title=_("案件清单"),
        header=[
            _("案件编号"),
            _("标题"),
            _("管辖单位"),
            _("状态"),
            _("线索来源"),
            _("收到线索时间"),
            _("立案启动时间"),
            _("结案时间"),
        ],
        rows=(
            [
                case.case_no,
                case.title,
                case.jurisdiction.name,
                case.get_state_display(),
                case.get_channel_display(),
                local(case.clue_received_at),
                local(case.started_at),
                local(case.closed_at),
            ]
            for case in cases
        ),
        widths=(24, 40, 18, 14, 24, 18, 18, 18),
    )


def workbook(
    *,
    chosen: Any,
    rows: Sequence[Any],
    total: Any,
    definitions: Iterable[dict[str, Any]],
    rules: Iterable[str],
    cases: Iterable[DamageCase],
    now: dt.datetime,
) -> bytes:
    book = Workbook()
    _rates_sheet(book.active, chosen, rows, total, now)
    _definitions_sheet(book.create_sheet(), definitions, rules)
    _cases_sheet(book.create_sheet(), cases)
    return to_bytes(book)


def response(**kwargs: Any) -> HttpResponse:
    key = kwargs["chosen"].key
    return xlsx_response(
        workbook(**kwargs), name=filename(key), fallback=f"damage-metrics-{key}.xlsx"
    )
