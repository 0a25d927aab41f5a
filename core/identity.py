"""Chinese identity codes: resident ID numbers (GB 11643) and unified social credit codes
(GB 32100-2015). Pure functions, no database, so uploads can call them on every row."""
from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from operator import mul

from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+")


def _today() -> dt.date:
    # Looked up once a second at most: parse_id_number runs on every row of a roster.
    now = time.monotonic()
    if now - _today.checked > 1:
        _today.value, _today.checked = dt.date.today(), now
    return _today.value


_today.value, _today.checked = dt.date.today(), time.monotonic()


class InvalidCode(ValueError):
    """The message is plain Chinese for the person who typed the code."""


def normalise_code(raw: object) -> str:
    """Full-width digits and letters become ASCII, spaces go, letters become upper case."""
    text = str(raw)
    if text.isascii() and text.isalnum():
        return text.upper()
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).upper()


_ID_WEIGHT_SUM_OF_ZERO = 48 * sum(_ID_WEIGHTS)  # ord("0") times every weight


def id_number_check_character(first17: str) -> str:
    # Over bytes, map() runs in C: this is on the hot path of every roster upload.
    return _ID_CHECK[(sum(map(mul, first17.encode(), _ID_WEIGHTS)) - _ID_WEIGHT_SUM_OF_ZERO) % 11]


def parse_id_number(raw: object) -> tuple[str, dt.date, str]:
    """Return (normalised number, birth date, sex 'M'/'F') or raise InvalidCode.

    A number that Excel stored as a number is refused with its own message: its last digits are
    already lost and must not be guessed back.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise InvalidCode(
            _("The ID number was stored by Excel as a number and its last digits are lost; "
              "format the column as text and type it again")
        )
    number = normalise_code(raw)
    if not number:
        raise InvalidCode(_("The ID number is empty"))
    if "E" in number and _SCIENTIFIC.fullmatch(number):
        raise InvalidCode(
            _("The ID number was turned into scientific notation by Excel (%(value)s); "
              "format the column as text and type it again") % {"value": number}
        )
    if not _ID_SHAPE.match(number):
        raise InvalidCode(_("An ID number has 18 characters: 17 digits and a digit or X at the end"))
    try:
        birth = dt.date.fromisoformat(f"{number[6:10]}-{number[10:12]}-{number[12:14]}")
    except ValueError:
        raise InvalidCode(_("The birth date inside the ID number does not exist")) from None
    if birth.year < 1900 or birth > _today():
        raise InvalidCode(_("The birth date inside the ID number does not exist"))
    if id_number_check_character(number[:17]) != number[17]:
        if number.endswith("000"):
            raise InvalidCode(
                _("The ID number ends in zeros and its check character is wrong: Excel probably "
                  "rounded it; format the column as text and type it again")
            )
        raise InvalidCode(_("The check character of the ID number is wrong"))
    sex = "M" if int(number[16]) % 2 else "F"
    return number, birth, sex


def mask_id_number(number: str) -> str:
    """`110105********002X`: region and the last four stay, the birth date is hidden."""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"


# An ID number anywhere in a text or a cell: a run of 14 or more digits (an 18-character number, a
# 15-character old one, or one Excel cut or padded), an X at the end; and a number Excel turned into
# scientific notation with more than six digits kept. `\d` matches full-width digits too.
# The digits of a run may be separated by up to three characters of punctuation or whitespace each
# (`110105.19491231.002X`, ideographic spaces, `__`): the issue 6 review read birth dates through
# any separator but one space or hyphen. Letters and Chinese characters end a run, so dates and
# phone numbers in ordinary text stay readable (8 and 11 digits); a date right beside a phone
# number is masked, which costs a reader little. A run is found by one forward scan (possessive
# quantifiers, nothing to backtrack into) and judged by counting its digits, so a long cell of
# digits and dots stays linear.
_RUN_IN_TEXT = re.compile(r"\d(?:[\W_]{0,3}\d)*+(?:[\W_]{0,3}[XxＸｘ](?![\dXxＸｘ]))?+")
_SEPARATORS = re.compile(r"[\W_]")
_RUN_MIN_DIGITS = 14
_SCIENTIFIC_IN_TEXT = re.compile(r"(?<!\d)(\d[.．])(\d+)(\s*[Ee][+＋]?\d+)")


def _is_id_run(run: str) -> bool:
    return sum(character.isdigit() for character in run) >= _RUN_MIN_DIGITS


def _mask_run(match: re.Match) -> str:
    if not _is_id_run(match.group(0)):
        return match.group(0)
    chars = unicodedata.normalize("NFKC", _SEPARATORS.sub("", match.group(0))).upper()
    if len(chars) == 15:  # GB 11643-1989: region, YYMMDD, sequence
        return f"{chars[:6]}{'*' * 6}{chars[12:]}"
    if len(chars) <= 18:
        return f"{chars[:6]}{'*' * 8}{chars[14:]}"
    return f"{chars[:6]}{'*' * (len(chars) - 10)}{chars[-4:]}"  # where the number starts is unknown


def _mask_scientific(match: re.Match) -> str:
    head, digits, exponent = match.groups()
    # 1.10105E+17 keeps the region only; more digits would start on the birth date.
    return head + digits[:5] + "*" * max(0, len(digits) - 5) + exponent if len(digits) > 5 else match.group(0)


def mask_id_numbers_in_text(text: str) -> str:
    """MEM-4: every ID-shaped value in a text (an error reason quoting a cell, a cell of any
    column) masked like the registry masks it: the birth-date digits hidden."""
    if not any(character.isdigit() for character in text):
        return text
    # Scientific notation first: its `1.1010519491231` would otherwise read as one dotted run.
    return _RUN_IN_TEXT.sub(_mask_run, _SCIENTIFIC_IN_TEXT.sub(_mask_scientific, text))


def looks_like_full_id_number(text: str) -> bool:
    return any(_is_id_run(match.group(0)) for match in _RUN_IN_TEXT.finditer(text))


BIRTH_BAND_YEARS = 5


def birth_year_band(birth: dt.date) -> str:
    """MEM-4: the most of a birth date shown beside a masked ID number, e.g. `1945–1949`.

    The mask hides exactly the eight birth-date digits, so the date (or an age that changes on the
    birthday, which dates it to the day for anyone watching) would give the full number back. A
    band of five birth years leaves about 166 valid numbers per mask (1,826 days, one check
    character in eleven), and, being a band of birth years rather than of ages, it never moves.
    """
    first = birth.year - birth.year % BIRTH_BAND_YEARS
    return f"{first}–{first + BIRTH_BAND_YEARS - 1}"


# GB 32100-2015: 0-9 and upper-case letters without I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(raw: object) -> str:
    """Return the normalised 18-character unified social credit code or raise InvalidCode."""
    code = normalise_code(raw)
    if not code:
        raise InvalidCode(_("The unified social credit code is empty"))
    if len(code) != 18:
        raise InvalidCode(_("A unified social credit code has 18 characters"))
    if not _USCC_SHAPE.match(code):
        raise InvalidCode(
            _("A unified social credit code uses digits and capital letters except I, O, Z, S and V")
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise InvalidCode(_("The check character of the unified social credit code is wrong"))
    return code


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """A valid ID number (for demo data and tests): 3-digit sequence, odd for men."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_number_check_character(first17)


def make_credit_code(org_prefix: str, region: str, body: str) -> str:
    """A valid unified social credit code from a 2-character prefix, region and 9-character body."""
    first17 = f"{org_prefix}{region}{body}"
    return first17 + uscc_check_character(first17)
