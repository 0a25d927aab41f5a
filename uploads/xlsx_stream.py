"""A streaming reader for the first-party xlsx that offices send.

calamine (python-calamine) loads a whole sheet into memory: about 900 bytes a row for a 10-column
roster, so a 500,000-row file needs 450 MiB before the first row is read. This reader decompresses
the sheet in 1 MiB pieces and turns complete <row> elements into Python lists with str.find and
regular expressions, keeping only the shared-strings table in memory. The caller has already
checked the archive (sizes, ratios, DTDs) in reader._check_xlsx.

Hostile input (UPL-4, issue 6) cannot make it allocate or work beyond its limits: time is linear
in the part's size, a row holds at most max_columns cells, a cell max_cell characters and a row's
XML max_row characters (LimitExceeded beyond).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from html import unescape
from typing import Iterator

from . import values as values_module

_CHUNK = 1024 * 1024
# Excel's own limits: a cell holds at most 32,767 characters, a sheet 16,384 columns (XFD).
MAX_CELL_CHARS = 32_767
MAX_ROW_CHARS = 1024 * 1024
MAX_COLUMNS = 200
# The shared-strings table is the one thing held whole: a 1,000,000-row roster has about three
# distinct texts a row. Its characters in all may average 32 a text.
MAX_SHARED_STRINGS = 4_000_000
_SHARED_CHARS_PER_STRING = 32
_MAX_COLUMN_LETTERS = 3
_NS = r"(?:\w+:)?"
# Every pattern below is linear in its input: no lazy ".*?" that a missing end tag would make
# rescan the rest of the text once per start tag (attribute runs are "[^<>]*", text runs "[^<]*").
_SHEET_DATA = re.compile(r"<(\w+:)?sheetData\b[^<>]*?(/?)>")
_VALUE = re.compile(rf"<{_NS}v>([^<]*)</{_NS}v>")
_FORMULA = re.compile(rf"<{_NS}f\b[^<>]*?(?:/>|>([^<]*)</{_NS}f>)")
_TEXT = re.compile(rf"<{_NS}t\b[^<>]*?(?:/>|>([^<]*)</{_NS}t>)")
_PHONETIC = re.compile(rf"<{_NS}rPh\b(?:[^<]|<(?!/?{_NS}rPh\b))*</{_NS}rPh>")
_ATTR = re.compile(r'(?<![\w:])(\w+)="([^"]*)"')
_ROW_NUMBER = re.compile(r'(?<![\w:])r="(\d{1,9})"')
_REF = re.compile(r"([A-Z]+)(\d+)")
_REL = re.compile(r"<Relationship\b[^<>]*>")
_SHEET = re.compile(rf"<{_NS}sheet\b[^<>]*>")
_XF_START = re.compile(r"<(\w+:)?cellXfs\b")
_XF = re.compile(rf"<{_NS}xf\b([^<>]*)")
_NUMFMT = re.compile(rf"<{_NS}numFmt\b([^<>]*)")
_TAG_BOUNDARY = frozenset(" \t\r\n/>")
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_EPOCH = dt.datetime(1899, 12, 30)


class LimitExceeded(ValueError):
    """A cell, a row or the shared-strings table ("texts") is larger than an upload may hold;
    reader.py words the refusal. ``row`` is None for a shared string, whose row is not known."""

    def __init__(self, what: str, limit: int, row: int | None):
        super().__init__(f"{what} over {limit} (row {row})")
        self.what, self.limit, self.row = what, limit, row

    def __reduce__(self):  # sent whole from the reading process (xlsx_process)
        return self.__class__, (self.what, self.limit, self.row)


def _attrs(text: str) -> dict[str, str]:
    return dict(_ATTR.findall(text))


def _text(fragment: str) -> str:
    if "rPh" in fragment:
        fragment = _PHONETIC.sub("", fragment)
    value = "".join(t or "" for t in _TEXT.findall(fragment))
    return unescape(value) if "&" in value else value


def _column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return any(token in code for token in ("y", "d", "h", "ss")) or ("m" in code and "0" not in code)


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    try:
        styles = archive.read("xl/styles.xml").decode("utf-8", "replace")
    except KeyError:
        return set()
    custom = {}
    for attrs in map(_attrs, _NUMFMT.findall(styles)):
        if "numFmtId" in attrs:
            custom[int(attrs["numFmtId"])] = unescape(attrs.get("formatCode", ""))
    block = ""
    start = _XF_START.search(styles)
    if start:
        end = styles.find(f"</{start.group(1) or ''}cellXfs>", start.end())
        block = styles[start.end():end] if end >= 0 else ""
    dates = set()
    for index, attrs in enumerate(map(_attrs, _XF.findall(block))):
        number = int(attrs.get("numFmtId", 0))
        if number in _BUILTIN_DATE_FORMATS or (number in custom and _is_date_format(custom[number])):
            dates.add(index)
    return dates


class _Overflow(Exception):
    def __init__(self, head: str):
        self.head = head


def _open_part(stream, start: re.Pattern) -> tuple[str, bool, str]:
    """Read up to the element that holds the records (sheetData, sst): its namespace prefix,
    whether it is empty (self-closing), and the text after it. What comes before (column
    widths, views) is dropped as it streams past."""
    tail = ""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return "", True, ""
        text = tail + _decode(chunk, stream)
        match = start.search(text)
        if match:
            return match.group(1) or "", bool(match.group(2)), text[match.end():]
        tail = text[-256:]


def _blocks(stream, first: str, end: re.Pattern, stop: str, limit: int) -> Iterator[str]:
    """Text that ends at the last record end (``end``) found so far, read in 1 MiB chunks.

    Linear whatever the input: each chunk is searched once (with a few characters of overlap
    for an end tag split at the boundary), and the pieces of an unfinished record are kept in a
    list and joined once. A record that grows past ``limit`` raises _Overflow at once, without
    decompressing the rest of the part (issue 6: one 100 MB row took 102 s of CPU)."""
    pieces: list[str] = []
    size = 0
    text = first
    while True:
        boundary = pieces[-1][-64:] if pieces else ""
        window = boundary + text if boundary else text
        cut = -1
        stopped = False
        for match in end.finditer(window):
            cut = match.end()
            stopped = match.group(0) == stop
            if stopped:
                break
        cut -= len(boundary)
        if cut > 0:
            pieces.append(text[:cut])
            yield "".join(pieces)
            if stopped:
                return
            rest = text[cut:]
            pieces, size = ([rest], len(rest)) if rest else ([], 0)
        elif text:
            pieces.append(text)
            size += len(text)
        if size > limit:
            raise _Overflow(pieces[0][:256])
        chunk = stream.read(_CHUNK)
        if not chunk:
            if "<" in "".join(pieces).strip():
                # A record begun and never finished: the part is cut short or damaged.
                raise ValueError("unfinished element at the end of the part")
            return
        text = _decode(chunk, stream)


def _elements(block: str, name: str) -> Iterator[tuple[str, str, int]]:
    """(attributes, content, length) of each <name …>…</name> or <name …/> in ``block``, found
    with str.find: one pass, whatever is missing or nested."""
    opening, closing = "<" + name, "</" + name + ">"
    find, skip = block.find, len(opening)
    position = 0
    while True:
        start = find(opening, position)
        if start < 0:
            return
        after = start + skip
        if after >= len(block) or block[after] not in _TAG_BOUNDARY:
            position = after
            continue
        tag_end = find(">", after)
        if tag_end < 0:
            raise ValueError(f"<{name} is never closed")
        if block[tag_end - 1] == "/":
            position = tag_end + 1
            yield block[after:tag_end - 1], "", position - start
            continue
        close = find(closing, tag_end)
        if close < 0:
            raise ValueError(f"<{name}> has no end tag")
        position = close + len(closing)
        yield block[after:tag_end], block[tag_end + 1:close], position - start


def _shared_strings(archive: zipfile.ZipFile, max_cell: int = MAX_CELL_CHARS, max_row: int = MAX_ROW_CHARS,
                    max_strings: int = MAX_SHARED_STRINGS) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    append = strings.append
    characters, max_characters = 0, max_strings * _SHARED_CHARS_PER_STRING
    with stream:
        prefix, empty, first = _open_part(stream, re.compile(r"<(\w+:)?sst\b[^<>]*?(/?)>"))
        if empty:
            return strings
        end = re.compile(rf"</{prefix}si>|<{prefix}si\b[^<>]*/>|</{prefix}sst>")
        try:
            for block in _blocks(stream, first, end, f"</{prefix}sst>", max_row):
                for _attributes, body, _length in _elements(block, prefix + "si"):
                    value = _text(body) if body else ""
                    if len(value) > max_cell:
                        raise LimitExceeded("cell", max_cell, None)
                    append(value)
                    characters += len(value)
                if len(strings) > max_strings or characters > max_characters:
                    raise LimitExceeded("texts", max_strings, None)
        except _Overflow:
            raise LimitExceeded("cell", max_cell, None) from None
    return strings


def _decode(chunk: bytes, stream) -> str:
    # A UTF-8 character may be split at the chunk boundary: read on until it decodes.
    for _ in range(3):
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(chunk) - 3:
                raise
            more = stream.read(1)
            if not more:
                raise
            chunk += more
    return chunk.decode("utf-8")


def sheet_paths(archive: zipfile.ZipFile) -> list[str]:
    """Worksheet part names in workbook order."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in map(_attrs, _REL.findall(relations)):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    paths = []
    for sheet in _SHEET.findall(workbook):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', sheet))
        rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if rel_id in targets and targets[rel_id] in archive.namelist():
            paths.append(targets[rel_id])
    return paths


