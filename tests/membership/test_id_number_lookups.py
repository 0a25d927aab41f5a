"""MEM-4 item 4: "is this ID number registered anywhere in the city?" is answered by adding or
uploading a worker. The answer names no unit, answers about numbers outside the asker's units are
limited per user and day and recorded, and over the limit nothing is answered either way."""
from __future__ import annotations

import pytest
from django.urls import reverse

from membership.models import IdNumberLookup, Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory, id_number_new
from uploads import pipeline
from uploads import services as upload_services
from uploads.models import Upload

HEADER = "姓名,身份证号,单位代码,岗位,一线职工,农民工,困难职工,文化程度,手机号码,入会日期"


def over_limit(text: str) -> bool:
    """The over-the-allowance reason, in whatever language the catalogue gives it."""
    from django.utils import translation

    from membership.services import id_number_lookup_limit_message

    with translation.override("zh-hans"):
        return id_number_lookup_limit_message() in text


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 2


def roster(rows) -> bytes:
    lines = [HEADER, *(f"{name},{number},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,," for name, number in rows)]
    return "\n".join(lines).encode()


def reasons_by_row(summary) -> dict[int, str]:
    return {error["row"]: error["errors"][0][1] for error in summary.rejected}


def test_answers_about_other_districts_workers_are_limited_recorded_and_name_no_unit(tree, chaoyang_officer):
    elsewhere = [WorkerFactory(unit=tree["haidian_enterprise"], id_number=id_number_new("110108")) for _ in range(3)]
    numbers = [("张一", id_number_new()), *((f"王{i}", _number(w)) for i, w in enumerate(elsewhere)), ("张二", id_number_new())]
    summary = pipeline.run(kind_code="workers", data=roster(numbers), user=chaoyang_officer, commit=False)
    reasons = reasons_by_row(summary)
    # Row 2 is new; rows 3 and 4 are answered "registered elsewhere", without naming the unit.
    assert summary.new == 1 and 2 not in reasons
    for row in (3, 4):
        assert "管辖范围以外" in reasons[row] and "海淀" not in reasons[row]
    # Row 5 is over the allowance, and so is row 6: "new" would tell it is registered nowhere.
    assert over_limit(reasons[5]) and "管辖范围以外" not in reasons[5]
    assert over_limit(reasons[6])
    lookups = list(IdNumberLookup.objects.order_by("pk").values_list("user", "source", "id_number_masked", "worker", "answered"))
    assert lookups == [
        (chaoyang_officer.pk, "upload", elsewhere[0].id_number_masked, elsewhere[0].pk, True),
        (chaoyang_officer.pk, "upload", elsewhere[1].id_number_masked, elsewhere[1].pk, True),
        (chaoyang_officer.pk, "upload", elsewhere[2].id_number_masked, elsewhere[2].pk, False),
    ]


def _number(worker) -> str:
    from core.crypto import decrypt_id_number

    return decrypt_id_number(worker.id_number_encrypted)


