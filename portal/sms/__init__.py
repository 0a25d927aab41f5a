"""Text messages to workers' mobile phones, through a pluggable backend like Django's e-mail.

``SMS_BACKEND`` names the backend class by dotted path:

- ``portal.sms.backends.console.SmsBackend`` (the default, for the demo): writes each message to
  standard output and the log, so the one-time code of a registration shows in ``bin/demo``'s console;
- ``portal.sms.backends.locmem.SmsBackend`` (the tests): keeps messages in ``locmem.outbox``;
- a production backend: subclass :class:`portal.sms.backends.base.BaseSmsBackend` for the carrier's
  gateway and read its address and credentials from settings (see that class).
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .backends.base import BaseSmsBackend, SmsError

__all__ = ["BaseSmsBackend", "SmsError", "get_backend", "send_sms"]


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to: str, message: str) -> None:
    get_backend().send(to=to, message=message)