def iter_sheet(
    archive: zipfile.ZipFile, path: str, strings: list[str], dates: set[int], *,
    max_columns: int = MAX_COLUMNS, max_cell: int = MAX_CELL_CHARS, max_row: int = MAX_ROW_CHARS,
) -> Iterator[tuple[int, list]]:
    """(row number, cell values) for each row with content, values as calamine gives them:
    str, float/int, bool, datetime.

    Bounded whatever the file says (issue 6, UPL-4): a row holds at most ``max_columns`` cells
    (a cell further right, such as AAAAAAA2, is ignored: no upload kind has a column there, and
    the empty cells before it are never made); a cell's text at most ``max_cell`` characters and
    a row's XML at most ``max_row``, or LimitExceeded."""
    last_row = 0
    with archive.open(path) as stream:
        prefix, empty, first = _open_part(stream, _SHEET_DATA)
        if empty:
            return
        end = re.compile(rf"</{prefix}row>|<{prefix}row\b[^<>]*/>|</{prefix}sheetData>")
        row_tag = prefix + "row"
        try:
            for block in _blocks(stream, first, end, f"</{prefix}sheetData>", max_row):
                for attributes, body, length in _elements(block, row_tag):
                    number = _ROW_NUMBER.search(attributes)
                    number = int(number.group(1)) if number else last_row + 1
                    last_row = number
                    if length > max_row:
                        raise LimitExceeded("row", max_row, number)
                    if body:
                        try:
                            yield number, _cells(body, strings, dates, prefix, max_columns, max_cell)
                        except _CellTooLong:
                            raise LimitExceeded("cell", max_cell, number) from None
        except _Overflow as overflow:
            number = _ROW_NUMBER.search(overflow.head)
            raise LimitExceeded("row", max_row, int(number.group(1)) if number else last_row + 1) from None


