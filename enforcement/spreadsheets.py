"""Reading the spreadsheets a bureau receives (CSV in UTF-8 or GBK, Excel .xlsx) into rows of
text, and matching their header to fields in every language the site speaks. The importers of
the enterprise register and of the 督察 batches read through here."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: The key of a row's errors that belong to no single column.
ROW_ERROR = "__all__"


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """A header cell or a word as compared: full-width folded, no spaces, no required-mark."""
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("*").lower()


def renderings(words: Iterable[tuple[str, Promise]]) -> dict[str, str]:
    """Each word in every language of the site (and the active one), folded → its value."""
    found: dict[str, str] = {}
    words = list(words)
    for code in [translation.get_language(), *(code for code, _name in settings.LANGUAGES)]:
        with translation.override(code):
            for value, word in words:
                found.setdefault(fold(str(word)), value)
    return found


def map_header(
    header: list[str],
    columns: Sequence[tuple[str, Promise]],
    synonyms: Sequence[tuple[str, Promise]],
    required: Sequence[str],
) -> dict[int, str]:
    """{column index: field} for the header's known titles; refuses a header without every
    required column."""
    by_title = renderings(columns)
    for title, synonym_of in renderings(synonyms).items():
        by_title.setdefault(title, synonym_of)
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        field_name = by_title.get(fold(cell))
        if field_name and field_name not in found.values():
            found[index] = field_name
    labels = dict(columns)
    missing = [str(labels[f]) for f in required if f not in found.values()]
    if missing:
        raise ImportRefused(
            _("表头缺少必填列：%(columns)s。请使用导入模板的表头。")
            % {"columns": pgettext("list separator", "、").join(missing)}
        )
    return found


def row_errors(form: forms.BaseForm, titles: dict[str, str]) -> dict[str, list[str]]:
    """A row form's errors under the column titles the file used (ROW_ERROR for the row's)."""
    return {
        titles.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


def read_rows(data: bytes, *, name: str = "") -> list[list[str]]:
    """The file's rows as lists of strings; the first is the header."""
    if not data:
        raise ImportRefused(_("文件是空的。"))
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data)
    elif name.lower().endswith((".xls", ".xlsx", ".xlsm")) or b"\x00" in data[:1024]:
        raise ImportRefused(_("无法读取该文件：请上传 CSV 或 Excel（.xlsx）文件。"))
    else:
        rows = _csv_rows(data)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportRefused(_("文件是空的。"))
    return rows


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("无法识别文件的编码：请另存为 UTF-8 或 GBK 编码的 CSV 文件。")
        ) from None


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportRefused(_("无法读取 CSV 文件：%(error)s") % {"error": error}) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused(
            _("无法读取 Excel 文件（%(error)s）：请上传 .xlsx 格式的文件。") % {"error": error}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_csv(titles: Sequence[str]) -> bytes:
    """An import template: the header row, UTF-8 with a BOM so that Excel opens it right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(titles)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
