"""案件列表 → Excel: the page's filters and jurisdiction, every page, and no reporter identity."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import MONDAY, client_for, file_complaint, open_item
from workflow import exports

pytestmark = pytest.mark.django_db

HEADER = [
    "案件编号",
    "类型",
    "标题",
    "状态",
    "管辖单位",
    "责任单位",
    "承办人",
    "办理期限",
    "督办级别",
    "创建时间",
    "办结时间",
]


def export(user: Any, **params: Any) -> Any:
    response = client_for(user).get(reverse("console:case_list"), {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    return response, load_workbook(BytesIO(response.content))


def sheet_rows(book: Any) -> list[list[Any]]:
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def every_cell(book: Any) -> str:
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_export_has_the_header_and_the_filtered_list_of_every_page(
    dispatcher: Any, district: Any
):
    for n in range(27):
        open_item(actor=dispatcher, jurisdiction=district, title=f"排查事项{n:02d}")
    other = open_item(actor=dispatcher, jurisdiction=district, title="噪声扰民")

    response, book = export(dispatcher, q="排查")

    rows = sheet_rows(book)
    assert rows[0] == HEADER
    page = client_for(dispatcher).get(reverse("console:case_list"), {"q": "排查"}).context["page"]
    expected = [case.case_no for case in page.paginator.object_list]
    assert [row[0] for row in rows[1:]] == expected  # 27 rows: both pages, the page's order
    assert len(expected) == 27
    assert other.case_no not in every_cell(book)
    first = rows[1]
    assert first[1] == "督办事项"
    assert first[2].startswith("排查事项")
    assert first[4] == district.name
    assert first[9] == "2026-06-01 09:00"  # Beijing time
    assert first[10] is None  # not closed
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cases-')
    assert "filename*=UTF-8''" + quote("案件列表-", safe="") in disposition


def test_a_complaints_reporter_appears_nowhere_in_the_workbook(dispatcher: Any, district: Any):
    complaint = file_complaint(
        jurisdiction=district,
        name="张秘密",
        phone="13912345678",
        email="zhang@example.com",
        description="我是张秘密，电话13912345678，化工厂夜间排黑烟",
    )

    _response, book = export(dispatcher)

    cells = every_cell(book)
    assert complaint.case_no in cells
    for secret in ("张秘密", "13912345678", "zhang@example.com", "夜间排黑烟"):
        assert secret not in cells


def test_an_outsiders_export_has_only_their_cases(
    dispatcher: Any, outsider: Any, district: Any, other_district: Any
):
    mine = open_item(actor=dispatcher, jurisdiction=district, title="小店的事项")
    theirs = open_item(actor=outsider, jurisdiction=other_district, title="迎泽的事项")

    _response, book = export(outsider)

    numbers = [row[0] for row in sheet_rows(book)[1:]]
    assert numbers == [theirs.case_no]
    assert mine.case_no not in every_cell(book)


def test_the_state_filter_applies_and_an_empty_list_gives_just_the_header(
    dispatcher: Any, district: Any
):
    open_item(actor=dispatcher, jurisdiction=district, title="待交办")

    _response, book = export(dispatcher, state="closed")

    assert sheet_rows(book) == [HEADER]


def test_a_long_list_is_capped_with_a_note(dispatcher: Any, district: Any):
    for n in range(3):
        open_item(actor=dispatcher, jurisdiction=district, title=f"事项{n}")
    from workflow import selectors

    cases = selectors.case_list(dispatcher, selectors.CaseFilters(), now=MONDAY)
    book = load_workbook(BytesIO(exports.case_workbook(cases, now=MONDAY, limit=2)))

    rows = sheet_rows(book)
    assert len(rows) == 1 + 2 + 1
    assert "仅导出前 2 件" in rows[-1][0]


def test_a_title_that_looks_like_a_formula_stays_text(dispatcher: Any, district: Any):
    item = open_item(actor=dispatcher, jurisdiction=district, title="=HYPERLINK(1)")

    _response, book = export(dispatcher)

    cell = book.worksheets[0].cell(2, 3)
    assert cell.value == item.title
    assert cell.data_type == "s"


def test_the_list_page_links_to_the_export_with_its_filters(dispatcher: Any, district: Any):
    open_item(actor=dispatcher, jurisdiction=district, title="排查")

    page = client_for(dispatcher).get(reverse("console:case_list"), {"q": "排查", "page": 1})

    assert "?q=%E6%8E%92%E6%9F%A5&amp;format=xlsx" in page.text
