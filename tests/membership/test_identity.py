import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.identity import (
    InvalidCode,
    make_credit_code,
    make_id_number,
    mask_id_number,
    parse_credit_code,
    parse_id_number,
)

VALID = "11010519491231002X"


def test_published_example_id_number_is_valid_with_birth_date_and_sex():
    number, birth, sex = parse_id_number(VALID)
    assert (number, birth, sex) == (VALID, dt.date(1949, 12, 31), "F")


def test_full_width_digits_and_lowercase_x_are_normalised():
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ")[0] == VALID
    assert parse_id_number(" 11010519491231002x ")[0] == VALID


@pytest.mark.parametrize("raw, fragment", [
    ("11010519491231002", "18"),
    ("110105194912310021", "check character"),
    ("11010519490231002X", "birth date"),
    ("1.10105E+17", "scientific notation"),
    (110105194912310000, "stored by Excel as a number"),
    (1.10105194912310e17, "stored by Excel as a number"),
    ("110105194912310000", "Excel probably rounded"),
    ("", "empty"),
])
def test_bad_id_numbers_are_refused_with_a_reason(raw, fragment, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(InvalidCode) as error:
        parse_id_number(raw)
    assert fragment in str(error.value)


def test_masking_keeps_region_and_last_four():
    assert mask_id_number(VALID) == "110105********002X"


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, 17), replacement=st.sampled_from("0123456789X"))
def test_every_single_character_change_of_a_valid_number_is_rejected(position, replacement):
    if VALID[position] == replacement:
        return
    changed = VALID[:position] + replacement + VALID[position + 1:]
    with pytest.raises(InvalidCode):
        parse_id_number(changed)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108MA01HD001H"])
def test_published_credit_codes_are_valid(code):
    assert parse_credit_code(code) == code


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", ""])
def test_bad_credit_codes_are_refused(code):
    with pytest.raises(InvalidCode):
        parse_credit_code(code)


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, 17), replacement=st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
def test_every_single_character_change_of_a_credit_code_is_rejected(position, replacement):
    valid = "91350100M000100Y43"
    if valid[position] == replacement:
        return
    with pytest.raises(InvalidCode):
        parse_credit_code(valid[:position] + replacement + valid[position + 1:])


def test_generated_codes_are_valid():
    assert parse_id_number(make_id_number("110108", dt.date(1990, 2, 28), 7))[2] == "M"
    assert parse_credit_code(make_credit_code("91", "110105", "MA0000001"))


@pytest.mark.parametrize("text", [
    "110105.19491231.002X", "110105\u300019491231\u3000002X", "110105  19491231  002X", "110105__19491231__002X",
    "身份证：110105-1949-1231-002x。", "１１０１０５．１９４９１２３１．００２Ｘ", "(110105)(19491231)(002X)",
    "1101 0519 4912 3100 2X", "110105 491231 002",
])
def test_id_numbers_with_any_punctuation_or_spacing_are_masked_in_text(text):
    from core.identity import looks_like_full_id_number, mask_id_numbers_in_text

    masked = mask_id_numbers_in_text(text)
    digits = "".join(character for character in masked if character.isdigit())
    assert "491231" not in digits and "4912" not in digits, masked
    assert looks_like_full_id_number(text)


@pytest.mark.parametrize("text", [
    "入会日期 2013-05-01", "手机号码 138-0013-8000", "第 12 行与第 15 行重复", "2024年1月1日 13800138000",
    "Longer than 30 characters", "110105********002X",
])
def test_dates_phone_numbers_and_masked_numbers_are_left_as_they_are(text):
    from core.identity import mask_id_numbers_in_text

    assert mask_id_numbers_in_text(text) == text


def test_masking_a_cell_full_of_separated_digits_stays_linear():
    import time

    from core.identity import mask_id_numbers_in_text

    for cell in ("1." * 16_000 + "XX", "1" + ".... 1" * 6_000, "1,2 " * 8_000 + "X"):
        started = time.process_time()
        mask_id_numbers_in_text(cell)
        assert time.process_time() - started < 0.5
