"""Issue 13 (UPL-2): the checks across a file's rows keep one compact entry a row (uploads.keyset),
a re-upload encrypts no ID number it does not store, and the collector's set-aside ends with the
run. The answers are the ones the dicts gave: the first row of a key, across batches, in file order."""
from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.contrib.auth.models import Permission

from core.identity import id_number_check_character
from membership import directory
from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.uploads.helpers import HEADERS, id_numbers, roster_csv
from uploads import pipeline
from uploads.keyset import FirstRows
from uploads.reader import UploadRefused


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def uploader(chaoyang_officer):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_worker"))
    return chaoyang_officer


def test_first_rows_answers_the_first_row_and_value_of_each_key():
    seen = FirstRows(with_values=True)
    assert seen.first(2**95 + 7, 2, 11) == (2, 11)
    assert seen.first(2**95 + 7, 9, 12) == (2, 11)  # the first answer stays
    # Same bucket (low 14 bits), other bits: another key.
    assert seen.first(2**95 + 7 + (1 << 14), 3, 13) == (3, 13)
    assert seen.first(7 + (1 << 40), 4, 14) == (4, 14)
    assert seen.first(("甲", 1), 5) == (5, 0)  # any other key is kept exactly
    assert seen.first(("甲", 1), 6) == (5, 0)
    assert seen.first(-1, 7) == (7, 0)
    plain = FirstRows()
    assert [plain.first(key, row) for row, key in enumerate([5, 6, 5, 6, 7], start=2)] == [
        (2, 0), (3, 0), (2, 0), (3, 0), (6, 0)]


def test_many_keys_each_answer_their_own_first_row():
    seen = FirstRows()
    keys = [(index * 0x9E3779B97F4A7C15 + 12345) % 2**96 for index in range(50_000)]
    assert all(seen.first(key, row) == (row, 0) for row, key in enumerate(keys))
    assert all(seen.first(key, 10**6) == (row, 0) for row, key in enumerate(keys))


def test_a_row_repeating_one_of_an_earlier_batch_is_rejected_with_that_rows_number(tree, uploader, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 3)
    numbers = id_numbers(8)
    numbers[6] = numbers[1]  # row 8 repeats row 3, two batches later
    data = roster_csv(numbers, CHAOYANG_ENTERPRISE).decode().replace("职工6,", "职工1,").encode()
    summary = pipeline.run(kind_code="workers", data=data, user=uploader, commit=True)
    assert summary.written == 7 and Worker.objects.count() == 7
    assert [(entry["row"], entry["errors"]) for entry in summary.rejected] == [
        (8, [["姓名", "与本文件第 3 行重复"]])]


def test_same_name_and_mask_with_other_digits_is_answered_across_batches(tree, uploader, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    # Two valid numbers under one mask, 110105********002X: other birth dates, same last four.
    twins = [f"110105{day:%Y%m%d}002X" for day in (dt.date(1949, 1, 1) + dt.timedelta(days=n) for n in range(365))
             if id_number_check_character(f"110105{day:%Y%m%d}002") == "X"][:2]
    rows = [f"王秀兰,{twins[0]},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,"] + [
        f"职工{index},{number},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,"
        for index, number in enumerate(id_numbers(3))] + [f"王秀兰,{twins[1]},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,"]
    summary = pipeline.run(kind_code="workers", data="\n".join([",".join(HEADERS), *rows]).encode(),
                           user=uploader, commit=False)
    assert summary.new == 4
    assert [(entry["row"], entry["errors"][0][0]) for entry in summary.rejected] == [(6, "身份证号")]
    assert "第2行" in summary.rejected[0]["errors"][0][1]


def test_a_re_upload_encrypts_only_the_numbers_it_stores(tree, uploader, monkeypatch):
    encrypted = []
    tools = directory.id_number_tools

    def counting_tools():
        encrypt, digest = tools()

        def counted(number):
            encrypted.append(number)
            return encrypt(number)

        return counted, digest

    monkeypatch.setattr(directory, "id_number_tools", counting_tools)
    numbers = id_numbers(5)
    pipeline.run(kind_code="workers", data=roster_csv(numbers[:3], CHAOYANG_ENTERPRISE), user=uploader, commit=True)
    assert sorted(encrypted) == sorted(numbers[:3])
    encrypted.clear()
    summary = pipeline.run(kind_code="workers", data=roster_csv(numbers, CHAOYANG_ENTERPRISE), user=uploader,
                           commit=True)
    assert (summary.new, summary.unchanged, summary.written) == (2, 3, 2)
    assert sorted(encrypted) == sorted(numbers[3:])
    from core.crypto import decrypt_id_number

    stored = {decrypt_id_number(token) for token in Worker.objects.values_list("id_number_encrypted", flat=True)}
    assert stored == set(numbers)


def test_the_collectors_set_aside_ends_with_the_run_whatever_happens(tree, uploader):
    pipeline.run(kind_code="workers", data=roster_csv(id_numbers(2), CHAOYANG_ENTERPRISE), user=uploader,
                 commit=False)
    assert gc.get_freeze_count() == 0
    with pytest.raises(UploadRefused):
        pipeline.run(kind_code="workers", data=b"\xef\xbb\xbf" + ",".join(HEADERS).encode(), user=uploader,
                     commit=True)
    assert gc.get_freeze_count() == 0


def test_a_run_leaves_a_set_aside_made_before_it_in_place(tree, uploader):
    """A server that froze its start-up objects (gc.freeze before forking its workers, to keep
    their pages shared) keeps them frozen after an upload: the run undoes only its own freeze."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        pipeline.run(kind_code="workers", data=roster_csv(id_numbers(2), CHAOYANG_ENTERPRISE), user=uploader,
                     commit=False)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
