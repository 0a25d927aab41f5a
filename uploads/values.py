"""Normalising the cells of district spreadsheets: NFKC (full-width digits), stray spaces, 是/否,
the date forms offices type. Each parser returns a value or raises CellError with a plain reason."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class CellError(ValueError):
    pass


# Characters XML 1.0 cannot hold (so no xlsx, and not the rejected-rows file) and NUL, which
# PostgreSQL refuses in text: a cell with one is rejected with its row (issue 6 item 12).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_forbidden_character(value: str) -> bool:
    # isprintable() is a fast scan that is True for nearly every cell; only the rest are searched.
    return not value.isprintable() and FORBIDDEN_CHARACTERS.search(value) is not None


def text(value: object) -> str:
    if value.__class__ is str:
        if value.isascii() or unicodedata.is_normalized("NFKC", value):
            return value.strip()
        return unicodedata.normalize("NFKC", value).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        if value.isascii():
            return value.strip()
        return unicodedata.normalize("NFKC", value).strip()
    return str(value).strip()


def required_text(value: object, max_length: int) -> str:
    result = text(value)
    if not result:
        raise CellError(_("This cell must not be empty"))
    if len(result) > max_length:
        raise CellError(_("Longer than %(max)d characters") % {"max": max_length})
    return result


def optional_text(value: object, max_length: int) -> str:
    result = text(value)
    if len(result) > max_length:
        raise CellError(_("Longer than %(max)d characters") % {"max": max_length})
    return result


_YES = {"是", "Y", "YES", "1", "TRUE", "√"}
_NO = {"否", "N", "NO", "0", "FALSE", "×", ""}


def yes_no(value: object) -> bool:
    if value == "否":
        return False
    if value == "是":
        return True
    if isinstance(value, bool):
        return value
    word = text(value).upper()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(_("Write 是 or 否"))


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: object, *, required: bool = False) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell whose format was lost arrives as Excel's serial day number.
        if 1 <= value < 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("Not a date; write it as 2013-05-01"))
    word = text(value)
    if not word:
        if required:
            raise CellError(_("This cell must not be empty"))
        return None
    if len(word) == 10:
        try:
            return dt.date.fromisoformat(word)
        except ValueError:
            pass
    if word.endswith(" 00:00:00"):
        word = word[:-9]
    match = _DATE_TEXT.match(word)
    if not match:
        if word.isdigit() and len(word) == 8:
            match = re.match(r"(\d{4})(\d{2})(\d{2})", word)
        else:
            raise CellError(_("Not a date; write it as 2013-05-01"))
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise CellError(_("This date does not exist")) from None


def non_negative_int(value: object, *, required: bool = False) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise CellError(_("Must be a whole number of 0 or more"))
        return value
    word = text(value).replace(",", "")
    if not word:
        if required:
            raise CellError(_("This cell must not be empty"))
        return None
    if not word.isdigit():
        raise CellError(_("Must be a whole number of 0 or more"))
    return int(word)


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_PHONE_SEPARATORS = re.compile(r"[\s\-]")


def mobile_phone(value: object) -> str:
    if value.__class__ is str and len(value) == 11 and _MOBILE.fullmatch(value):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    word = _PHONE_SEPARATORS.sub("", text(value))
    if word.startswith("+86"):
        word = word[3:]
    if not word:
        return ""
    if _MOBILE.fullmatch(word) or _LANDLINE.fullmatch(word):
        return word
    raise CellError(_("Not a phone number: 11 digits starting with 1, or a landline with its area code"))


class FormulaCell:
    """A cell the reader cannot give a value for: a formula whose result the file does not hold
    (written by a program that does not calculate, such as a script), or a formula whose result
    is an error (#REF!, #N/A). Never read as blank (issue 8): the pipeline rejects its row."""

    __slots__ = ("formula", "error")

    def __init__(self, formula: str = "", error: str = ""):
        self.formula, self.error = formula, error

    def __str__(self) -> str:  # what the rejected-rows download shows in the cell
        return self.error or ("=" + self.formula if self.formula else "")

    def __repr__(self) -> str:
        return f"FormulaCell({self.formula!r}, {self.error!r})"


class FormulaRow(list):
    """The cells of a row that holds a FormulaCell: the reader marks such a row, so the pipeline
    looks for FormulaCells only there."""

    __slots__ = ()


_FORMULA_STARTS = frozenset("=+-@")
# The reason a formula-like text is refused (Column.formula_guard; the admin's name fields too).
FORMULA_TEXT = gettext_noop("A text beginning with =, +, - or @ is run as a formula by spreadsheets; this column "
                            "must not begin with one")


def starts_like_formula(value: str) -> bool:
    """UPL-4: a text a spreadsheet would run as a formula, full-width forms (＝, ＋) included:
    NFKC makes them the ASCII signs when the cell is stored."""
    first = value[:1]
    if first in _FORMULA_STARTS:
        return True
    if not first or (first.isascii() and not first.isspace()):
        return False
    stripped = unicodedata.normalize("NFKC", value).lstrip()
    return stripped[:1] in _FORMULA_STARTS
