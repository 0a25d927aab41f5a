"""A streaming reader for the first-party xlsx that offices send.

calamine (python-calamine) loads a whole sheet into memory: about 900 bytes a row for a 10-column
roster, so a 500,000-row file needs 450 MiB before the first row is read. This reader decompresses
the sheet in 1 MiB pieces and turns complete <row> elements into Python lists with regular
expressions, keeping only the shared-strings table in memory. The caller has already checked
the archive (sizes, ratios, DTDs) in reader._check_xlsx.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from html import unescape
from typing import Iterator

_CHUNK = 1024 * 1024
_NS = r"(?:\w+:)?"
_ROW_END = re.compile(rf"</{_NS}row>")
_ROW = re.compile(rf"<{_NS}row\b([^>]*?)(?:/>|>(.*?)</{_NS}row>)", re.S)
_CELL = re.compile(rf"<{_NS}c\b([^>]*?)(?:/>|>(.*?)</{_NS}c>)", re.S)
_VALUE = re.compile(rf"<{_NS}v>(.*?)</{_NS}v>", re.S)
_TEXT = re.compile(rf"<{_NS}t\b[^>]*?(?:/>|>(.*?)</{_NS}t>)", re.S)
_PHONETIC = re.compile(rf"<{_NS}rPh\b.*?</{_NS}rPh>", re.S)
_SI = re.compile(rf"<{_NS}si\b[^>]*?(?:/>|>(.*?)</{_NS}si>)", re.S)
_SI_END = re.compile(rf"</{_NS}si>|<{_NS}si\b[^>]*/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_REF = re.compile(r"([A-Z]+)(\d+)")
_REL = re.compile(r"<Relationship\b[^>]*>")
_SHEET = re.compile(rf"<{_NS}sheet\b[^>]*>")
_XF_BLOCK = re.compile(rf"<{_NS}cellXfs\b.*?</{_NS}cellXfs>", re.S)
_XF = re.compile(rf"<{_NS}xf\b([^>]*)")
_NUMFMT = re.compile(rf"<{_NS}numFmt\b([^>]*)")
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_EPOCH = dt.datetime(1899, 12, 30)


def _attrs(text: str) -> dict[str, str]:
    return dict(_ATTR.findall(text))


def _text(fragment: str) -> str:
    value = "".join(t or "" for t in _TEXT.findall(_PHONETIC.sub("", fragment)))
    return unescape(value) if "&" in value else value


def _column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


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
    block = _XF_BLOCK.search(styles)
    dates = set()
    for index, attrs in enumerate(map(_attrs, _XF.findall(block.group(0) if block else ""))):
        number = int(attrs.get("numFmtId", 0))
        if number in _BUILTIN_DATE_FORMATS or (number in custom and _is_date_format(custom[number])):
            dates.add(index)
    return dates


def _last_end(buffer: str, pattern: re.Pattern) -> int:
    end = -1
    for match in pattern.finditer(buffer):
        end = match.end()
    return end


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    buffer = ""
    with stream:
        while True:
            chunk = stream.read(_CHUNK)
            if chunk:
                buffer += _decode(chunk, stream)
                cut = _last_end(buffer, _SI_END)
                if cut < 0:
                    continue
            else:
                cut = len(buffer)
            strings.extend(_text(body) if body else "" for body in _SI.findall(buffer[:cut]))
            buffer = buffer[cut:]
            if not chunk:
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


def iter_sheet(archive: zipfile.ZipFile, path: str, strings: list[str], dates: set[int]) -> Iterator[tuple[int, list]]:
    """(row number, cell values) for each row with content, values as calamine gives them:
    str, float/int, bool, datetime."""
    buffer = ""
    last_row = 0
    with archive.open(path) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if chunk:
                buffer += _decode(chunk, stream)
                cut = _last_end(buffer, _ROW_END)
                if cut < 0:
                    continue
            else:
                cut = len(buffer)
            for attributes, body in _ROW.findall(buffer[:cut]):
                row_attrs = _attrs(attributes)
                number = int(row_attrs.get("r", last_row + 1))
                last_row = number
                if body:
                    yield number, _cells(body, strings, dates)
            buffer = buffer[cut:]
            if not chunk:
                return


# The shapes Excel, WPS and openpyxl write for plain cells, in one pass. A row with anything else
# (formulas, rich text, prefixed tags) takes the general path below.
_FAST_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?: s="(\d+)")?'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_COLUMNS: dict[str, int] = {}


def _cells(body: str, strings: list[str], dates: set[int]) -> list:
    found = _FAST_CELL.findall(body)
    if found and len(found) == body.count("<c "):
        return _fast_cells(found, strings, dates)
    return _general_cells(body, strings, dates)


def _fast_cells(found: list[tuple], strings: list[str], dates: set[int]) -> list:
    values: list = []
    append = values.append
    for letters, style_a, kind, style_b, raw, inline in found:
        column = _COLUMNS.get(letters)
        if column is None:
            column = _COLUMNS.setdefault(letters, _column_index(letters))
        if column > len(values):
            values.extend([None] * (column - len(values)))
        if kind == "inlineStr":
            append(unescape(inline) if "&" in inline else inline)
        elif not raw:
            append(None)
        elif kind == "s":
            append(strings[int(raw)])
        elif not kind or kind == "n":
            number = float(raw)
            style = style_a or style_b
            if style and int(style) in dates:
                value = _EPOCH + dt.timedelta(days=number)
                append(value.date() if number.is_integer() else value)
            else:
                append(int(number) if number.is_integer() and "E" not in raw.upper() else number)
        elif kind == "b":
            append(raw == "1")
        elif kind == "d":
            append(dt.datetime.fromisoformat(raw))
        elif kind == "e":
            append(None)
        else:
            append(unescape(raw) if "&" in raw else raw)
    return values


def _general_cells(body: str, strings: list[str], dates: set[int]) -> list:
    values: list = []
    for attributes, content in _CELL.findall(body):
        attrs = _attrs(attributes)
        reference = attrs.get("r")
        if reference:
            column = _column_index(_REF.match(reference).group(1))
            if column > len(values):
                values.extend([None] * (column - len(values)))
        kind = attrs.get("t", "n")
        value = None
        if content:
            if kind == "inlineStr":
                value = _text(content)
            else:
                match = _VALUE.search(content)
                raw = match.group(1) if match else None
                if raw is not None:
                    if kind == "s":
                        value = strings[int(raw)]
                    elif kind == "e":
                        value = None  # #N/A, #REF! …: no value, as calamine reports it
                    elif kind == "str":
                        value = unescape(raw) if "&" in raw else raw
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
        values.append(value)
    return values


def open_stream(archive: zipfile.ZipFile) -> tuple[list[str], list[str], set[int]]:
    return sheet_paths(archive), _shared_strings(archive), _date_styles(archive)
