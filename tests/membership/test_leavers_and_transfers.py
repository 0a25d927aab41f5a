"""Issue 8, MEM-3: leavers (离会) and transfers between districts with effective dates."""
from __future__ import annotations

import csv
import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from membership import selectors, services
from membership.models import Worker, WorkerTransfer
from tests.conftest import CHAOYANG_ENTERPRISE, HAIDIAN_ENTERPRISE
from tests.factories import WorkerFactory, id_number_new
from uploads import pipeline

HEADERS = ["姓名", "身份证号", "单位代码"]


def roster(headers, *rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(user, data, commit=True):
    return pipeline.run(kind_code="workers", data=data, user=user, commit=commit)


@pytest.fixture
def worker(tree):
    number = id_number_new()
    return WorkerFactory(id_number=number, name="张三", unit=tree["chaoyang_enterprise"]), number


# Leavers -------------------------------------------------------------------------------------

def test_the_roster_records_a_leaving_date_and_reason(worker, chaoyang_officer):
    person, number = worker
    summary = upload(chaoyang_officer, roster([*HEADERS, "离会日期", "离会原因"],
                                              ["张三", number, CHAOYANG_ENTERPRISE, "2025-06-30", "退休"]))
    assert (summary.updated, summary.rejected_count) == (1, 0)
    person.refresh_from_db()
    assert (person.left_on, person.leaving_reason) == (dt.date(2025, 6, 30), Worker.LeavingReason.RETIRED)


def test_a_leaving_date_without_a_reason_is_a_row_error(worker, chaoyang_officer):
    person, number = worker
    summary = upload(chaoyang_officer, roster([*HEADERS, "离会日期"], ["张三", number, CHAOYANG_ENTERPRISE, "2025-06-30"]))
    assert (summary.updated, summary.written) == (0, 0)
    assert [error["errors"][0][0] for error in summary.rejected] == ["离会原因"]
    person.refresh_from_db()
    assert person.left_on is None


def test_a_blank_leaving_date_keeps_the_stored_one(worker, chaoyang_officer):
    person, number = worker
    Worker.objects.filter(pk=person.pk).update(left_on=dt.date(2024, 1, 31), leaving_reason="resigned")
    summary = upload(chaoyang_officer, roster([*HEADERS, "离会日期", "离会原因"], ["张三", number, CHAOYANG_ENTERPRISE, "", ""]))
    assert (summary.unchanged, summary.rejected_count) == (1, 0)
    person.refresh_from_db()
    assert (person.left_on, person.leaving_reason) == (dt.date(2024, 1, 31), "resigned")


def test_leavers_drop_out_of_current_lists_and_counts_but_keep_their_record(client, tree, chaoyang_officer):
    staying = WorkerFactory(name="在册职工乙", unit=tree["chaoyang_enterprise"])
    leaving = WorkerFactory(name="退休职工甲", unit=tree["chaoyang_enterprise"], left_on=dt.date(2024, 12, 31),
                            leaving_reason="retired")
    later = WorkerFactory(name="将离会职工", unit=tree["chaoyang_enterprise"],
                          left_on=timezone.localdate() + dt.timedelta(days=30), leaving_reason="resigned")
    assert set(Worker.objects.current().values_list("name", flat=True)) == {"在册职工乙", "将离会职工"}
    assert list(Worker.objects.leavers().values_list("name", flat=True)) == ["退休职工甲"]
    assert set(Worker.objects.on_roll(dt.date(2024, 12, 30)).values_list("pk", flat=True)) == {
        staying.pk, leaving.pk, later.pk}
    assert set(Worker.objects.on_roll(dt.date(2024, 12, 31)).values_list("pk", flat=True)) == {staying.pk, later.pk}
    client.force_login(chaoyang_officer)
    changelist = reverse("admin:membership_worker_changelist")
    page = client.get(changelist).content.decode()
    assert "在册职工乙" in page and "将离会职工" in page and "退休职工甲</a>" not in page
    left_page = client.get(changelist, {"roll": "left"}).content.decode()
    assert "退休职工甲" in left_page and "在册职工乙" not in left_page
    assert client.get(reverse("admin:membership_worker_change", args=[leaving.pk])).status_code == 200


def test_the_admin_form_refuses_a_leaving_date_without_a_reason(client, worker, chaoyang_officer):
    person, _number = worker
    client.force_login(chaoyang_officer)
    url = reverse("admin:membership_worker_change", args=[person.pk])
    response = client.post(url, {"name": "张三", "unit": person.unit_id, "left_on": "2025-01-31", "leaving_reason": "",
                                 "transfers-TOTAL_FORMS": 0, "transfers-INITIAL_FORMS": 0})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.left_on is None


# Transfers between districts -------------------------------------------------------------------

def test_a_district_cannot_take_in_a_worker_their_unit_has_not_released(worker, haidian_officer):
    person, number = worker
    summary = upload(haidian_officer, roster(HEADERS, ["张三", number, HAIDIAN_ENTERPRISE]))
    assert (summary.updated, summary.written) == (0, 0)
    person.refresh_from_db()
    assert person.unit.code == CHAOYANG_ENTERPRISE
    assert not WorkerTransfer.objects.exists()


def test_released_worker_is_taken_in_by_upload_as_one_history_row(worker, tree, chaoyang_officer, haidian_officer):
    person, number = worker
    release = services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=chaoyang_officer)
    person.refresh_from_db()
    assert person.unit == tree["chaoyang_enterprise"]  # still theirs until taken in
    summary = upload(haidian_officer, roster(HEADERS, ["张三", number, HAIDIAN_ENTERPRISE]))
    assert (summary.updated, summary.written, summary.rejected_count) == (1, 1, 0)
    person.refresh_from_db()
    assert person.unit == tree["haidian_enterprise"]
    [transfer] = WorkerTransfer.objects.filter(worker=person)
    assert transfer.pk == release.pk
    assert (transfer.from_unit, transfer.to_unit, transfer.released_on, transfer.effective_on,
            transfer.released_by, transfer.moved_by) == (
        tree["chaoyang_enterprise"], tree["haidian_enterprise"], dt.date(2025, 3, 1), dt.date(2025, 3, 1),
        chaoyang_officer, haidian_officer)


