"""Issue 13 (UPL-2): a commit's batches are written by a second thread on the commit's connection
while the next batch is cleaned. It stays one transaction with one audit context: every batch's
rows carry the upload in the trail, a failure in any batch writes nothing, and rejected rows keep
the file's order."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from audit.models import WorkerEvent
from membership.models import Worker
from membership.upload_kinds import WorkerKind
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.uploads.helpers import id_numbers, roster_csv
from uploads import pipeline, services
from uploads.models import Upload


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 3)


@pytest.fixture
def uploader(chaoyang_officer):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_worker"))
    return chaoyang_officer


def test_every_batch_written_by_the_writer_carries_the_upload_in_the_trail(tree, uploader, small_batches):
    upload = services.upload_receive(user=uploader, kind_code="workers", file_name="花名册.csv",
                                     data=roster_csv(id_numbers(10), CHAOYANG_ENTERPRISE))
    upload = services.upload_start(upload=upload, commit=True, in_background=False)
    assert upload.status == Upload.Status.COMMITTED, upload.message
    assert upload.written == 10 and Worker.objects.count() == 10
    events = list(WorkerEvent.objects.all())
    assert len(events) == 10
    assert {(event.pgh_label, event.pgh_context["upload"], event.pgh_context["user"]) for event in events} == {
        ("insert", upload.pk, uploader.pk)}


def test_a_failure_writing_a_later_batch_writes_nothing(tree, uploader, small_batches, monkeypatch):
    written = []
    original = WorkerKind.write

    def write_then_fail(self, rows):
        if written:
            raise RuntimeError("the disk is full")
        written.append(len(rows))
        return original(self, rows)

    monkeypatch.setattr(WorkerKind, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        pipeline.run(kind_code="workers", data=roster_csv(id_numbers(10), CHAOYANG_ENTERPRISE), user=uploader,
                     commit=True)
    assert written == [3]  # the first batch was written, then undone with the rest
    assert not Worker.objects.exists() and not WorkerEvent.objects.exists()


def test_rejected_rows_keep_the_files_order_across_batches(tree, uploader, small_batches):
    numbers = id_numbers(10)
    for index in (1, 4, 8):
        numbers[index] = numbers[index][:17] + ("0" if numbers[index][17] != "0" else "1")  # a wrong check character
    summary = pipeline.run(kind_code="workers", data=roster_csv(numbers, CHAOYANG_ENTERPRISE), user=uploader,
                           commit=True)
    assert summary.written == 7 and Worker.objects.count() == 7
    assert [entry["row"] for entry in summary.rejected] == [3, 6, 10]


def test_rows_rejected_by_the_classification_in_the_writers_thread_keep_the_files_order(
        tree, uploader, small_batches, settings):
    # The classification runs in the writer's thread: its reasons are still worded in the
    # uploader's language, and recorded between the batches' own rejected rows in file order.
    settings.LANGUAGE_CODE = "en"
    numbers = id_numbers(8)
    pipeline.run(kind_code="workers", data=roster_csv(numbers[:4], CHAOYANG_ENTERPRISE), user=uploader, commit=True)
    numbers[5] = numbers[5][:17] + ("0" if numbers[5][17] != "0" else "1")  # row 7: a wrong check character
    data = roster_csv(numbers, CHAOYANG_ENTERPRISE).decode().replace("职工1,", "李四,").encode()  # row 3: not the registry's name
    from django.utils import translation

    with translation.override("zh-hans"):
        summary = pipeline.run(kind_code="workers", data=data, user=uploader, commit=True)
    assert [(entry["row"], entry["errors"][0][0]) for entry in summary.rejected] == [(3, "姓名"), (7, "身份证号")]
    assert "姓名" in summary.rejected[0]["errors"][0][1]  # 与身份证号登记的姓名不一致 (not the English msgid)
    assert (summary.new, summary.unchanged, summary.written) == (3, 3, 3)


def test_rows_rejected_in_one_batch_by_the_checks_and_by_the_classification_keep_the_files_order(
        tree, uploader, small_batches):
    # Rows 2-4 are one batch: row 3 is refused by the classification (not the registry's name),
    # row 4 by the row's own checks (a wrong check character), which ran first.
    numbers = id_numbers(6)
    pipeline.run(kind_code="workers", data=roster_csv(numbers[:2], CHAOYANG_ENTERPRISE), user=uploader, commit=True)
    numbers[2] = numbers[2][:17] + ("0" if numbers[2][17] != "0" else "1")
    data = roster_csv(numbers, CHAOYANG_ENTERPRISE).decode().replace("职工1,", "李四,").encode()
    for commit in (False, True):
        summary = pipeline.run(kind_code="workers", data=data, user=uploader, commit=commit)
        assert [(entry["row"], entry["errors"][0][0]) for entry in summary.rejected] == [(3, "姓名"), (4, "身份证号")]
        assert (summary.new, summary.unchanged) == (3, 1)
