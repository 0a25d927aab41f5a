"""Spreadsheets for the innovation upload tests, made on the fly."""
from __future__ import annotations

import io

import openpyxl

ACHIEVEMENT_HEADERS = ["成果编码", "成果名称", "单位代码", "完成人身份证号", "完成人姓名", "成果类型", "年度", "评价等级"]


def xlsx(rows: list[list], *, headers=ACHIEVEMENT_HEADERS, title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