def test_the_transfer_date_column_gives_the_effective_date(worker, tree, chaoyang_officer, haidian_officer):
    person, number = worker
    services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=chaoyang_officer)
    upload(haidian_officer, roster([*HEADERS, "调动日期"], ["张三", number, HAIDIAN_ENTERPRISE, "2025/4/1"]))
    assert WorkerTransfer.objects.get(worker=person).effective_on == dt.date(2025, 4, 1)


def test_a_transfer_date_before_the_release_is_a_row_error(worker, chaoyang_officer, haidian_officer):
    person, number = worker
    services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=chaoyang_officer)
    summary = upload(haidian_officer, roster([*HEADERS, "调动日期"], ["张三", number, HAIDIAN_ENTERPRISE, "2025-02-01"]))
    assert (summary.written, [error["errors"][0][0] for error in summary.rejected]) == (0, ["调动日期"])
    person.refresh_from_db()
    assert person.unit.code == CHAOYANG_ENTERPRISE


def test_a_move_inside_the_district_defaults_to_the_upload_date(worker, tree, chaoyang_officer):
    from tests.factories import unit_create

    person, number = worker
    other = unit_create(tree["chaoyang"])
    upload(chaoyang_officer, roster(HEADERS, ["张三", number, other.code]))
    transfer = WorkerTransfer.objects.get(worker=person)
    assert (transfer.to_unit, transfer.effective_on, transfer.released_on) == (other, timezone.localdate(), None)


def test_an_officer_takes_in_a_released_worker_in_the_admin(client, worker, tree, chaoyang_officer, haidian_officer):
    person, number = worker
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_worker_release", args=[person.pk]), {"released_on": "2025-05-01"})
    assert response.status_code == 302
    client.force_login(haidian_officer)
    response = client.post(reverse("admin:membership_worker_take_in"), {
        "id_number": number, "name": "张三", "unit": tree["haidian_enterprise"].pk, "effective_on": "2025-05-10"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == tree["haidian_enterprise"]
    transfer = WorkerTransfer.objects.get(worker=person)
    assert (transfer.released_on, transfer.effective_on, transfer.to_unit) == (
        dt.date(2025, 5, 1), dt.date(2025, 5, 10), tree["haidian_enterprise"])


def test_the_take_in_needs_the_registered_name_and_a_release(worker, tree, chaoyang_officer, haidian_officer):
    person, number = worker
    with pytest.raises(ValidationError):
        services.worker_take_in(id_number=number, name="张三", unit=tree["haidian_enterprise"], effective_on=None,
                                by=haidian_officer)
    services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=chaoyang_officer)
    with pytest.raises(ValidationError):
        services.worker_take_in(id_number=number, name="李四", unit=tree["haidian_enterprise"], effective_on=None,
                                by=haidian_officer)
    with pytest.raises(PermissionDenied):  # into a unit outside the officer's own
        services.worker_take_in(id_number=number, name="张三", unit=tree["chaoyang"], effective_on=None,
                                by=haidian_officer)
    person.refresh_from_db()
    assert person.unit == tree["chaoyang_enterprise"]
    assert WorkerTransfer.objects.get(worker=person).to_unit is None


def test_only_the_workers_own_unit_releases_them(worker, haidian_officer):
    person, _number = worker
    with pytest.raises(PermissionDenied):
        services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=haidian_officer)
    assert not WorkerTransfer.objects.exists()