class _CellTooLong(Exception):
    pass


# The shapes Excel, WPS and openpyxl write for plain cells, in one pass. A row with anything else
# (formulas, rich text, prefixed tags) takes the general path below.
_FAST_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?: s="(\d+)")?'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
# Column letters → index, for the at most 18,278 references of one to three letters.
_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    column = _COLUMNS.get(letters)
    if column is None:
        if len(letters) > _MAX_COLUMN_LETTERS:
            return 1 << 30  # beyond XFD: beyond any sheet's columns
        column = _COLUMNS.setdefault(letters, _column_index(letters))
    return column


def _cells(body: str, strings: list[str], dates: set[int], prefix: str, max_columns: int, max_cell: int) -> list:
    if not prefix:
        found = _FAST_CELL.findall(body)
        if found and len(found) == body.count("<c "):
            return _fast_cells(found, strings, dates, max_columns, max_cell)
    return _general_cells(body, strings, dates, prefix, max_columns, max_cell)


def _fast_cells(found: list[tuple], strings: list[str], dates: set[int], max_columns: int, max_cell: int) -> list:
    values: list = []
    append = values.append
    for letters, style_a, kind, style_b, raw, inline in found:
        column = _COLUMNS.get(letters)
        if column is None:
            column = _column(letters)
        if column >= max_columns:
            continue
        if kind == "inlineStr":
            value = unescape(inline) if "&" in inline else inline
            if len(value) > max_cell:
                raise _CellTooLong
        elif not raw:
            value = None
        elif kind == "s":
            value = strings[int(raw)]
        elif not kind or kind == "n":
            number = float(raw)
            style = style_a or style_b
            if style and int(style) in dates:
                value = _EPOCH + dt.timedelta(days=number)
                if number.is_integer():
                    value = value.date()
            else:
                value = int(number) if number.is_integer() and "E" not in raw.upper() else number
        elif kind == "b":
            value = raw == "1"
        elif kind == "d":
            value = dt.datetime.fromisoformat(raw)
        elif kind == "e":
            value = None
        else:
            value = unescape(raw) if "&" in raw else raw
            if len(value) > max_cell:
                raise _CellTooLong
        if column == len(values):
            append(value)
        elif column > len(values):
            values.extend([None] * (column - len(values)))
            append(value)
        else:
            values[column] = value  # a cell written twice: the later one, as Excel would show
    return values


