"""The SMS backends are chosen by SMS_BACKEND, like Django's e-mail backends."""
from __future__ import annotations

import io

import pytest
from django.test import override_settings

from portal.sms import BaseSmsBackend, get_backend, send_sms
from portal.sms.backends import console, locmem


def test_the_tests_keep_messages_in_the_locmem_outbox(sms_outbox):
    send_sms(to="13800138000", message="code 123456")
    assert sms_outbox == [locmem.SmsMessage(to="13800138000", message="code 123456")]


@override_settings(SMS_BACKEND="portal.sms.backends.console.SmsBackend")
def test_the_demo_prints_messages_on_the_console(capsys, sms_outbox):
    assert isinstance(get_backend(), console.SmsBackend)
    send_sms(to="13800138000", message="code 123456")
    assert "[SMS to 13800138000] code 123456" in capsys.readouterr().out
    assert sms_outbox == []


def test_a_backend_must_implement_send():
    with pytest.raises(NotImplementedError):
        BaseSmsBackend().send(to="13800138000", message="x")
    stream = io.StringIO()
    console.SmsBackend(stream=stream).send(to="1", message="m")
    assert stream.getvalue() == "[SMS to 1] m\n"
