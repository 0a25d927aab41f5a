"""For the embedded demo: the message goes to standard output (like Django's console e-mail
backend), where the person running ``bin/demo`` reads the one-time code. Not for production:
codes would end up in the process's logs."""
from __future__ import annotations

import sys

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, message: str) -> None:
        self.stream.write(f"[SMS to {to}] {message}\n")
        self.stream.flush()
