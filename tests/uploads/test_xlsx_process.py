"""UPL-2 (issue 13): an xlsx sheet read by a forked process gives what the in-process reader gives
(the same rows and values, the same refusals at the same point, the rows before an error first),
and the process is killed and reaped as soon as its rows are no longer wanted."""
from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import signal
import time

import openpyxl
import pytest
from django.utils import translation

from tests.conftest import CHAOYANG_ENTERPRISE
from uploads import xlsx_process, xlsx_stream
from uploads.reader import UploadRefused, open_sheets
from uploads.values import FormulaCell, FormulaRow

from .helpers import HEADERS, id_numbers
from .test_killed_worker import _clean_broker  # noqa: F401 (a fixture)
from .test_reader_limits import HEAD, TAIL, xlsx_with_sheet
from .test_xlsx_stream import _handmade

pytestmark = pytest.mark.skipif(not xlsx_process.available() or not os.path.isdir("/proc"),
                                reason="needs os.fork and /proc")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


_EARLIER: set[int] = set()


@pytest.fixture(autouse=True)
def _earlier_children():
    """The children this process had before the test (the suite's Celery worker, a browser):
    never a reader's, so _children() leaves them out."""
    _EARLIER.clear()
    _EARLIER.update(pid for pid, _state in _children())
    yield
    _EARLIER.clear()


def _children() -> list[tuple[int, str]]:
    """(pid, state) of this process's children, zombies included, but those it had before the test."""
    found = []
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and int(entry) not in _EARLIER:
                found.append((int(entry), fields[0]))
    return found


def _descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _plain(value):
    """A comparable form of a cell: FormulaCells have no equality of their own."""
    if isinstance(value, FormulaCell):
        return ("formula", value.formula, value.error)
    return (type(value).__name__, value)


def _read(data: bytes, settings, *, apart: bool) -> tuple[list, str | None]:
    """Every sheet's rows (with the row's type) and the refusal, if any, read in-process or apart."""
    settings.UPLOAD_XLSX_PROCESS_BYTES = 0 if apart else -1
    rows, refusal = [], None
    try:
        for index, sheet in enumerate(open_sheets(data)):
            for number, cells in sheet.rows:
                rows.append((index, number, type(cells).__name__, [_plain(value) for value in cells]))
    except UploadRefused as refused:
        refusal = refused.message
    return rows, refusal


