"""UPL-4, issue 6 item 7: hostile spreadsheets are refused (or read) within 2 s of CPU and 200 MB.

Each file is built here, small, with zipfile. The read runs in a child process under RLIMIT_AS and
RLIMIT_CPU, so a reader that regresses fails the test instead of taking the machine down; the child
reports its CPU time and how far its peak resident memory rose above its size before the read.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SECONDS = 2.0
MEGABYTES = 200

_CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from django.utils import translation
from uploads.reader import UploadRefused, open_sheets

translation.activate("en")
data = open(sys.argv[1], "rb").read()
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
with open("/proc/self/statm") as statm:
    virtual = int(statm.read().split()[0]) * resource.getpagesize()
# A safety net well above the 200 MB the test allows: a runaway reader dies instead of swapping.
resource.setrlimit(resource.RLIMIT_AS, (virtual + 600 * 1024 * 1024, hard))
resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
with open("/proc/self/statm") as statm:
    resident = int(statm.read().split()[1]) * resource.getpagesize() // 1024
# Measured from the resident size now, so an earlier peak (imports) can only overstate the read's.
before = resident
started = time.process_time()
outcome, message, rows, widest = "read", "", 0, 0
try:
    for sheet in open_sheets(data):
        for number, cells in sheet.rows:
            rows += 1
            widest = max(widest, len(cells))
except UploadRefused as refused:
    outcome, message = "refused", refused.message
except MemoryError:
    outcome = "memory"
seconds = time.process_time() - started
# A large sheet is read by a process of its own (uploads.xlsx_process), reaped once read: its CPU
# time counts, and its peak, which starts at this process's size when it was forked.
children = resource.getrusage(resource.RUSAGE_CHILDREN)
seconds += children.ru_utime + children.ru_stime
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a large parent (a long
# pytest session) would count as this child's peak.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
grown = (max(peak, children.ru_maxrss) - before) / 1024
print(json.dumps({"outcome": outcome, "message": message, "rows": rows, "widest": widest,
                  "seconds": seconds, "megabytes": grown}))
"""


