"""Rosters made on the fly for the upload tests that need many rows or chosen ID numbers."""
from __future__ import annotations

import csv
import datetime as dt
import io

from core.identity import make_id_number

HEADERS = ["姓名", "身份证号", "单位代码", "岗位", "一线职工", "农民工", "困难职工", "文化程度", "手机号码", "入会日期"]


def id_numbers(count: int, *, region: str = "110105", start: int = 0) -> list[str]:
    first = dt.date(1960, 1, 1)
    return [make_id_number(region, first + dt.timedelta(days=index // 999), index % 999 + 1)
            for index in range(start, start + count)]


def roster_csv(numbers: list[str], unit_code: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for index, number in enumerate(numbers):
        writer.writerow([f"职工{index}", number, unit_code, "焊工", "是", "否", "否", "本科", "", "2013-05-01"])
    return buffer.getvalue().encode("utf-8")
