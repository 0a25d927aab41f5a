"""MEM-4: the mask and a birth band leave about 166 candidates for a worker's full number. An officer
without the reveal permission must not find the right one by asking the registry about each: not
through the add-worker form, not through a roster upload."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from core.identity import id_number_check_character
from membership.models import IdNumberLookup, Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory
from uploads import services as upload_services

NUMBER = "11010519491231002X"
HEADER = "姓名,身份证号,单位代码,岗位,一线职工,农民工,困难职工,文化程度,手机号码,入会日期"


def candidates() -> list[str]:
    """Every valid number of 1949 that the mask 110105********002X allows."""
    found, day = [], dt.date(1949, 1, 1)
    while day.year == 1949:
        first17 = f"110105{day:%Y%m%d}002"
        if id_number_check_character(first17) == "X":
            found.append(first17 + "X")
        day += dt.timedelta(days=1)
    return found


def add_form(client, tree, number: str, name: str):
    # Without a unit the form never saves: a prober asks about the number and adds nobody.
    return client.post(reverse("admin:membership_worker_add"), {
        "id_number": number, "name": name, "unit": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0"})


def test_guessing_an_own_workers_number_in_the_add_form_counts_and_runs_out(client, tree, chaoyang_officer, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 3
    WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")
    assert NUMBER in candidates() and not chaoyang_officer.has_perm("membership.reveal_id_number")
    client.force_login(chaoyang_officer)
    answers = []
    for number in [c for c in candidates() if c != NUMBER][:3] + [NUMBER]:
        errors = add_form(client, tree, number, "王秀兰").context["adminform"].form.errors.get("id_number") or []
        answers.append(" ".join(errors))
    # Three guesses beside a worker of the same name and mask use the allowance up; the right
    # number then gets the same "no more answers" as any other, never "already registered".
    assert all("已登记" not in answer for answer in answers)
    assert "查询次数已用完" in answers[-1]
    assert IdNumberLookup.objects.filter(user=chaoyang_officer).count() == 4
    assert Worker.objects.count() == 1


def test_the_add_form_answers_nothing_about_a_number_without_a_name(client, tree, chaoyang_officer):
    WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")
    client.force_login(chaoyang_officer)
    form = add_form(client, tree, NUMBER, "").context["adminform"].form
    assert "name" in form.errors and "id_number" not in form.errors


def test_an_own_workers_number_in_the_add_form_is_counted_and_recorded(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")
    client.force_login(chaoyang_officer)
    errors = add_form(client, tree, NUMBER, "王秀兰").context["adminform"].form.errors["id_number"]
    assert "已登记" in " ".join(errors)
    assert list(IdNumberLookup.objects.values_list("worker", "answered")) == [(worker.pk, True)]


def test_a_roster_of_guesses_answers_only_its_first_row(tree, chaoyang_officer):
    WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")
    guesses = [c for c in candidates() if c != NUMBER][:20] + [NUMBER]
    rows = [f"王秀兰,{number},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,," for number in guesses]
    upload = upload_services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv",
                                            data="\n".join([HEADER, *rows]).encode())
    # Row 2 (a wrong guess) is answered; every later row with the same name and mask is refused
    # with the same reason, the right number among them: nothing tells which one it is.
    reasons = {error["row"]: error["errors"][0][1] for error in upload.errors}
    assert upload.new == 1 and upload.updated == upload.unchanged == 0
    assert set(reasons) == set(range(3, len(guesses) + 2))
    assert len(set(reasons.values())) == 1 and "第2行" in next(iter(reasons.values()))


def test_a_roster_of_the_officers_own_workers_is_still_answered_in_full(tree, chaoyang_officer, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 0
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(5)]
    from core.crypto import decrypt_id_number

    rows = [f"{w.name},{decrypt_id_number(w.id_number_encrypted)},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,"
            for w in workers]
    upload = upload_services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv",
                                            data="\n".join([HEADER, *rows]).encode())
    assert (upload.rejected, upload.updated + upload.unchanged) == (0, 5)
    assert not IdNumberLookup.objects.exists()
