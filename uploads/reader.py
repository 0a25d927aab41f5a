"""UPL-1, UPL-4: turn the bytes a district office sends into rows, or refuse the file whole.

Everything that could exhaust memory is judged before parsing: the size, the format by its bytes
(never by the name), the uncompressed size of an xlsx (zip bombs), DTDs anywhere in its XML
(billion laughs, external entities) and the used range a sheet declares. While the rows are read,
every format holds to the same limits (issue 6): at most UPLOAD_MAX_COLUMNS cells a row (cells
further right are ignored: no kind has a column there), UPLOAD_MAX_CELL_CHARS characters a cell
(Excel's 32,767) and UPLOAD_MAX_ROW_CHARS characters a row, and an xlsx's shared-strings table
(the one part held whole) at most UPLOAD_MAX_SHARED_STRINGS texts, or the file is refused whole. A cell
over the limit refuses the file rather than its row: no spreadsheet program writes such a cell,
and in a CSV it is nearly always a quotation mark never closed, which swallows the rows after it.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from . import xlsx_process, xlsx_stream

XLSX, XLS, CSV = "xlsx", "xls", "csv"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b", b"MZ", b"\x7fELF")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_OVERLAP = len(b"<!DOCTYPE") - 1
_HEAD_BYTES = 64 * 1024
# Parts read whole into memory (workbook, relationships, styles) may not be larger than this.
_MAX_WHOLE_PART_BYTES = 64 * 1024 * 1024
_WHOLE_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


class UploadRefused(Exception):
    """The whole file is refused; the message is for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    format: str
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cell values)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def detect_format(data: bytes) -> str:
    if not data or not data.strip():
        raise UploadRefused(_("The file is empty."))
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("The file is larger than %(limit)d MB; split it into smaller files.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(_ZIP_MAGIC):
        return XLSX
    if data.startswith(_OLE2_MAGIC):
        return XLS
    if data.startswith(_BINARY_MAGICS):
        raise UploadRefused(_("This file is not a spreadsheet. Upload an xlsx, xls or CSV file."))
    return CSV


def _check_xlsx(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(_("This file is not a spreadsheet. Upload an xlsx, xls or CSV file.")) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise UploadRefused(_("This file is not a spreadsheet. Upload an xlsx, xls or CSV file."))
    bomb = _("The file expands to far more data than a spreadsheet holds (a zip bomb?); it was not opened.")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > settings.UPLOAD_MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise UploadRefused(bomb)
    if total > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(bomb)
    if any(member.filename in _WHOLE_PARTS and member.file_size > _MAX_WHOLE_PART_BYTES for member in members):
        raise UploadRefused(bomb)
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as stream:
            head = _dtd_free_head(stream)
        if head is None:
            raise UploadRefused(_("The file contains XML declarations that spreadsheets never need; it was not opened."))
        if member.filename.startswith("xl/worksheets/"):
            match = _DIMENSION.search(head)
            if match and match.group(3):
                rows = int(match.group(4)) - int(match.group(2)) + 1
                columns = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
                if rows > settings.UPLOAD_MAX_ROWS + 100 or columns > settings.UPLOAD_MAX_COLUMNS:
                    raise _range_refusal(rows, columns)
    return archive


def _dtd_free_head(stream) -> bytes | None:
    """The first 64 KB of a part (where a sheet's <dimension> is), or None if the part holds a
    DTD anywhere: a prolog of comments may push one far past the head. Streamed in 1 MiB chunks,
    each searched with the last bytes of the one before, so a declaration split at a chunk
    boundary is found too."""
    head = b""
    tail = b""
    while True:
        chunk = stream.read(xlsx_stream._CHUNK)
        if not chunk:
            return head
        if not head:
            head = chunk[:_HEAD_BYTES]
        window = tail + chunk
        if _DTD.search(window):
            return None
        tail = window[-_DTD_OVERLAP:]


def _range_refusal(rows: int, columns: int) -> UploadRefused:
    return UploadRefused(
        _("A sheet declares %(rows)d rows by %(columns)d columns, more than an upload may hold "
          "(%(max)d rows). Delete the empty rows and columns below and to the right of the data, "
          "or split the file.") % {"rows": rows, "columns": columns, "max": settings.UPLOAD_MAX_ROWS}
    )


# BIFF records that place a cell at (row, column) in their first four bytes, and the two that
# cover a run of columns (their last column is the record's last two bytes).
_XLS_CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x0406})
_XLS_RUN_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK
_XLS_DIMENSIONS, _XLS_BOF, _XLS_EOF = 0x0200, 0x0809, 0x000A
# calamine holds every sheet of an xls whole, one 32-byte cell per position of its used range
# (empty positions included), before the first row is read: this many positions, all sheets
# together, is about 80 MB. A 65,536-row roster of 40 columns still fits.
_XLS_MAX_POSITIONS = 65_536 * 40


