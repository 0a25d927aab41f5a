"""Everything this portal writes as a spreadsheet: templates, rejected rows and list exports.
Every cell goes through `neutralise` (UPL-4), so nothing a worker typed runs as a formula when a
colleague opens the file."""
from __future__ import annotations

import io
from typing import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .kinds import UploadKind
from .values import FORBIDDEN_CHARACTERS, has_forbidden_character

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; a character
    no xlsx can hold (a rejected row's NUL) is shown as U+FFFD instead of failing the file."""
    if isinstance(value, str):
        if has_forbidden_character(value):
            value = FORBIDDEN_CHARACTERS.sub("\ufffd", value)
        if value.startswith(_FORMULA_STARTS):
            return "'" + value
    return value


class NeutralisingResourceMixin:
    """For django-import-export resources: neutralise every exported cell."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]], text_columns: Sequence[int] = ()) -> bytes:
    """Sheets given as (title, headers, rows). Columns in ``text_columns`` are formatted as text
    so that Excel keeps 18-digit ID numbers intact."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        for index, header in enumerate(headers):
            letter = _letter(index)
            sheet.column_dimensions[letter].width = max(12, len(str(header)) * 2 + 4)
            if index in text_columns:
                sheet.column_dimensions[letter].number_format = "@"
        sheet.append([neutralise(str(h)) for h in headers])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def template_xlsx(kind: type[UploadKind]) -> bytes:
    """The template a district office fills in (UPL-1): the data sheet first, then 填写说明."""
    workbook = Workbook()
    data = workbook.active
    data.title = str(kind.label)[:31]
    for index, column in enumerate(kind.columns, start=1):
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        letter = _letter(index - 1)
        data.column_dimensions[letter].width = max(12, len(column.header) * 3)
        # Text format for every column: Excel must never turn an ID number into 1.10105E+17.
        data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"
    rules = workbook.create_sheet("填写说明")
    rules.append(["列名", "是否必填", "填写规则", "示例"])
    for cell in rules[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for column in kind.columns:
        rules.append([column.header, requirement(column), column.rule, neutralise(column.example)])
    rules.append([])
    rules.append(["说明", "", "表头须保持模板原样；表头上方可有一行标题；空行会被忽略。上传后先预览，确认后才写入。", ""])
    if any(column.optional for column in kind.columns):
        rules.append(["可省略列", "", "标为“可省略列”的列可以整列删去（旧模板照常可用）；这些列的单元格留空时，"
                      "系统保留已登记的内容，不会清空。需要清空时请在管理后台修改。", ""])
    for letter, width in zip("ABCD", (16, 16, 70, 24)):
        rules.column_dimensions[letter].width = width
    for row in rules.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def requirement(column) -> str:
    """The 是否必填 cell of a column on the 填写说明 sheet (issue 8: it says which columns are optional)."""
    if column.required:
        return "必填"
    if column.optional:
        return "选填，可省略列"
    return "选填"


def rejected_rows_xlsx(kind: type[UploadKind], errors: Sequence[dict], *, reveal: bool) -> bytes:
    """The rejected rows as they were, plus 原行号 and 错误原因, ready to fix and upload again.
    ID numbers stay masked, in every column, unless ``reveal`` (the uploader's own file, or a
    holder of the reveal permission, whose download is recorded)."""
    from .pipeline import flatten_errors, rejected_values

    sensitive = [index for index, column in enumerate(kind.columns) if column.sensitive]
    headers = [column.header for column in kind.columns] + ["原行号", "错误原因"]
    rows = (
        [*rejected_values(error, reveal=reveal, sensitive=sensitive), error["row"],
         "；".join(f"{column}：{reason}" if column else reason
                  for column, reason in ((e["column"], e["reason"]) for e in flatten_errors([error])))]
        for error in errors
    )
    text_columns = range(len(kind.columns))
    return xlsx_bytes([(_("Rejected rows")[:31], headers, rows)], text_columns=text_columns)
