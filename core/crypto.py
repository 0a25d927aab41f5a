"""MEM-4: resident ID numbers are encrypted at rest (AES-GCM) and found through a keyed hash
(HMAC-SHA256), so the database alone reveals neither the numbers nor which rows share one."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[AESGCM, bytes]:
    raw = base64.urlsafe_b64decode(master.encode() + b"=" * (-len(master) % 4))
    if len(raw) < 32:
        raw = hashlib.sha256(raw).digest()
    encryption_key = hmac.digest(raw, b"id-number-encryption", "sha256")
    index_key = hmac.digest(raw, b"id-number-index", "sha256")
    return AESGCM(encryption_key), index_key


def _current() -> tuple[AESGCM, bytes]:
    return _keys(settings.ID_NUMBER_KEY)


def encrypt_id_number(number: str) -> str:
    aead, _ = _current()
    nonce = os.urandom(12)
    return base64.b64encode(nonce + aead.encrypt(nonce, number.encode(), None)).decode()


def decrypt_id_number(token: str) -> str:
    aead, _ = _current()
    blob = base64.b64decode(token)
    return aead.decrypt(blob[:12], blob[12:], None).decode()


def id_number_digest(number: str) -> str:
    _, index_key = _current()
    return hmac.digest(index_key, number.encode(), "sha256").hex()


def id_number_tools():
    """(encrypt, digest) bound to the current key, for loops over many rows."""
    aead, index_key = _current()
    urandom, b64, encrypt, digest = os.urandom, base64.b64encode, aead.encrypt, hmac.digest

    def encrypt_one(number: str) -> str:
        nonce = urandom(12)
        return b64(nonce + encrypt(nonce, number.encode(), None)).decode()

    def digest_one(number: str) -> str:
        return digest(index_key, number.encode(), "sha256").hex()

    return encrypt_one, digest_one


def derived_key(purpose: str) -> bytes:
    """A key of its own for ``purpose`` (such as an upload's digest of a row's cells, which holds an
    ID number), derived from the current index key: a digest made with it reveals nothing to
    whoever lacks the key, and changes when the key is rotated."""
    _aead, index_key = _current()
    return hmac.digest(index_key, b"derived:" + purpose.encode(), "sha256")


def encrypt_bytes(data: bytes) -> bytes:
    """Files and blobs that hold ID numbers (stored uploads, rejected rows) are encrypted too."""
    aead, _ = _current()
    nonce = os.urandom(12)
    return nonce + aead.encrypt(nonce, data, None)


def decrypt_bytes(blob: bytes) -> bytes:
    aead, _ = _current()
    return aead.decrypt(blob[:12], blob[12:], None)
