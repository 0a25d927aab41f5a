"""membership's published worker look-ups: one derivation of the stored ID fields, one duplicate
check (tested on the service itself, not only behind the admin form), and the directory other
apps' uploads resolve workers through, whose out-of-scope answer is proven with a worker who is
really registered in another district."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from core.crypto import decrypt_id_number, id_number_digest
from core.identity import make_id_number
from courses.models import TrainingRecord
from membership import services
from membership.directory import WorkerDirectory, worker_id_fields
from membership.models import IdNumberLookup, Worker
from tests.factories import WorkerFactory
from tests.uploads.helpers import roster_csv
from uploads import pipeline
from uploads.kinds import REJECTED, Row

TRAINING_HEADERS = ["身份证号", "姓名", "课程编码", "培训项目名称", "培训类型", "学时", "完成日期", "成绩", "培训机构"]


def training_csv(rows: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TRAINING_HEADERS)
    for number, name in rows:
        writer.writerow([number, name, "", "数控车床操作提升班", "技能培训", "16", "2024-06-30", "合格", ""])
    return buffer.getvalue().encode("utf-8")


def test_worker_id_fields_derive_every_stored_field_from_the_number():
    number = make_id_number("110105", dt.date(1949, 12, 31), 2)
    fields = worker_id_fields(number.lower())
    assert decrypt_id_number(fields["id_number_encrypted"]) == number
    assert fields["id_number_digest"] == id_number_digest(number)
    assert fields["id_number_masked"] == number[:6] + "*" * 8 + number[14:]
    assert (fields["birth_date"], fields["sex"]) == (dt.date(1949, 12, 31), "F")


def test_worker_create_refuses_a_registered_number_without_any_form(tree):
    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    number = decrypt_id_number(worker.id_number_encrypted)
    with pytest.raises(ValidationError) as refused:
        services.worker_create(id_number=number, name="又一个", unit=tree["chaoyang_enterprise"])
    assert list(refused.value.message_dict) == ["id_number"]
    assert Worker.objects.filter(id_number_digest=worker.id_number_digest).count() == 1


def test_worker_create_counts_an_out_of_scope_duplicate_for_the_asking_user(tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    with pytest.raises(ValidationError):
        services.worker_create(id_number=decrypt_id_number(worker.id_number_encrypted), name="又一个",
                               unit=tree["chaoyang_enterprise"], by=chaoyang_officer)
    lookup = IdNumberLookup.objects.get()
    assert (lookup.user, lookup.worker, lookup.answered) == (chaoyang_officer, worker, True)


def test_roster_upload_cannot_register_a_number_twice(tree, chaoyang_officer, haidian_officer):
    number = make_id_number("110105", dt.date(1980, 3, 4), 11)
    haidian_officer.user_permissions.add(Permission.objects.get(codename="add_worker"))
    first = pipeline.run(kind_code="workers", data=roster_csv([number], tree["haidian_enterprise"].code),
                         user=haidian_officer, commit=True)
    assert first.written == 1
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_worker"))
    second = pipeline.run(kind_code="workers", data=roster_csv([number], tree["chaoyang_enterprise"].code),
                          user=chaoyang_officer, commit=True)
    assert (second.new, second.written, second.rejected_count) == (0, 0, 1)
    assert Worker.objects.get(id_number_digest=id_number_digest(number)).unit == tree["haidian_enterprise"]


def test_directory_rejects_a_worker_registered_in_another_district(tree, chaoyang_officer):
    ours = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    theirs = WorkerFactory(unit=tree["haidian_enterprise"], name="李秀英")
    directory = WorkerDirectory(chaoyang_officer)
    rows = []
    for index, worker in enumerate((ours, theirs), start=2):
        row = Row(number=index, values=[])
        row.data.update(digest=directory.key(row, decrypt_id_number(worker.id_number_encrypted)), name=worker.name)
        rows.append(row)
    directory.resolve(rows)
    assert rows[0].data["worker_id"] == ours.pk and rows[0].status != REJECTED
    assert rows[1].status == REJECTED and "worker_id" not in rows[1].data
    assert [column for column, _reason in rows[1].errors] == ["身份证号"]


def test_training_upload_rejects_another_districts_registered_worker_like_an_unknown_number(
        tree, chaoyang_officer):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    ours = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    theirs = WorkerFactory(unit=tree["haidian_enterprise"], name="李秀英")
    unknown = make_id_number("110105", dt.date(1975, 5, 5), 21)
    data = training_csv([(decrypt_id_number(ours.id_number_encrypted), ours.name),
                         (decrypt_id_number(theirs.id_number_encrypted), theirs.name),
                         (unknown, "张三")])
    result = pipeline.run(kind_code="training", data=data, user=chaoyang_officer, commit=True)
    assert (result.written, result.rejected_count) == (1, 2)
    reasons = {entry["row"]: (entry["column"], entry["reason"]) for entry in pipeline.flatten_errors(result.rejected)}
    # MEM-4: the same answer for "registered elsewhere" and "registered nowhere", naming no unit.
    assert reasons[3] == reasons[4] and reasons[3][0] == "身份证号"
    assert tree["haidian_enterprise"].name not in reasons[3][1] and "海淀" not in reasons[3][1]
    assert list(TrainingRecord.objects.values_list("worker_id", flat=True)) == [ours.pk]
    assert not IdNumberLookup.objects.exists()
