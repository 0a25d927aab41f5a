"""MEM-2 (issue 7): every fact of a worker stores the unit the worker belonged to when it happened,
whichever door wrote it: the services, the training upload and the admin."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.crypto import decrypt_id_number
from courses import courseware_progress, services
from courses.models import ActivityRegistration, CreditConversion, TrainingRecord
from tests.factories import (
    WorkerFactory,
    activity_create,
    class_create,
    course_create,
    courseware_create,
    worker_transfer,
)
from uploads import pipeline

HEADER = "身份证号,姓名,课程编码,培训项目名称,培训类型,学时,完成日期,成绩,培训机构"


def test_enrolment_registration_and_progress_store_the_workers_unit(tree):
    from membership.models import Unit

    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    worker = WorkerFactory(unit=Unit.objects.get(pk=tree["chaoyang_enterprise"].pk))
    haidian_class = class_create(course_create(tree["haidian"]))
    enrolment = services.enrolment_create(worker=worker, course_class=haidian_class)
    registration = services.activity_register(worker=worker, activity=activity_create(tree["haidian"]))
    progress = courseware_progress.courseware_progress_report(
        worker=worker, courseware=courseware_create(course_create(tree["root"])), seconds=30)
    assert {enrolment.unit, registration.unit, progress.unit} == {tree["chaoyang_enterprise"]}


def test_registering_again_after_a_transfer_belongs_to_the_new_unit(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    activity = activity_create(tree["root"])
    registration = services.activity_register(worker=worker, activity=activity)
    ActivityRegistration.objects.filter(pk=registration.pk).update(status=ActivityRegistration.Status.CANCELLED)
    worker = worker_transfer(worker, tree["haidian_enterprise"])
    again = services.activity_register(worker=worker, activity=activity)
    again.refresh_from_db()
    assert again.pk == registration.pk
    assert (again.status, again.unit) == (ActivityRegistration.Status.REGISTERED, tree["haidian_enterprise"])


def _training_file(worker, hours: int) -> bytes:
    number = decrypt_id_number(worker.id_number_encrypted)
    return "\n".join([HEADER, f"{number},{worker.name},,数控车床操作提升班,技能培训,{hours},2024-06-10,合格,"]).encode()


def _uploader(unit, name):
    from tests.factories import UserFactory

    user = UserFactory(username=name, unit=unit)
    user.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    return user


def test_uploaded_training_stores_the_unit_and_the_new_unit_cannot_change_it_after_a_transfer(tree):
    chaoyang, haidian = _uploader(tree["chaoyang"], "cy-up"), _uploader(tree["haidian"], "hd-up")
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert pipeline.run(kind_code="training", data=_training_file(worker, 8), user=chaoyang, commit=True).written == 1
    record = TrainingRecord.objects.get()
    assert record.unit == tree["chaoyang_enterprise"]

    worker_transfer(worker, tree["haidian_enterprise"])
    refused = pipeline.run(kind_code="training", data=_training_file(worker, 16), user=haidian, commit=True)
    assert (refused.written, refused.rejected_count) == (0, 1)
    assert [error["column"] for error in pipeline.flatten_errors(refused.rejected)] == ["培训项目名称"]
    record.refresh_from_db()
    assert record.hours == Decimal(8)

    # The old unit uploads only for its present workers; it corrects the record in the admin.
    assert pipeline.run(kind_code="training", data=_training_file(worker, 16), user=chaoyang, commit=True).written == 0
    record.refresh_from_db()
    assert (record.hours, record.unit) == (Decimal(8), tree["chaoyang_enterprise"])


@pytest.mark.parametrize("model_name", ["trainingrecord", "creditconversion"])
def test_a_fact_added_in_the_admin_stores_its_workers_unit(client, tree, chaoyang_all_permissions, model_name):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    if model_name == "creditconversion":  # a conversion spends credits the worker has earned
        from courses import services

        services.training_record_create(worker=worker, project="焊工培训", kind="skills", hours=Decimal(40),
                                        completed_on=dt.date(2024, 5, 1))
    fields = {
        "trainingrecord": {"project": "焊工复训", "kind": "skills", "hours": "8", "completed_on": "2024-06-10"},
        "creditconversion": {"institution": "北京开放大学", "programme": "机械制造", "credits": "3",
                             "converted_on": "2024-06-10"},
    }[model_name]
    client.force_login(chaoyang_all_permissions)
    response = client.post(reverse(f"admin:courses_{model_name}_add"), {"worker": worker.pk, **fields})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    model = {"trainingrecord": TrainingRecord, "creditconversion": CreditConversion}[model_name]
    assert model.objects.get(worker=worker).unit == tree["chaoyang_enterprise"]


def test_changing_the_worker_of_a_training_record_in_the_admin_moves_it_to_their_unit(client, tree, municipal):
    municipal.user_permissions.set(Permission.objects.filter(codename__endswith="trainingrecord"))
    first = WorkerFactory(unit=tree["chaoyang_enterprise"])
    second = WorkerFactory(unit=tree["haidian_enterprise"])
    record = TrainingRecord.objects.create(worker=first, unit=first.unit, project="焊工复训", kind="skills",
                                           hours=Decimal(8), completed_on=dt.date(2024, 6, 10))
    client.force_login(municipal)
    response = client.post(reverse("admin:courses_trainingrecord_change", args=[record.pk]), {
        "worker": second.pk, "project": "焊工复训", "kind": "skills", "hours": "8", "completed_on": "2024-06-10"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.worker, record.unit) == (second, tree["haidian_enterprise"])