def _check_xls(data: bytes) -> None:
    """Refuse an xls whose used range is larger than an upload may hold, before calamine reads it
    (issue 6 item 7): a 5.6 KB file with one cell at IV65536 makes calamine build 16 million cells.

    The workbook stream is walked record by record (linear in its size, nothing materialised):
    each sheet's range is the union of what its DIMENSIONS record declares and where its cell
    records actually are, since calamine sizes the sheet from the cells and a file may lie in
    DIMENSIONS."""
    from xlrd import compdoc

    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
        for name in ("Workbook", "Book"):
            mem, base, length = document.locate_named_stream(name)
            if mem:
                break
        else:
            return  # not a workbook: calamine refuses it with its own message
    except Exception:  # xlrd raises CompDocError, struct.error, IndexError... on damaged files
        raise UploadRefused(_("The spreadsheet cannot be read: it may be damaged or password-protected.")) from None
    stream = memoryview(mem)[base:base + length]
    unpack = struct.unpack_from
    position, end = 0, len(stream)
    depth = 0
    bounds: list[int] | None = None  # first row, last row, first column, last column of this sheet
    positions = 0
    largest = (0, 0)

    def close_sheet() -> None:
        nonlocal positions, largest
        if bounds is None:
            return
        rows, columns = bounds[1] - bounds[0] + 1, bounds[3] - bounds[2] + 1
        largest = max(largest, (rows, columns), key=lambda shape: shape[0] * shape[1])
        positions += rows * columns
        if (rows > settings.UPLOAD_MAX_ROWS + 100 or columns > settings.UPLOAD_MAX_COLUMNS
                or positions > _XLS_MAX_POSITIONS):
            raise _range_refusal(*largest)

    def include(first_row: int, last_row: int, first_column: int, last_column: int) -> None:
        nonlocal bounds
        if bounds is None:
            bounds = [first_row, last_row, first_column, last_column]
            return
        bounds[0], bounds[1] = min(bounds[0], first_row), max(bounds[1], last_row)
        bounds[2], bounds[3] = min(bounds[2], first_column), max(bounds[3], last_column)

    while position + 4 <= end:
        code, size = unpack("<HH", stream, position)
        body = position + 4
        position = body + size
        if code == _XLS_BOF:
            depth += 1
            if depth == 1:
                bounds = None
        elif code == _XLS_EOF:
            if depth == 1:
                close_sheet()
                bounds = None
            depth = max(depth - 1, 0)
        elif position > end:
            break
        elif code in _XLS_CELL_RECORDS and size >= 4:
            row, column = unpack("<HH", stream, body)
            include(row, row, column, column)
        elif code in _XLS_RUN_RECORDS and size >= 6:
            row, first = unpack("<HH", stream, body)
            (last,) = unpack("<H", stream, position - 2)
            include(row, row, min(first, last), max(first, last))
        elif code == _XLS_DIMENSIONS and size >= 14:  # BIFF8: rows are 32-bit, the end exclusive
            first_row, end_row, first_column, end_column = unpack("<IIHH", stream, body)
            if end_row > first_row and end_column > first_column:
                include(first_row, end_row - 1, first_column, end_column - 1)
        elif code == _XLS_DIMENSIONS and size >= 10:  # BIFF5/7: 16-bit rows
            first_row, end_row, first_column, end_column = unpack("<HHHH", stream, body)
            if end_row > first_row and end_column > first_column:
                include(first_row, end_row - 1, first_column, end_column - 1)
    close_sheet()