def _general_cells(body: str, strings: list[str], dates: set[int], prefix: str, max_columns: int, max_cell: int) -> list:
    values: list = []
    formulas = False
    for attributes, content, _length in _elements(body, prefix + "c"):
        attrs = _attrs(attributes)
        reference = attrs.get("r")
        match = _REF.match(reference) if reference else None
        column = _column(match.group(1)) if match else len(values)
        if column >= max_columns:
            continue
        kind = attrs.get("t", "n")
        value = None
        if content:
            if kind == "inlineStr":
                value = _text(content)
                if len(value) > max_cell:
                    raise _CellTooLong
            else:
                match = _VALUE.search(content)
                raw = match.group(1) if match else None
                formula = _FORMULA.search(content) if "f" in content else None
                if formula is not None and (kind == "e" or not raw and kind != "str"):
                    # Issue 8: a formula whose result the file does not hold (a script wrote it
                    # and nothing calculated it), or whose result is an error, is never read as
                    # a blank cell: the pipeline rejects its row and says why.
                    text = formula.group(1) or ""
                    value = values_module.FormulaCell(unescape(text) if "&" in text else text,
                                                      raw if kind == "e" and raw else "")
                    formulas = True
                elif raw is not None:
                    if kind == "s":
                        value = strings[int(raw)]
                    elif kind == "e":
                        value = None  # #N/A, #REF! typed without a formula: no value, as calamine reports it
                    elif kind == "str":
                        value = unescape(raw) if "&" in raw else raw
                        if len(value) > max_cell:
                            raise _CellTooLong
                    elif kind == "b":
                        value = raw == "1"
                    elif kind == "d":
                        value = dt.datetime.fromisoformat(raw)
                    else:
                        number = float(raw)
                        if int(attrs.get("s", 0)) in dates:
                            value = _EPOCH + dt.timedelta(days=number)
                            if number.is_integer():
                                value = value.date()
                        else:
                            value = int(number) if number.is_integer() and "E" not in raw.upper() else number
        if column == len(values):
            values.append(value)
        elif column > len(values):
            values.extend([None] * (column - len(values)))
            values.append(value)
        else:
            values[column] = value
    return values_module.FormulaRow(values) if formulas else values


def workbook_texts(
    archive: zipfile.ZipFile, *, max_cell: int = MAX_CELL_CHARS, max_row: int = MAX_ROW_CHARS,
    max_strings: int = MAX_SHARED_STRINGS,
) -> tuple[list[str], set[int]]:
    """What every sheet's cells refer to: the shared strings and the styles that are dates. Read
    by the upload's process, or by the sheet's own reading process (xlsx_process)."""
    return _shared_strings(archive, max_cell, max_row, max_strings), _date_styles(archive)


def open_stream(
    archive: zipfile.ZipFile, *, max_cell: int = MAX_CELL_CHARS, max_row: int = MAX_ROW_CHARS,
    max_strings: int = MAX_SHARED_STRINGS,
) -> tuple[list[str], list[str], set[int]]:
    return sheet_paths(archive), *workbook_texts(archive, max_cell=max_cell, max_row=max_row, max_strings=max_strings)
