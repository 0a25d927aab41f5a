"""Every write of a fact goes through its service: the admin's forms, its editable list columns,
its inlines and the training upload call the services (spied on here, still running for real)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.crypto import decrypt_id_number
from courses import services
from courses.models import ActivityRegistration, Enrolment, TrainingRecord
from tests.factories import IN_UNIT, WorkerFactory
from tests.membership.test_worker_directory import training_csv
from uploads import pipeline


@pytest.fixture
def calls(monkeypatch):
    """The names of the course services called, each still doing its work."""
    called = []

    def spy(name):
        real = getattr(services, name)

        def wrapper(**kwargs):
            called.append(name)
            return real(**kwargs)
        monkeypatch.setattr(services, name, wrapper)

    for name in ("training_record_create", "training_record_update", "training_records_write", "enrolment_update",
                 "activity_registration_update"):
        spy(name)
    return called


def test_training_record_create_validates_and_writes(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    record = services.training_record_create(worker=worker, project="焊接", kind="skills", hours=Decimal("8.5"),
                                             completed_on=dt.date(2025, 3, 1))
    assert TrainingRecord.objects.get() == record
    with pytest.raises(ValidationError):
        services.training_record_create(worker=worker, project="焊接", kind="no-such-kind", hours=Decimal(1),
                                        completed_on=dt.date(2025, 3, 2))
    assert TrainingRecord.objects.count() == 1


def test_admin_adds_and_changes_training_records_through_the_services(client, tree, chaoyang_all_permissions, calls):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_all_permissions)
    fields = {"worker": worker.pk, "project": "数控车床", "kind": "skills", "hours": "16", "completed_on": "2025-06-30",
              "result": "合格", "institution": ""}
    response = client.post(reverse("admin:courses_trainingrecord_add"), fields)
    assert response.status_code == 302 and calls == ["training_record_create"]
    record = TrainingRecord.objects.get()
    response = client.post(reverse("admin:courses_trainingrecord_change", args=[record.pk]), {**fields, "hours": "20"})
    assert response.status_code == 302 and calls[-1] == "training_record_update"
    record.refresh_from_db()
    assert record.hours == Decimal(20)


def test_training_upload_writes_through_the_bulk_service(tree, chaoyang_officer, calls):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    result = pipeline.run(kind_code="training", data=training_csv([(decrypt_id_number(worker.id_number_encrypted), "王建国")]),
                          user=chaoyang_officer, commit=True)
    assert result.written == 1 and calls == ["training_records_write"]
    assert TrainingRecord.objects.get().worker == worker


def _editable_list_post(client, url, obj, **values):
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "form-0-id": str(obj.pk), "_save": "Save"}
    data.update({f"form-0-{name}": value for name, value in values.items()})
    return client.post(url, data)


def test_editable_enrolment_columns_save_through_the_service(client, tree, chaoyang_all_permissions, calls):
    enrolment = IN_UNIT[Enrolment](tree["chaoyang_enterprise"])
    client.force_login(chaoyang_all_permissions)
    response = _editable_list_post(client, reverse("admin:courses_enrolment_changelist"), enrolment,
                                   attended_hours="12.5", score="88")
    assert response.status_code == 302 and calls == ["enrolment_update"]
    enrolment.refresh_from_db()
    assert (enrolment.attended_hours, enrolment.score) == (Decimal("12.5"), Decimal(88))


def test_editable_registration_columns_save_through_the_service(client, tree, chaoyang_all_permissions, calls):
    registration = IN_UNIT[ActivityRegistration](tree["chaoyang_enterprise"])
    client.force_login(chaoyang_all_permissions)
    response = _editable_list_post(client, reverse("admin:courses_activityregistration_changelist"), registration,
                                   status=registration.status, result="一等奖")
    assert response.status_code == 302 and calls == ["activity_registration_update"]
    registration.refresh_from_db()
    assert registration.result == "一等奖"


def test_registration_inline_of_an_activity_saves_through_the_service(client, tree, chaoyang_all_permissions, calls):
    registration = IN_UNIT[ActivityRegistration](tree["chaoyang_enterprise"])
    client.force_login(chaoyang_all_permissions)
    url = reverse("admin:courses_activity_change", args=[registration.activity_id])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, (list, tuple)):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-id": str(registration.pk),
                     f"{prefix}-0-activity": str(registration.activity_id),
                     f"{prefix}-0-status": registration.status, f"{prefix}-0-result": "优秀奖"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert calls == ["activity_registration_update"]
    registration.refresh_from_db()
    assert registration.result == "优秀奖"