def limit_refusal(error: xlsx_stream.LimitExceeded) -> UploadRefused:
    if error.what == "texts":
        return UploadRefused(
            _("The file holds more distinct texts than an upload may (%(max)d, or their length in all). "
              "Split it into smaller files.") % {"max": error.limit}
        )
    if error.what == "row":
        return UploadRefused(
            _("Row %(row)d is larger than a row of an upload may be (%(max)d characters). Delete what does not "
              "belong to the roster, or look for a quotation mark that is never closed.")
            % {"row": error.row, "max": error.limit}
        )
    if error.row is None:
        return UploadRefused(
            _("The file has a cell of more than %(max)d characters, more than a spreadsheet cell holds. Shorten it.")
            % {"max": error.limit}
        )
    return UploadRefused(
        _("Row %(row)d has a cell of more than %(max)d characters, more than a spreadsheet cell holds. Shorten it, "
          "or look for a quotation mark that is never closed.") % {"row": error.row, "max": error.limit}
    )


# The text of a CSV file is decoded as it is read, a chunk at a time (UPL-2, issue 13: 500,000 rows
# within 256 MiB): decoded whole, a file's text takes up to four bytes a character besides its bytes.
_DECODE_CHUNK = 1 << 20


def _decodes(data: bytes, start: int, encoding: str) -> bool:
    """Whether data[start:] is text in ``encoding``, checked a chunk at a time (nothing kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for offset in range(start, len(data), _DECODE_CHUNK):
            decoder.decode(view[offset:offset + _DECODE_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_stream(data: bytes) -> tuple[Callable[[int], str], str]:
    """A CSV file's text as a readline(limit) function and its first characters (for the delimiter)."""
    if data.startswith(b"\xef\xbb\xbf"):
        if not _decodes(data, 3, "utf-8"):
            data[3:].decode("utf-8", errors="strict")  # raises the decoding error, as before
        return _stream(data, 3, "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")  # rare: whole, as before
        except UnicodeDecodeError:
            pass
        else:
            return io.StringIO(text, newline="\n").readline, text[:4096]
    if b"\x00" in data[:_HEAD_BYTES]:
        raise UploadRefused(_("This file is not a spreadsheet. Upload an xlsx, xls or CSV file."))
    for encoding in ("utf-8", "gb18030"):
        if _decodes(data, 0, encoding):
            return _stream(data, 0, encoding)
    raise UploadRefused(
        _("The text of this CSV file is neither UTF-8 nor GBK/GB18030; save it again as CSV (UTF-8).")
    )


def _stream(data: bytes, start: int, encoding: str) -> tuple[Callable[[int], str], str]:
    raw = io.BytesIO(data)  # shares the bytes: no copy
    raw.seek(start)
    # newline="\n": lines end at LF only, endings kept, as csv reads them.
    text = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    head = data[start:start + 4 * 4096].decode(encoding, errors="ignore")[:4096]
    return text.readline, head


class _RowTooLong(Exception):
    pass