def _mixed_workbook() -> bytes:
    """Two sheets written by openpyxl: shared strings, dates and times, numbers, booleans, formulas
    whose result is not in the file, over several of the reader's messages."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "说明"
    sheet.append(["本表说明"])
    roster = book.create_sheet("花名册")
    roster.append(HEADERS)
    for index, number in enumerate(id_numbers(3 * xlsx_process.BATCH_ROWS + 7)):
        joined = dt.date(2013, 5, 1) + dt.timedelta(days=index)
        row = [f"职工{index}", number, CHAOYANG_ENTERPRISE, "焊工", index % 2 == 0, "否", "否", "本科",
               13800000000 + index, joined]
        if index % 97 == 5:
            row[3] = f"=A{index + 2}&\"x\""  # a formula nothing calculated: FormulaCell, FormulaRow
        if index % 101 == 7:
            row[9] = dt.datetime(2013, 5, 1, 8, 30)
        if index % 89 == 3:
            row[8] = 1.5
        roster.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _inline_workbook(rows: int, *, tail: str = "") -> bytes:
    body = [HEAD]
    for number in range(1, rows + 1):
        body.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>行&amp;{number}</t></is></c>'
                    f'<c r="B{number}"><v>{number}.25</v></c><c r="C{number}" t="b"><v>{number % 2}</v></c></row>')
    body.append(tail)
    body.append(TAIL)
    return xlsx_with_sheet(body)


@pytest.mark.parametrize("make", [_handmade, _mixed_workbook, lambda: _inline_workbook(1200)],
                         ids=["shared-strings-and-prefixes", "openpyxl-two-sheets", "inline-strings"])
def test_read_apart_gives_the_same_rows_and_values(settings, make):
    data = make()
    inside, refused_inside = _read(data, settings, apart=False)
    apart, refused_apart = _read(data, settings, apart=True)
    assert refused_inside is None and refused_apart is None
    assert apart == inside and len(inside) > 1
    kinds = {kind for _sheet, _number, _row, cells in inside for kind, *_rest in cells}
    if make is _mixed_workbook:
        assert {"str", "int", "float", "bool", "date", "datetime", "formula"} <= kinds
        assert "FormulaRow" in {row for _sheet, _number, row, _cells in inside}
    assert _children() == []


def test_an_error_mid_file_comes_after_the_rows_before_it(settings):
    settings.UPLOAD_MAX_CELL_CHARS = 100
    long_cell = f'<row r="1202"><c r="A1202" t="inlineStr"><is><t>{"长" * 101}</t></is></c></row>'
    data = _inline_workbook(1201, tail=long_cell)
    inside, refused_inside = _read(data, settings, apart=False)
    apart, refused_apart = _read(data, settings, apart=True)
    assert len(apart) == 1201 and apart == inside
    assert refused_apart == refused_inside and "Row 1202" in refused_apart
    # A damaged part (a row never finished) after good rows: the rows, then the same refusal.
    data = _inline_workbook(1100, tail='<row r="1101"><c r="A1101" t="inlineStr"><is><t>x')
    inside, refused_inside = _read(data, settings, apart=False)
    apart, refused_apart = _read(data, settings, apart=True)
    assert len(apart) == 1100 and apart == inside
    assert refused_apart == refused_inside and "damaged" in refused_apart
    assert _children() == []


def test_the_shared_strings_are_refused_before_the_first_sheet_is_offered(settings):
    settings.UPLOAD_MAX_SHARED_STRINGS = 2  # the handmade file holds three texts
    for threshold in (-1, 0):
        settings.UPLOAD_XLSX_PROCESS_BYTES = threshold
        with pytest.raises(UploadRefused, match="more distinct texts"):
            next(open_sheets(_handmade()))
    assert _children() == []


def test_limit_exceeded_crosses_the_pipe_whole():
    error = pickle.loads(pickle.dumps(xlsx_stream.LimitExceeded("row", 1024, 7)))
    assert (type(error), error.what, error.limit, error.row, str(error)) == (
        xlsx_stream.LimitExceeded, "row", 1024, 7, "row over 1024 (row 7)")
    row = pickle.loads(pickle.dumps(FormulaRow(["a", FormulaCell("A1+1", "#REF!")])))
    assert type(row) is FormulaRow and (row[1].formula, row[1].error) == ("A1+1", "#REF!")


def test_the_child_is_reaped_when_the_rows_are_no_longer_wanted(settings):
    settings.UPLOAD_XLSX_PROCESS_BYTES = 0
    data = _inline_workbook(5000)
    descriptors = _descriptors()

    # Closed after a few rows.
    rows = next(open_sheets(data)).rows
    assert [number for _index, (number, _cells) in zip(range(3), rows)] == [1, 2, 3]
    [(pid, _state)] = _children()
    # The child holds its pipe and the standard streams, none of the parent's connections.
    assert len(os.listdir(f"/proc/{pid}/fd")) <= 4
    rows.close()
    assert _children() == [] and _descriptors() == descriptors

    # Offered but never read, then dropped.
    sheets = open_sheets(data)
    sheet = next(sheets)
    assert len(_children()) == 1
    del sheet, sheets
    assert _children() == [] and _descriptors() == descriptors

    # The consumer fails half-way.
    def consume():
        for sheet in open_sheets(data):
            for number, _cells in sheet.rows:
                if number == 1000:
                    raise RuntimeError("the consumer's own error")

    with pytest.raises(RuntimeError, match="own error"):
        consume()
    assert _children() == [] and _descriptors() == descriptors

    # Read to the end.
    assert sum(1 for sheet in open_sheets(data) for _row in sheet.rows) == 5000
    assert _children() == [] and _descriptors() == descriptors


def test_a_child_killed_from_outside_is_an_error_not_the_end_of_the_sheet(settings):
    settings.UPLOAD_XLSX_PROCESS_BYTES = 0
    rows = next(open_sheets(_inline_workbook(60000))).rows
    next(rows)
    [(pid, _state)] = _children()
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(xlsx_process.ReaderDied):
        deadline = time.monotonic() + 30
        for _row in rows:
            assert time.monotonic() < deadline
    assert _children() == []


def test_small_files_are_read_in_process(settings):
    settings.UPLOAD_XLSX_PROCESS_BYTES = 1024 * 1024
    rows = next(open_sheets(_handmade())).rows
    next(rows)
    assert _children() == []


def _roster_xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADERS)
    for index, number in enumerate(id_numbers(rows)):
        sheet.append([f"职工{index}", number, CHAOYANG_ENTERPRISE, "焊工", "是", "否", "否", "本科", "",
                      dt.date(2013, 5, 1)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _children_cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks) of the reaped children of process ``pid``: cutime + cstime."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[13]) + int(fields[14])


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_clean_broker")
def test_a_prefork_celery_worker_reads_an_xlsx_apart_and_leaves_no_process(tree, chaoyang_officer, monkeypatch):
    """Celery's pool children are daemonic: multiprocessing would refuse them a child, os.fork
    does not. The preview and the commit of an xlsx run in a real prefork worker, their sheet read
    by a child of the pool child (its CPU time shows in the pool child's cutime), reaped after."""
    from membership.models import Worker
    from uploads import services
    from uploads.models import Upload
    from uploads.pipeline import upload_create

    from .test_killed_worker import CeleryWorker, _until

    rows = 4000
    monkeypatch.setenv("UPLOAD_XLSX_PROCESS_BYTES", "0")
    worker = CeleryWorker()
    try:
        [pool] = worker.pool_children()
        ticks = _children_cpu_ticks(pool)
        upload = upload_create(user=chaoyang_officer, kind_code="workers", file_name="roster.xlsx",
                               data=_roster_xlsx(rows))
        services.upload_start(upload=upload, commit=False, in_background=True)
        _until(lambda: Upload.objects.get(pk=upload.pk).status == Upload.Status.PREVIEWED, 120, "never previewed")
        upload.refresh_from_db()
        assert upload.new == rows and upload.rejected == 0
        services.upload_start(upload=upload, commit=True, in_background=True)
        _until(lambda: Upload.objects.get(pk=upload.pk).status == Upload.Status.COMMITTED, 120, "never written")
        assert Worker.objects.count() == rows
        assert worker.pool_children() == [pool]
        assert _children_cpu_ticks(pool) > ticks  # the sheets were read by children, since reaped
        assert _children_of(pool) == []
    finally:
        log = worker.output()
        worker.stop()
    assert "daemonic" not in log and "Traceback" not in log, log[-3000:]
