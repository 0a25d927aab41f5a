"""UPL-2 (issue 13): a roster row that wrote a worker is recognised by the keyed digest of its cells
(Worker.upload_row_digest) at its next upload and reported unchanged without being validated again,
but only while nothing else has changed the worker, the unit cell names the worker's unit and the
unit is in the uploader's scope; and a commit writes batches of new rows without looking them up
while every row so far was new (pipeline._write_as_new)."""
from __future__ import annotations

import pytest

from membership import services
from membership.models import Worker
from membership.upload_kinds import WorkerKind
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory, id_number_new
from tests.uploads.helpers import id_numbers, roster_csv
from uploads import bulk, pipeline
from uploads.fingerprint import cells_digester


@pytest.fixture
def cleaned(monkeypatch):
    """The rows WorkerKind.clean validates, by row number."""
    numbers = []
    original = WorkerKind.clean

    def spy(self, row, cells):
        numbers.append(row.number)
        return original(self, row, cells)

    monkeypatch.setattr(WorkerKind, "clean", spy)
    return numbers


def _commit(data: bytes, user, *, commit: bool = True):
    return pipeline.run(kind_code="workers", data=data, user=user, commit=commit)


def test_the_same_file_again_is_unchanged_without_validating_its_rows(tree, chaoyang_officer, cleaned):
    data = roster_csv(id_numbers(3), CHAOYANG_ENTERPRISE)
    first = _commit(data, chaoyang_officer)
    assert (first.new, first.written) == (3, 3)
    assert Worker.objects.filter(upload_row_digest__isnull=False).count() == 3
    cleaned.clear()
    for commit in (False, True):
        again = _commit(data, chaoyang_officer, commit=commit)
        assert (again.rows, again.unchanged, again.new, again.updated, again.written, again.rejected_count) \
            == (3, 3, 0, 0, 0, 0)
    assert cleaned == []


def test_a_worker_changed_since_is_validated_and_updated_again(tree, chaoyang_officer, cleaned):
    data = roster_csv(id_numbers(2), CHAOYANG_ENTERPRISE)
    _commit(data, chaoyang_officer)
    worker = Worker.objects.order_by("id").first()
    services.worker_update(worker=worker, post="车工")  # as the admin saves it
    worker.refresh_from_db()
    assert worker.upload_row_digest is None  # the trigger cleared it
    cleaned.clear()
    again = _commit(data, chaoyang_officer)
    assert (again.unchanged, again.updated, again.written) == (1, 1, 1)
    assert len(cleaned) == 1
    worker.refresh_from_db()
    assert worker.post == "焊工" and worker.upload_row_digest is not None


def test_any_update_that_does_not_write_a_digest_clears_it(tree, chaoyang_officer):
    _commit(roster_csv(id_numbers(1), CHAOYANG_ENTERPRISE), chaoyang_officer)
    Worker.objects.update(phone="13900139000")
    assert Worker.objects.get().upload_row_digest is None


def test_another_districts_officer_is_never_answered_by_the_digest(tree, chaoyang_officer, haidian_officer, cleaned):
    data = roster_csv(id_numbers(1), CHAOYANG_ENTERPRISE)
    _commit(data, chaoyang_officer)
    cleaned.clear()
    # The same cells from 海淀: the unit is outside their scope, so the row is validated (and
    # rejected) as any row naming another district's unit.
    summary = _commit(data, haidian_officer, commit=False)
    assert (summary.unchanged, summary.rejected_count) == (0, 1)
    assert cleaned == [2]


def test_a_unit_cell_that_no_longer_names_the_workers_unit_is_validated(tree, chaoyang_officer, cleaned):
    data = roster_csv(id_numbers(1), CHAOYANG_ENTERPRISE)
    _commit(data, chaoyang_officer)
    Worker.objects.update(unit=tree["chaoyang"], upload_row_digest=Worker.objects.get().upload_row_digest)
    cleaned.clear()
    summary = _commit(data, chaoyang_officer, commit=False)
    assert summary.updated == 1 and cleaned == [2]


def test_a_recognised_row_repeated_in_the_file_is_rejected_as_a_repeat(tree, chaoyang_officer):
    numbers = id_numbers(2)
    _commit(roster_csv(numbers, CHAOYANG_ENTERPRISE), chaoyang_officer)
    twice = roster_csv(numbers, CHAOYANG_ENTERPRISE) + roster_csv(numbers[:1], CHAOYANG_ENTERPRISE).split(b"\n", 1)[1]
    summary = _commit(twice, chaoyang_officer, commit=False)
    assert (summary.unchanged, summary.rejected_count) == (2, 1)
    assert summary.rejected[0]["row"] == 4
    assert "Repeats row 2" in summary.rejected[0]["errors"][0][1] or "第 2 行" in summary.rejected[0]["errors"][0][1]