def _csv_rows(readline: Callable[[int], str], head: str, *, max_columns: int, max_cell: int,
              max_row: int) -> Iterator[tuple[int, list]]:
    first_line = head.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Characters of the record being read: the csv module has no limit on a record (a line of
    # commas is a million cells), and its limit on a field (csv.field_size_limit, 128 KiB by
    # default, process-wide) is not the one the plan means, so both are counted here.
    used = 0

    def lines() -> Iterator[str]:
        """The text's lines with their endings; a record longer than max_row stops before the
        rest of its line is read."""
        nonlocal used
        while True:
            line = readline(max_row - used + 1)
            if not line:
                return
            used += len(line)
            if used > max_row:
                raise _RowTooLong
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    number = 0
    try:
        # Row numbers as Excel shows the file: one per record, even when a quoted cell spans lines.
        for number, values in enumerate(reader, start=1):
            if used > max_cell and max(map(len, values), default=0) > max_cell:
                raise limit_refusal(xlsx_stream.LimitExceeded("cell", max_cell, number))
            used = 0
            yield number, values[:max_columns] if len(values) > max_columns else values
    except _RowTooLong:
        raise limit_refusal(xlsx_stream.LimitExceeded("row", max_row, number + 1)) from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise limit_refusal(xlsx_stream.LimitExceeded("cell", max_cell, number + 1)) from None
        raise UploadRefused(_("The CSV file is malformed near line %(line)d.") % {"line": reader.line_num}) from error


def _calamine_rows(data: bytes, sheet_index: int, *, max_columns: int, max_cell: int,
                   max_row: int) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(sheet_index)
        start_row = (sheet.start or (0, 0))[0]
        for offset, values in enumerate(sheet.iter_rows()):
            number = start_row + offset + 1
            if len(values) > max_columns:
                values = values[:max_columns]
            size = 0
            for value in values:
                if value.__class__ is str:
                    if len(value) > max_cell:
                        raise limit_refusal(xlsx_stream.LimitExceeded("cell", max_cell, number))
                    size += len(value)
            if size > max_row:
                raise limit_refusal(xlsx_stream.LimitExceeded("row", max_row, number))
            yield number, values
    except UploadRefused:
        raise
    except Exception as error:  # calamine raises its own types for every kind of damage
        raise UploadRefused(_("The spreadsheet cannot be read: it may be damaged or password-protected.")) from error


def sheet_names(data: bytes) -> list[str]:
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except Exception as error:
        raise UploadRefused(_("The spreadsheet cannot be read: it may be damaged or password-protected.")) from error


def open_sheets(data: bytes) -> Iterator[Sheet]:
    """The candidate sheets of the file, in order; callers pick the one with the right headers."""
    fmt = detect_format(data)
    limits = {"max_columns": settings.UPLOAD_MAX_COLUMNS, "max_cell": settings.UPLOAD_MAX_CELL_CHARS,
              "max_row": settings.UPLOAD_MAX_ROW_CHARS}
    if fmt == CSV:
        readline, head = _text_stream(data)
        yield Sheet(CSV, _csv_rows(readline, head, **limits))
        return
    if fmt == XLSX:
        archive = _check_xlsx(data)
        max_strings = settings.UPLOAD_MAX_SHARED_STRINGS
        try:
            paths = xlsx_stream.sheet_paths(archive)
            if paths and _read_apart(archive, paths):
                # UPL-2 (issue 13): each sheet read on the other core (xlsx_process). The first
                # sheet's reader has read the shared strings and styles before the sheet is
                # offered, so what they hold is refused here, as below.
                first = xlsx_process.SheetReader(archive, paths[0], max_strings=max_strings, **limits)
                first.ready()
            else:
                first = None
                strings, dates = xlsx_stream.workbook_texts(archive, max_cell=limits["max_cell"],
                                                            max_row=limits["max_row"], max_strings=max_strings)
        except xlsx_stream.LimitExceeded as error:
            raise limit_refusal(error) from None
        except (KeyError, ValueError, IndexError, UnicodeDecodeError, zipfile.BadZipFile) as error:
            raise UploadRefused(_("The spreadsheet cannot be read: it may be damaged or password-protected.")) from error
        if first is not None:
            rows = first.rows()
            del first  # the rows' generator owns the reader: dropped unread, the child is ended
            yield Sheet(fmt, _guarded(rows))
            for path in paths[1:]:
                yield Sheet(fmt, _guarded(_rows_apart(archive, path, max_strings, limits)))
            return
        for path in paths:
            yield Sheet(fmt, _guarded(xlsx_stream.iter_sheet(archive, path, strings, dates, **limits)))
        return
    # xls (at most 65,536 rows): calamine reads it whole, which that size allows once the used
    # range is known to be small.
    _check_xls(data)
    for index, _name in enumerate(sheet_names(data)):
        yield Sheet(fmt, _calamine_rows(data, index, **limits))


def _read_apart(archive: zipfile.ZipFile, paths: list[str]) -> bool:
    """Whether the sheets are worth a process of their own: one of them is large (a fork costs a
    few milliseconds, a small sheet is read in less) and the platform can fork."""
    threshold = settings.UPLOAD_XLSX_PROCESS_BYTES
    if threshold < 0 or not xlsx_process.available():
        return False
    return max(archive.getinfo(path).file_size for path in paths) >= threshold


def _rows_apart(archive: zipfile.ZipFile, path: str, max_strings: int, limits: dict) -> Iterator[tuple[int, list]]:
    """A later sheet's rows, read by a process started when the first row is asked for."""
    yield from xlsx_process.SheetReader(archive, path, max_strings=max_strings, **limits).rows()


def _guarded(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    try:
        yield from rows
    except xlsx_stream.LimitExceeded as error:
        raise limit_refusal(error) from None
    except (KeyError, ValueError, IndexError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as error:
        raise UploadRefused(_("The spreadsheet cannot be read: it may be damaged or password-protected.")) from error