def read_in_child(tmp_path, data: bytes, **settings) -> dict:
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    env = {**os.environ, **{key: str(value) for key, value in settings.items()}}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not done.stdout.strip():
        pytest.fail(f"the read did not finish (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def limits_report(result: dict) -> str:
    return f"{result['outcome']} in {result['seconds']:.2f} s, +{result['megabytes']:.0f} MB: {result['message']}"


def within_limits(result: dict) -> bool:
    return result["outcome"] != "memory" and result["seconds"] < SECONDS and result["megabytes"] < MEGABYTES


def _base_parts() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    book.active.append(["placeholder"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    return {item.filename: source.read(item.filename) for item in source.infolist()}


def xlsx_with_sheet(sheet_parts, *, extra: dict[str, bytes] | None = None) -> bytes:
    """An xlsx whose first sheet is the concatenation of ``sheet_parts`` (str or bytes pieces,
    written one by one so that a 100 MB sheet never sits whole in this process)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, body in _base_parts().items():
            if name == "xl/worksheets/sheet1.xml":
                with target.open(name, "w", force_zip64=True) as handle:
                    for part in sheet_parts:
                        handle.write(part.encode() if isinstance(part, str) else part)
            else:
                target.writestr(name, (extra or {}).get(name, body))
        for name, body in (extra or {}).items():
            if name not in target.namelist():
                target.writestr(name, body)
    return out.getvalue()


HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>')


def test_far_column_references_are_not_padded_with_empty_cells(tmp_path):
    far = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>王{n}</t></is></c>'
                  f'<c r="AAAAAAA{n}" t="inlineStr"><is><t>x</t></is></c>'
                  f'<c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 7))
    # The same in the shape the general path reads (a formula, a prefixed tag).
    general = ('<row r="7"><c r="A7"><f>1+1</f><v>2</v></c><c r="ZZZZZZZZ7" t="str"><f>A1</f><v>y</v></c></row>')
    data = xlsx_with_sheet([HEAD, HEADER_ROW, far, general, TAIL])
    assert len(data) < 8192
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "read", result
    assert result["rows"] == 7
    assert result["widest"] <= 200  # UPLOAD_MAX_COLUMNS: cells beyond it are never materialised
    assert within_limits(result), limits_report(result)


def test_far_column_cells_are_ignored_and_near_ones_kept():
    from uploads import xlsx_stream

    data = xlsx_with_sheet([HEAD, '<row r="2"><c r="A2" t="inlineStr"><is><t>王</t></is></c>'
                            '<c r="C2"><v>3</v></c><c r="AAAAAAA2"><v>9</v></c><c r="A2"><v>7</v></c></row>', TAIL])
    archive = zipfile.ZipFile(io.BytesIO(data))
    paths, strings, dates = xlsx_stream.open_stream(archive)
    rows = list(xlsx_stream.iter_sheet(archive, paths[0], strings, dates, max_columns=10))
    # A cell written twice keeps the last value, as a re-typed cell would; the far cell is dropped.
    assert rows == [(2, [7, None, 3])]


def _noisy_block(size: int) -> str:
    """Cells whose values vary enough that deflate compresses them about tenfold (well under
    the zip-bomb ratio), so the sheet must really be read to be judged."""
    generator = random.Random(6)
    cells, length = [], 0
    while length < size:
        cell = f"<c><v>{generator.getrandbits(12)}</v></c>"
        cells.append(cell)
        length += len(cell)
    return "".join(cells)


def test_a_100_mb_row_is_refused_without_reading_it_whole(tmp_path):
    block = _noisy_block(1024 * 1024)
    data = xlsx_with_sheet([HEAD, HEADER_ROW, '<row r="2">', *([block] * 100), "</row>", TAIL])
    assert len(data) < 20 * 1024 * 1024
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "row 2" in result["message"].lower()
    assert within_limits(result), limits_report(result)


def test_a_dtd_after_the_first_64_kb_is_refused(tmp_path):
    prolog = '<?xml version="1.0" encoding="UTF-8"?>' + "<!-- padding -->" * 5000  # 80 KB of comments
    dtd = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + HEADER_ROW + TAIL)
    data = xlsx_with_sheet([prolog, dtd, sheet])
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "XML" in result["message"]
    assert within_limits(result), limits_report(result)


def test_a_dtd_split_across_chunk_boundaries_is_found():
    from uploads.reader import UploadRefused, _check_xlsx

    for offset in range(-9, 1):
        padding = 1024 * 1024 + offset - len('<?xml version="1.0"?>')
        data = xlsx_with_sheet(['<?xml version="1.0"?>', " " * padding, '<!DOCTYPE x>', HEAD[21:], TAIL])
        with pytest.raises(UploadRefused):
            _check_xlsx(data)


def test_a_huge_shared_string_is_refused(tmp_path):
    shared = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              f'<si><t>{_noisy_block(200_000).replace("<", "&lt;")}</t></si></sst>')
    data = xlsx_with_sheet([HEAD, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', TAIL],
                           extra={"xl/sharedStrings.xml": shared.encode()})
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "32767" in result["message"]
    assert within_limits(result), limits_report(result)


def test_a_huge_inline_cell_is_refused(tmp_path):
    cell = "工" * 40_000
    data = xlsx_with_sheet([HEAD, HEADER_ROW, f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row>', TAIL])
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "row 2" in result["message"].lower() and "32767" in result["message"]
    assert within_limits(result), limits_report(result)


def test_a_cell_of_exactly_the_excel_limit_is_read(tmp_path):
    cell = "工" * 32767
    data = xlsx_with_sheet([HEAD, HEADER_ROW, f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row>', TAIL])
    result = read_in_child(tmp_path, data)
    assert (result["outcome"], result["rows"]) == ("read", 2), result


def test_many_columns_are_read_up_to_the_column_limit(tmp_path):
    from uploads.xlsx_stream import column_letters

    cells = "".join(f'<c r="{column_letters(i)}2"><v>{i}</v></c>' for i in range(16384))
    data = xlsx_with_sheet([HEAD, HEADER_ROW, f'<row r="2">{cells}</row>', TAIL])
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "read", result
    assert result["widest"] == 200
    assert within_limits(result), limits_report(result)


def test_unclosed_tags_do_not_make_the_reader_quadratic(tmp_path):
    # A row of 200,000 cells that never close: a lazy regex would rescan the row once per cell.
    data = xlsx_with_sheet([HEAD, HEADER_ROW, '<row r="2">', '<c r="A2"><f>1</f>' * 40_000, "</row>", TAIL])
    result = read_in_child(tmp_path, data)
    assert within_limits(result), limits_report(result)


def test_many_rows_of_far_references_stay_linear(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="ZZZZZZ{n}"><v>1</v></c></row>' for n in range(2, 20_000))
    data = xlsx_with_sheet([HEAD, HEADER_ROW, rows, TAIL])
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "read" and within_limits(result), limits_report(result)


# CSV and xls: the same caps on a cell and a row.

def test_a_huge_csv_cell_is_refused_with_its_row(tmp_path):
    data = ("姓名,身份证号\n王,1\n" + "李," + "x" * 40_000 + "\n").encode()
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "row 3" in result["message"].lower() and "32767" in result["message"]


def test_a_csv_cell_beyond_the_csv_module_limit_gets_the_same_message(tmp_path):
    data = ('姓名,身份证号\n"' + "x" * 200_000 + '",1\n').encode()
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "32767" in result["message"]


def test_an_unclosed_quote_swallowing_the_file_is_refused_within_limits(tmp_path):
    line = "王,110105194912310025," * 3 + "\n"
    data = ('姓名,身份证号\n"' + line * 300_000).encode()  # 20 MB inside one quoted cell
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert within_limits(result), limits_report(result)


def test_a_csv_row_of_a_million_columns_is_refused(tmp_path):
    data = ("姓名,身份证号\n" + "," * 3_000_000 + "\n").encode()
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "row 2" in result["message"].lower()
    assert within_limits(result), limits_report(result)


def test_csv_rows_are_cut_to_the_column_limit(tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "身份证号"])
    writer.writerow(range(1000))
    result = read_in_child(tmp_path, buffer.getvalue().encode())
    assert (result["outcome"], result["widest"]) == ("read", 200), result


def test_a_huge_xls_cell_is_refused(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("职工")
    sheet.write(0, 0, "姓名")
    sheet.write(1, 0, "王")
    sheet.write(2, 0, "x" * 32767)  # the most xls holds; lower the cap to see it refused
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_in_child(tmp_path, buffer.getvalue(), UPLOAD_MAX_CELL_CHARS=1000)
    assert result["outcome"] == "refused", result
    assert "row 3" in result["message"].lower() and "1000" in result["message"]


def xls_with_cells(cells) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("职工")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_tiny_xls_with_one_far_cell_is_refused_before_calamine_pads_it(tmp_path):
    # One cell at IV65536 made calamine build 16 million empty cells: 1.1 GB in the web request.
    data = xls_with_cells({(0, 0): "姓名", (0, 1): "身份证号", (65535, 255): "x"})
    assert len(data) < 8192
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "65536 rows by 256 columns" in result["message"], result
    assert within_limits(result), limits_report(result)


def test_an_xls_as_wide_as_the_column_limit_but_65536_rows_tall_is_refused(tmp_path):
    # Within UPLOAD_MAX_COLUMNS each way, yet still 13 million positions calamine would fill.
    data = xls_with_cells({(0, 0): "姓名", (65535, 199): "x"})
    result = read_in_child(tmp_path, data)
    assert result["outcome"] == "refused", result
    assert "65536 rows by 200 columns" in result["message"], result
    assert within_limits(result), limits_report(result)


def test_an_ordinary_xls_roster_is_still_read(tmp_path):
    cells = {(0, 0): "姓名", (0, 1): "身份证号"}
    cells.update({(row, column): f"{row}-{column}" for row in range(1, 3001) for column in range(10)})
    result = read_in_child(tmp_path, xls_with_cells(cells))
    assert (result["outcome"], result["rows"], result["widest"]) == ("read", 3001, 10), result


def test_a_shared_strings_table_of_millions_of_tiny_texts_is_refused(tmp_path):
    # 1.5 million short texts against a limit of 200,000: the reader stops counting at the limit rather
    # than holding the whole table (the limit is lowered so the refusal is quick on a busy CI machine).
    generator = random.Random(7)
    block = "".join(f"<si><t>{generator.getrandbits(20)}</t></si>" for _ in range(50_000))
    shared_parts = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    'spreadsheetml/2006/main">', *([block] * 30), "</sst>"]
    data = xlsx_with_sheet([HEAD, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', TAIL],
                           extra={"xl/sharedStrings.xml": "".join(shared_parts).encode()})
    result = read_in_child(tmp_path, data, UPLOAD_MAX_SHARED_STRINGS=200_000)
    assert result["outcome"] == "refused", result
    assert "200000" in result["message"]
    assert within_limits(result), limits_report(result)