def test_the_releasing_unit_sees_the_transfer_and_the_receiving_unit_owns_it(worker, tree, chaoyang_officer,
                                                                              haidian_officer):
    from membership import scoping

    person, number = worker
    services.worker_release(worker=person, released_on=dt.date(2025, 3, 1), by=chaoyang_officer)
    assert scoping.visible_to(WorkerTransfer.objects.all(), chaoyang_officer).count() == 1
    assert scoping.visible_to(WorkerTransfer.objects.all(), haidian_officer).count() == 0
    services.worker_take_in(id_number=number, name="张三", unit=tree["haidian_enterprise"], effective_on=None,
                            by=haidian_officer)
    assert scoping.visible_to(WorkerTransfer.objects.all(), chaoyang_officer).count() == 1
    assert scoping.changeable_by(WorkerTransfer.objects.all(), chaoyang_officer).count() == 0
    assert scoping.changeable_by(WorkerTransfer.objects.all(), haidian_officer).count() == 1


# The unit on a past date -----------------------------------------------------------------------

def _moved_twice(tree, chaoyang_officer, haidian_officer):
    from tests.factories import unit_create

    number = id_number_new()
    person = WorkerFactory(id_number=number, name="张三", unit=tree["chaoyang_enterprise"])
    services.worker_release(worker=person, released_on=dt.date(2024, 6, 1), by=chaoyang_officer)
    services.worker_take_in(id_number=number, name="张三", unit=tree["haidian_enterprise"],
                            effective_on=dt.date(2024, 7, 1), by=haidian_officer)
    third = unit_create(tree["haidian"])
    person.refresh_from_db()
    services.worker_update(worker=person, unit=third, effective_on=dt.date(2025, 2, 1), by=haidian_officer)
    stayed = WorkerFactory(name="未调动", unit=tree["chaoyang_enterprise"])
    return person, stayed, third


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2023, 12, 31), "chaoyang_enterprise"),
    (dt.date(2024, 6, 30), "chaoyang_enterprise"),
    (dt.date(2024, 7, 1), "haidian_enterprise"),
    (dt.date(2024, 12, 31), "haidian_enterprise"),
    (dt.date(2025, 12, 31), "third"),
])
def test_the_unit_a_worker_belonged_to_on_a_date(tree, chaoyang_officer, haidian_officer, day, expected):
    person, stayed, third = _moved_twice(tree, chaoyang_officer, haidian_officer)
    units = {**tree, "third": third}
    by_orm = dict(selectors.worker_units_on(day).values_list("pk", "unit_on_id"))
    assert by_orm == {person.pk: units[expected].pk, stayed.pk: tree["chaoyang_enterprise"].pk}
    with connection.cursor() as cursor:
        cursor.execute(selectors.unit_on_sql(), [day])
        assert dict(cursor.fetchall()) == by_orm


def test_a_transfer_cannot_take_effect_before_the_last_one(tree, chaoyang_officer, haidian_officer):
    person, _stayed, third = _moved_twice(tree, chaoyang_officer, haidian_officer)
    with pytest.raises(ValidationError):
        services.worker_update(worker=person, unit=tree["haidian_enterprise"], effective_on=dt.date(2025, 1, 1),
                               by=haidian_officer)
    person.refresh_from_db()
    assert person.unit == third
    assert WorkerTransfer.objects.filter(worker=person).count() == 2


def test_existing_transfers_are_backfilled_from_their_recorded_time(tree):
    migration = importlib.import_module("membership.migrations.0010_leavers_and_transfer_steps")
    person = WorkerFactory(unit=tree["chaoyang_enterprise"])
    transfer = WorkerTransfer.objects.create(worker=person, from_unit=tree["chaoyang"], to_unit=tree["chaoyang_enterprise"],
                                             effective_on=dt.date(2000, 1, 1))
    # 20:30 UTC on 31 March is 04:30 on 1 April in Beijing: the day is the portal's local day.
    recorded = dt.datetime(2024, 3, 31, 20, 30, tzinfo=dt.timezone.utc)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute('ALTER TABLE membership_workertransfer DROP CONSTRAINT "transfer_effective_date_when_moved"')
    WorkerTransfer.objects.filter(pk=transfer.pk).update(moved_at=recorded, effective_on=None)
    migration.backfill_effective_dates(apps, None)
    transfer.refresh_from_db()
    assert transfer.effective_on == dt.date(2024, 4, 1)
