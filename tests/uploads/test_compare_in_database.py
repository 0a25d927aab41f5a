"""UPL-2 (issue 13): a roster row is compared with its stored worker inside PostgreSQL
(uploads.fingerprint, bulk.fetch_compared); only the workers that differ are fetched and compared
in Python. Every compared field must still be found changed, a kept (blank optional) field never,
and no cell text can make a changed row read as unchanged."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory, id_number_new
from uploads import bulk, pipeline
from uploads.fingerprint import row_text
from uploads.kinds import get_kind

HEADERS = ["姓名", "身份证号", "单位代码", "岗位", "一线职工", "农民工", "困难职工", "文化程度", "手机号码", "入会日期",
           "离会日期", "离会原因"]
STORED = ["张三", None, CHAOYANG_ENTERPRISE, "车工", "是", "否", "否", "本科", "13800138000", "2013-05-01", "", ""]


def csv_bytes(*rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def stored(tree):
    number = id_number_new()
    worker = WorkerFactory(id_number=number, name="张三", unit=tree["chaoyang_enterprise"], post="车工",
                           phone="13800138000", education=Worker.Education.BACHELOR, is_frontline=True,
                           is_migrant=False, is_needy=False, joined_union_on=dt.date(2013, 5, 1))
    return worker, number


def _row(number, **changed):
    cells = list(STORED)
    cells[1] = number
    for header, value in changed.items():
        cells[HEADERS.index(header)] = value
    return cells


def test_the_stored_row_again_is_unchanged_and_its_fields_are_not_fetched(stored, chaoyang_officer, monkeypatch):
    _worker, number = stored
    fetched = []
    original = bulk.fetch_compared

    def spy(*args, **kwargs):
        found = original(*args, **kwargs)
        fetched.extend(found)
        return found

    monkeypatch.setattr(bulk, "fetch_compared", spy)
    summary = pipeline.run(kind_code="workers", data=csv_bytes(_row(number)), user=chaoyang_officer, commit=True)
    assert (summary.unchanged, summary.updated, summary.written) == (1, 0, 0)
    [(_digest, _pk, _path, same, *current)] = fetched
    assert same is True and current == [None] * len(get_kind("workers").compared)


@pytest.mark.parametrize("header, value, field, expected", [
    ("姓名", "张三丰", None, None),  # a name never changes by upload: the row is rejected
    ("单位代码", "110105", "unit_id", "chaoyang"),
    ("岗位", "焊工", "post", "焊工"),
    ("一线职工", "否", "is_frontline", False),
    ("农民工", "是", "is_migrant", True),
    ("困难职工", "是", "is_needy", True),
    ("文化程度", "大专", "education", Worker.Education.COLLEGE),
    ("手机号码", "13900139000", "phone", "13900139000"),
    ("入会日期", "2014-05-01", "joined_union_on", dt.date(2014, 5, 1)),
])
def test_a_change_of_any_compared_field_is_found_and_written(stored, chaoyang_officer, tree, header, value, field,
                                                              expected):
    worker, number = stored
    summary = pipeline.run(kind_code="workers", data=csv_bytes(_row(number, **{header: value})),
                           user=chaoyang_officer, commit=True)
    worker.refresh_from_db()
    if field is None:
        assert (summary.rejected_count, summary.updated, worker.name) == (1, 0, "张三")
        return
    if expected == "chaoyang":
        expected = tree["chaoyang"].pk
    assert (summary.updated, summary.unchanged, summary.written) == (1, 0, 1)
    assert getattr(worker, field) == expected


def test_a_leaving_date_and_reason_are_found_changed(stored, chaoyang_officer):
    worker, number = stored
    summary = pipeline.run(kind_code="workers", data=csv_bytes(_row(number, 离会日期="2024-01-31", 离会原因="退休")),
                           user=chaoyang_officer, commit=True)
    assert (summary.updated, summary.written) == (1, 1)
    worker.refresh_from_db()
    assert (worker.left_on, worker.leaving_reason) == (dt.date(2024, 1, 31), Worker.LeavingReason.RETIRED)


def test_the_preview_lists_the_change_found_by_the_database(stored, chaoyang_officer):
    _worker, number = stored
    summary = pipeline.run(kind_code="workers", data=csv_bytes(_row(number, 岗位="焊工")), user=chaoyang_officer,
                           commit=False)
    assert summary.updated == 1
    assert summary.changes[0]["changes"] == [["岗位", "车工", "焊工"]]


def test_blank_optional_cells_keep_the_stored_values_and_the_row_is_unchanged(stored, chaoyang_officer):
    _worker, number = stored
    row = _row(number, 岗位="", 一线职工="", 手机号码=" ", 入会日期="")
    summary = pipeline.run(kind_code="workers", data=csv_bytes(row), user=chaoyang_officer, commit=True)
    assert (summary.unchanged, summary.updated) == (1, 0)


def test_a_blank_optional_cell_beside_a_changed_one_still_finds_the_change(stored, chaoyang_officer):
    worker, number = stored
    row = _row(number, 岗位="", 手机号码="13900139000")
    summary = pipeline.run(kind_code="workers", data=csv_bytes(row), user=chaoyang_officer, commit=True)
    assert (summary.updated, summary.written) == (1, 1)
    worker.refresh_from_db()
    assert (worker.post, worker.phone) == ("车工", "13900139000")


def test_texts_that_shift_a_separator_between_fields_are_not_equal(tree):
    """Without each text's length, post "a|s1:b" with phone "" would read like post "a" with a
    phone "b" next to it; with it they differ."""
    first = row_text(["a|s0:", ""], 0)
    second = row_text(["a", "|s0:"], 0)
    assert first != second
    assert row_text(["1", 1, True, dt.date(2013, 5, 1), None], 0) == "s1:1|i1|t|d2013-05-01|n"
    assert row_text([dt.datetime(2013, 5, 1)], 0) is None  # not covered: compared in Python


def test_the_database_writes_each_stored_value_as_python_does(stored):
    worker, _number = stored
    compared = get_kind("workers").compared
    values = [getattr(worker, name) for name in compared]
    digest = worker.id_number_digest
    [(_digest, same, *current)] = bulk.fetch_compared(Worker, "id_number_digest", [
        (digest, row_text(values, 0), 0)], (), compared)
    assert same is True and current == [None] * len(compared)
    values[compared.index("post")] = "车工 "
    [(_digest, same, *current)] = bulk.fetch_compared(Worker, "id_number_digest", [
        (digest, row_text(values, 0), 0)], (), compared)
    assert same is False and current[compared.index("post")] == "车工"
    kept = 1 << compared.index("post")  # a kept field is not compared
    [(_digest, same, *_current)] = bulk.fetch_compared(Worker, "id_number_digest", [
        (digest, row_text(values, kept), kept)], (), compared)
    assert same is True
    [(_digest, same, *_current)] = bulk.fetch_compared(Worker, "id_number_digest", [(digest, None, 0)], (), compared)
    assert same is False  # no text (a value of a type not covered): compared in Python
