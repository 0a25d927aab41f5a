from __future__ import annotations


class SmsError(Exception):
    """The gateway refused or did not answer; the caller decides whether the user sees it."""


class BaseSmsBackend:
    """The contract of an SMS backend.

    A production backend subclasses this for the carrier's gateway, reads its configuration from
    Django settings in ``__init__`` (for example ``SMS_GATEWAY_URL``, ``SMS_ACCESS_KEY``,
    ``SMS_SIGN_NAME``, each from the environment through ``env`` in ``portal/settings/base.py``),
    and implements :meth:`send`, raising :class:`SmsError` when the message was not accepted.
    Settings name it with ``SMS_BACKEND = "package.module.ClassName"``. It must never log the
    message text: one-time codes are secrets.
    """

    def send(self, *, to: str, message: str) -> None:
        raise NotImplementedError("an SMS backend must implement send(to=..., message=...)")