def test_a_roster_of_ones_own_workers_is_never_throttled(tree, chaoyang_officer, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 0
    own = [WorkerFactory(unit=tree["chaoyang_enterprise"], name=f"职工{i}") for i in range(40)]
    summary = pipeline.run(kind_code="workers", data=roster((w.name, _number(w)) for w in own),
                           user=chaoyang_officer, commit=True)
    assert summary.rejected_count == 0 and summary.updated == 40
    assert not IdNumberLookup.objects.exists()


def test_asking_again_about_the_same_number_the_same_day_costs_nothing(tree, chaoyang_officer):
    elsewhere = WorkerFactory(unit=tree["haidian_enterprise"])
    data = roster([("王五", _number(elsewhere))])
    for _ in range(5):
        summary = pipeline.run(kind_code="workers", data=data, user=chaoyang_officer, commit=False)
        assert "管辖范围以外" in reasons_by_row(summary)[2]
    assert IdNumberLookup.objects.filter(answered=True).count() == 5


def test_the_commit_of_a_previewed_upload_withholds_what_its_preview_withheld(tree, chaoyang_officer, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 1
    first, second = (WorkerFactory(unit=tree["haidian_enterprise"]) for _ in range(2))
    data = roster([("张一", id_number_new()), ("王一", _number(first)), ("王二", _number(second)), ("张二", id_number_new())])
    upload = upload_services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=data)
    assert upload.status == Upload.Status.PREVIEWED and upload.new == 1 and upload.rejected == 3
    upload = upload_services.upload_start(upload=upload, commit=True, in_background=False)
    assert upload.status == Upload.Status.COMMITTED and upload.written == 1 and upload.rejected == 3
    assert list(Worker.objects.filter(unit=tree["chaoyang_enterprise"]).values_list("name", flat=True)) == ["张一"]


def _add_worker(client, tree, number):
    return client.post(reverse("admin:membership_worker_add"), {
        "id_number": number, "name": "赵六", "unit": tree["chaoyang_enterprise"].pk, "post": "",
        "education": "", "phone": "", "joined_union_on": "",
        "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0",
    })


def test_adding_a_worker_answers_within_the_allowance_and_then_not_at_all(client, tree, chaoyang_officer, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 2
    own = WorkerFactory(unit=tree["chaoyang_enterprise"])
    first, second = (WorkerFactory(unit=tree["haidian_enterprise"]) for _ in range(2))
    client.force_login(chaoyang_officer)

    def error(number):
        response = _add_worker(client, tree, number)
        assert response.status_code == 200  # the form again, nothing added
        return " ".join(response.context["adminform"].form.errors.get("id_number", []))

    # One's own worker's number is counted too: "already registered" confirms a guess at it.
    assert "已登记" in error(_number(own)) and IdNumberLookup.objects.count() == 1
    assert "已登记" in error(_number(first)) and "海淀" not in error(_number(first))
    assert over_limit(error(_number(second)))
    # Over the allowance an unregistered number is not let through either (that would answer it).
    assert over_limit(error(id_number_new()))
    assert "已登记" in error(_number(own))
    assert Worker.objects.filter(name="赵六").count() == 0
    assert list(IdNumberLookup.objects.order_by("pk").values_list("source", "worker", "answered")) == [
        ("worker_form", own.pk, True), ("worker_form", first.pk, True), ("worker_form", first.pk, True),
        ("worker_form", second.pk, False), ("worker_form", own.pk, True),  # the same number again is free
    ]


def test_lookups_are_visible_to_municipal_staff_within_scope(client, tree, chaoyang_officer, municipal):
    elsewhere = WorkerFactory(unit=tree["haidian_enterprise"])
    pipeline.run(kind_code="workers", data=roster([("王五", _number(elsewhere))]), user=chaoyang_officer, commit=False)
    client.force_login(municipal)
    page = client.get(reverse("admin:membership_idnumberlookup_changelist"))
    assert page.status_code == 200 and elsewhere.id_number_masked in page.content.decode()
    client.force_login(chaoyang_officer)
    assert client.get(reverse("admin:membership_idnumberlookup_changelist")).status_code == 403


def test_the_allowance_is_shared_by_every_process(tree, chaoyang_officer, settings):
    """Web workers and Celery workers are separate processes: the counter lives in Redis."""
    import os
    import subprocess
    import sys

    from membership import services

    settings.ID_NUMBER_LOOKUPS_PER_DAY = 2
    script = (
        "import django; django.setup()\n"
        "from types import SimpleNamespace\n"
        "from membership.services import id_number_lookup_count as count\n"
        f"user = SimpleNamespace(pk={chaoyang_officer.pk})\n"
        "print(count(user=user, digest='a' * 64), count(user=user, digest='b' * 64), count(user=user, digest='c' * 64))\n"
    )
    env = {**os.environ, "ID_NUMBER_LOOKUPS_PER_DAY": "2"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True", "False"], result.stderr[-2000:]
    assert services.id_number_lookups_exhausted(user=chaoyang_officer)
    assert services.id_number_lookup_count(user=chaoyang_officer, digest="a" * 64)  # answered there: free here
    assert not services.id_number_lookup_count(user=chaoyang_officer, digest="d" * 64)


def test_a_commit_whose_preview_record_was_lost_asks_afresh(tree, chaoyang_officer, settings):
    from django.core.cache import cache

    settings.ID_NUMBER_LOOKUPS_PER_DAY = 1
    first, second = (WorkerFactory(unit=tree["haidian_enterprise"]) for _ in range(2))
    data = roster([("张一", id_number_new()), ("王一", _number(first)), ("王二", _number(second))])
    upload = upload_services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=data)
    assert upload.new == 1
    cache.delete(f"upload-withheld-from:{upload.pk}")  # e.g. Redis restarted between preview and commit
    upload = upload_services.upload_start(upload=upload, commit=True, in_background=False)
    # The allowance is spent: asked afresh, not even the new row is answered (written).
    assert upload.status == Upload.Status.COMMITTED and upload.written == 0
    assert not Worker.objects.filter(unit=tree["chaoyang_enterprise"]).exists()
