"""The streaming xlsx reader gives what calamine gives, on the files in tests/data and on the
XML shapes other producers write (shared strings, rich text, formulas, prefixes, dates)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from uploads import xlsx_stream

DATA = Path(__file__).resolve().parent.parent / "data"


def _normal(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == "" else value


def _calamine(data: bytes) -> dict[int, list]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    start = (sheet.start or (0, 0))[0]
    rows = {start + i + 1: [_normal(v) for v in row] for i, row in enumerate(sheet.iter_rows())}
    return {n: _trim(r) for n, r in rows.items() if any(v is not None for v in r)}


def _stream(data: bytes) -> dict[int, list]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    paths, strings, dates = xlsx_stream.open_stream(archive)
    return {n: _trim([_normal(v) for v in r]) for n, r in xlsx_stream.iter_sheet(archive, paths[0], strings, dates)
            if any(_normal(v) is not None for v in r)}


def _trim(values: list) -> list:
    while values and values[-1] is None:
        values = values[:-1]
    return values


@pytest.mark.parametrize("name", ["workers_title_row.xlsx", "workers_numeric_id.xlsx"])
def test_stream_matches_calamine_on_test_files(name):
    data = (DATA / name).read_bytes()
    assert _stream(data) == _calamine(data)


def _handmade() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["placeholder"])
    base = io.BytesIO()
    book.save(base)
    source = zipfile.ZipFile(base)
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
              '<si><t>姓名</t></si>'
              '<si><r><rPr><b/></rPr><t>王</t></r><r><t xml:space="preserve">建国 </t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si>'
              '<si><t>A&amp;B &lt;工会&gt;</t></si></sst>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:sheetData>'
             '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>'
             '<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
             '<x:c r="C3" t="b"><x:v>1</x:v></x:c><x:c r="D3" t="e"><x:v>#N/A</x:v></x:c>'
             '<x:c r="E3" s="1"><x:v>41395</x:v></x:c><x:c r="F3" t="str"><x:f>A1</x:f><x:v>姓名</x:v></x:c>'
             '<x:c r="G3"><x:v>1.10105194912310E+17</x:v></x:c></x:row>'
             '</x:sheetData></x:worksheet>')
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
              '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/></cellXfs>'
              '</styleSheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr(item, sheet)
            elif item.filename == "xl/styles.xml":
                target.writestr(item, styles)
            else:
                target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", shared)
    data = out.getvalue()
    # openpyxl's content types lack sharedStrings; add the override so every reader finds it.
    archive = zipfile.ZipFile(io.BytesIO(data))
    types = archive.read("[Content_Types].xml").decode()
    if "sharedStrings" not in types:
        types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        rels = archive.read("xl/_rels/workbook.xml.rels").decode().replace(
            "</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        fixed = io.BytesIO()
        with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
            for item in archive.infolist():
                body = archive.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    body = types.encode()
                elif item.filename == "xl/_rels/workbook.xml.rels":
                    body = rels.encode()
                target.writestr(item, body)
        data = fixed.getvalue()
    return data


def test_stream_reads_other_producers_shapes():
    rows = _stream(_handmade())
    assert rows[1] == ["姓名", None, "A&B <工会>"]
    assert rows[3][:4] == ["王建国 ", 2, True, None]  # an error cell (#N/A) holds no value
    assert rows[3][4] == dt.date(2013, 5, 1)
    assert rows[3][5] == "姓名"
    assert isinstance(rows[3][6], (int, float))  # an ID number Excel turned into a number stays a number
    assert 2 not in rows


def test_stream_and_calamine_agree_on_other_producers_shapes():
    data = _handmade()
    ours, theirs = _stream(data), _calamine(data)
    assert ours.keys() == theirs.keys()
    for number in ours:
        assert [v.date() if isinstance(v, dt.datetime) else v for v in ours[number]] == \
               [v.date() if isinstance(v, dt.datetime) else v for v in theirs[number]]
