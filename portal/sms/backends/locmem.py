"""For the tests: messages are kept in ``outbox`` (emptied by a fixture in tests/conftest.py)."""
from __future__ import annotations

from dataclasses import dataclass

from .base import BaseSmsBackend


@dataclass(frozen=True)
class SmsMessage:
    to: str
    message: str


outbox: list[SmsMessage] = []


class SmsBackend(BaseSmsBackend):
    def send(self, *, to: str, message: str) -> None:
        outbox.append(SmsMessage(to=to, message=message))
