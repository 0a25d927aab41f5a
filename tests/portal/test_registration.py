"""EDU-8: claiming a worker's account needs the name, the ID number and the mobile number on the
roster, then a one-time code sent to that number. No answer tells whether an ID number or a log-in
name exists, and the password goes through every validator."""
from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from membership.models import User
from portal import services, tasks
from portal.celery import app as celery_app
from portal.sms import SmsError
from tests.factories import WorkerFactory

NUMBER = "11010519491231002X"
PHONE = "13800138000"
PASSWORD = "Gongren-2026!"


@pytest.fixture
def worker(tree):
    return WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰", phone=PHONE)


@pytest.fixture(autouse=True)
def _celery_runs_the_code_task_at_once(monkeypatch):
    """The code goes out from a Celery task; in these tests it runs as soon as it is queued."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def _start(client, **overrides):
    data = {"name": "王秀兰", "id_number": NUMBER, "phone": PHONE}
    data.update(overrides)
    # The task is queued when the request's transaction commits; the test's never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("portal:register"), data)


def _confirm(client, code, password=PASSWORD, password2=None, **extra):
    return client.post(reverse("portal:register_confirm"),
                       {"code": code, "password1": password, "password2": password2 or password, **extra})


def _code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1].message).group(1)


def _answer(response):
    return response.status_code, response["Location"], [str(m) for m in response.wsgi_request._messages._queued_messages]


def test_a_worker_claims_the_account_with_the_code_sent_to_the_roster_mobile(client, worker, sms_outbox):
    assert _start(client, phone="+86 138-0013-8000")["Location"] == reverse("portal:register_confirm")
    assert [message.to for message in sms_outbox] == [PHONE]
    response = _confirm(client, _code(sms_outbox), username="wangxl")
    assert response.status_code == 302 and response["Location"] == reverse("courses:my_learning")
    user = User.objects.get(worker=worker)
    # The portal chose the log-in name, told the worker once, and logged them in.
    assert user.username != "wangxl" and re.fullmatch(r"w\d{8}", user.username)
    assert user.username in " ".join(str(m) for m in response.wsgi_request._messages._queued_messages)
    assert user.check_password(PASSWORD) and not user.is_staff
    assert client.get(reverse("courses:my_learning")).status_code == 200


def test_name_and_id_number_alone_claim_nothing(client, worker, sms_outbox):
    # The form before the mobile number and the code: name, ID number, a log-in name and password.
    response = client.post(reverse("portal:register"), {
        "name": "王秀兰", "id_number": NUMBER, "username": "intruder", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert not User.objects.filter(worker=worker).exists() and sms_outbox == []
    assert _confirm(client, "000000").status_code == 302  # no claim in the session: back to step 1
    assert not User.objects.filter(worker=worker).exists()


def test_every_first_step_gets_the_same_answer_and_only_a_match_sends_a_code(client, tree, worker, sms_outbox):
    claimed = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李四", phone="13900139000")
    User.objects.create_user("lisi", password=PASSWORD, worker=claimed)
    no_phone = WorkerFactory(unit=tree["chaoyang_enterprise"], name="赵六", phone="")
    from core.crypto import decrypt_id_number

    answers = [
        _answer(_start(client, name="张三")),                                   # wrong name
        _answer(_start(client, phone="13912345678")),                          # wrong mobile
        _answer(_start(client, id_number="110105199001010011")),               # not on the roster
        _answer(_start(client, name="李四", id_number=decrypt_id_number(claimed.id_number_encrypted),
                       phone="13900139000")),                                  # already has an account
        _answer(_start(client, name="赵六", id_number=decrypt_id_number(no_phone.id_number_encrypted),
                       phone="13700137000")),                                  # no mobile on the roster
    ]
    assert sms_outbox == []
    answers.append(_answer(_start(client)))                                    # the match
    assert len(sms_outbox) == 1
    assert all(answer == answers[-1] for answer in answers), answers


def test_the_code_is_stored_only_as_a_keyed_hash(client, worker, sms_outbox):
    _start(client)
    token = client.session["worker_claim"]
    stored = cache.get(f"worker-claim:{token}")
    assert stored is not None and _code(sms_outbox) not in repr(stored)


def test_a_wrong_code_is_refused_and_five_wrong_codes_spend_the_claim(client, worker, sms_outbox):
    _start(client)
    code = _code(sms_outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    first = _confirm(client, wrong)
    assert first.status_code == 200 and first.context["form"].errors["code"]
    for _ in range(4):
        _confirm(client, wrong)
    assert _confirm(client, code).status_code == 200
    assert not User.objects.filter(worker=worker).exists()


def test_the_code_expires(client, worker, sms_outbox, monkeypatch):
    monkeypatch.setattr(services, "CLAIM_CODE_LIFETIME", 1)
    _start(client)
    time.sleep(1.2)
    assert _confirm(client, _code(sms_outbox)).status_code == 200
    assert not User.objects.filter(worker=worker).exists()


def test_one_worker_gets_at_most_three_codes_an_hour(client, worker, sms_outbox):
    for _ in range(5):
        assert _start(client).status_code == 302
    assert len(sms_outbox) == services.CLAIM_CODES_PER_WORKER == 3


PROXY = "10.0.0.254"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_registration_throttle_counts_each_client_behind_the_proxy(client, tree):
    data = {"name": "张三", "id_number": "110105199001010011", "phone": "13800000000"}
    url = reverse("portal:register")
    for _ in range(services.REGISTRATION_ATTEMPTS):
        assert client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 302
    assert client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


@pytest.mark.parametrize("password", ["password123", "12345678901", "Ab1!"])
def test_weak_passwords_are_refused_and_keep_the_code_usable(client, worker, sms_outbox, password):
    _start(client)
    response = _confirm(client, _code(sms_outbox), password=password)
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert _confirm(client, _code(sms_outbox)).status_code == 302


def test_a_password_like_the_log_in_name_is_refused(client, worker, sms_outbox, monkeypatch):
    monkeypatch.setattr(services, "_username_new", lambda: "wangxiulan1949")
    _start(client)
    response = _confirm(client, _code(sms_outbox), password="wangxiulan1949!")
    assert response.status_code == 200
    assert "太相似" in str(response.context["form"].errors["password1"])  # zh-hans, the default language
    assert not User.objects.filter(worker=worker).exists()


def test_log_in_answers_the_same_for_an_unknown_name_and_a_wrong_password(client, worker):
    User.objects.create_user("wangxl", password=PASSWORD, worker=worker, is_staff=False)
    url = reverse("portal:login")
    unknown = client.post(url, {"username": "nobody-here", "password": "wrong-Password-1"})
    wrong = client.post(url, {"username": "wangxl", "password": "wrong-Password-1"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


class RefusingGateway:
    def send(self, *, to, message):
        raise SmsError(f"gateway refused {message}")


def test_a_refusing_sms_gateway_gives_the_matching_claim_the_same_answer(worker, settings, caplog):
    # A 500 only when the claim matched told the asker that name, ID number and mobile all match.
    settings.SMS_BACKEND = "tests.portal.test_registration.RefusingGateway"
    client = Client(raise_request_exception=False)
    wrong = _start(client, phone="13900000000")
    right = _start(client)
    assert right.status_code == wrong.status_code == 302
    assert right["Location"] == wrong["Location"]
    assert "The SMS gateway did not accept a registration code" in caplog.text
    # The gateway's own error text may quote the message, code included: it is not logged.
    assert "gateway refused" not in caplog.text and "learning portal is" not in caplog.text
    # Nothing was stored for a code nobody received.
    assert _confirm(client, "000000").status_code == 200


def test_the_request_only_queues_the_code_and_the_task_sends_it(client, worker, sms_outbox, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queued = []
    monkeypatch.setattr(tasks.worker_claim_code_send_task, "delay", lambda **kwargs: queued.append(kwargs))
    assert _start(client).status_code == 302
    # The request sent nothing itself: the gateway is called only by the task, after the answer.
    assert sms_outbox == []
    assert len(queued) == 1 and set(queued[0]) == {"token", "worker_id"}
    tasks.worker_claim_code_send_task.apply(kwargs=queued[0])
    assert [message.to for message in sms_outbox] == [PHONE]
    assert not any(_code(sms_outbox) in str(value) for value in queued[0].values())
    assert _confirm(client, _code(sms_outbox)).status_code == 302
    assert User.objects.filter(worker=worker).exists()