def test_the_digest_tells_every_cell_apart():
    digest = cells_digester(b"k" * 32)
    assert digest(["a", "b"]) != digest(["ab", ""])
    assert digest(["a\x1fb", ""]) is None  # the separator is no printable text
    assert digest(["a", None]) != digest(["a", ""])
    assert digest(["a", "b"]) == digest(["a", "b"])
    assert digest(["a", "b\x00"]) is None  # not printable: always validated in full
    assert digest(["a", 1]) is None  # a number from xlsx: validated in full
    assert cells_digester(b"j" * 32)(["a", "b"]) != digest(["a", "b"])  # keyed


def test_a_commit_of_new_rows_writes_them_without_looking_them_up(tree, chaoyang_officer, monkeypatch):
    calls = []
    original = bulk.fetch_compared
    monkeypatch.setattr(bulk, "fetch_compared", lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    summary = _commit(roster_csv(id_numbers(5), CHAOYANG_ENTERPRISE), chaoyang_officer)
    assert (summary.new, summary.written) == (5, 5)
    assert calls == []
    assert Worker.objects.count() == 5


def test_a_stored_worker_after_new_rows_is_classified_as_usual(tree, chaoyang_officer, monkeypatch):
    """The batch written as new meets a stored ID number: it is rolled back to its savepoint and
    classified, so the stored worker is updated, not refused or written twice."""
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    number = id_number_new()
    WorkerFactory(id_number=number, name="职工4", unit=tree["chaoyang_enterprise"], post="车工")
    numbers = id_numbers(4)
    numbers.insert(4, number)  # row 6, in the third batch
    summary = _commit(roster_csv(numbers, CHAOYANG_ENTERPRISE), chaoyang_officer)
    assert (summary.new, summary.updated, summary.rejected_count, summary.written) == (4, 1, 0, 5)
    assert Worker.objects.count() == 5
    assert Worker.objects.get(name="职工4").post == "焊工"


def test_an_as_new_batch_with_another_districts_worker_rejects_the_row_and_writes_nothing_of_it(
        tree, chaoyang_officer, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    number = id_number_new()
    WorkerFactory(id_number=number, name="职工2", unit=tree["haidian_enterprise"])
    numbers = id_numbers(2)
    numbers.insert(2, number)
    summary = _commit(roster_csv(numbers, CHAOYANG_ENTERPRISE), chaoyang_officer)
    assert (summary.new, summary.rejected_count) == (2, 1)
    assert Worker.objects.get(name="职工2").unit == tree["haidian_enterprise"]


def test_written_rows_are_recognised_across_batches_in_a_preview_and_a_commit(tree, chaoyang_officer, cleaned,
                                                                               monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    data = roster_csv(id_numbers(7), CHAOYANG_ENTERPRISE)
    _commit(data, chaoyang_officer)
    cleaned.clear()
    for commit in (False, True):
        again = _commit(data, chaoyang_officer, commit=commit)
        assert (again.rows, again.unchanged, again.written, again.rejected_count) == (7, 7, 0, 0)
    assert cleaned == []


def test_new_rows_get_no_comparison_texts_while_none_is_stored(tree, chaoyang_officer, monkeypatch):
    entries = []
    original = bulk.fetch_compared

    def spy(model, key_field, given, *args, **kwargs):
        entries.extend(given)
        return original(model, key_field, given, *args, **kwargs)

    monkeypatch.setattr(bulk, "fetch_compared", spy)
    summary = _commit(roster_csv(id_numbers(3), CHAOYANG_ENTERPRISE), chaoyang_officer, commit=False)
    assert summary.new == 3 and entries == []


def test_a_run_gives_the_collectors_thresholds_back(tree, chaoyang_officer, monkeypatch):
    import gc

    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    monkeypatch.setattr(pipeline, "FULL_PASS_BATCHES", 1)
    before = gc.get_threshold()
    summary = _commit(roster_csv(id_numbers(5), CHAOYANG_ENTERPRISE), chaoyang_officer)
    assert summary.written == 5
    assert gc.get_threshold() == before
