"""portal/versioned_cache.py's VersionWatch (issue 13): a page this process holds under the current
version is served without a cache command, and a change of the version made anywhere — another
process, a connection that died — is never missed: the next read after it builds again."""
from __future__ import annotations

import socket
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from portal.versioned_cache import VersionedCache


@pytest.fixture
def pages():
    made = VersionedCache(f"test:versioned:{uuid.uuid4().hex}", timeout=60)
    made.bump()
    yield made
    made.watch.forget()
    made.watch._close()


@pytest.fixture
def other_process():
    """A connection of its own to the same Redis, as another process of the site has."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


class Builds:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return f"page {self.count}"


def _no_cache_commands(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a cache command on a page held under the current version")
    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, refuse)


def test_a_page_held_here_is_served_without_a_cache_command(pages, monkeypatch):
    build = Builds()
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    _no_cache_commands(monkeypatch)
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    assert build.count == 1


def test_a_version_another_process_replaces_is_seen_at_the_next_read(pages, other_process):
    build = Builds()
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    # Another process's bump: a plain SET of the key, which this process is not told of.
    other_process.set(cache.make_and_validate_key(pages.version_key), cache._cache._serializer.dumps("elsewhere"))
    assert pages.get_or_build(pages.key("p"), build) == "page 2"
    assert pages.get_or_build(pages.key("p"), build) == "page 2"


def test_the_version_deleted_or_flushed_elsewhere_is_not_trusted(pages, other_process):
    build = Builds()
    pages.get_or_build(pages.key("p"), build)
    pages.get_or_build(pages.key("p"), build)
    other_process.delete(cache.make_and_validate_key(pages.version_key))
    assert pages.get_or_build(pages.key("p"), build) == "page 2"


def test_a_watch_connection_the_server_closed_is_not_trusted(pages, other_process):
    build = Builds()
    pages.get_or_build(pages.key("p"), build)
    pages.get_or_build(pages.key("p"), build)
    host, port = pages.watch._socket.getsockname()[:2]
    other_process.client_kill(f"{host}:{port}")
    other_process.set(cache.make_and_validate_key(pages.version_key), cache._cache._serializer.dumps("elsewhere"))
    assert pages.get_or_build(pages.key("p"), build) == "page 2"
    assert pages.get_or_build(pages.key("p"), build) == "page 2"


def test_a_watch_that_went_deaf_is_caught_within_the_revalidation_bound(pages, other_process, monkeypatch):
    build = Builds()
    pages.get_or_build(pages.key("p"), build)
    pages.get_or_build(pages.key("p"), build)
    # The connection dies without a word (a firewall dropped it): nothing ever arrives on it.
    silent, _peer = socket.socketpair()
    silent.setblocking(False)
    pages.watch._socket = silent
    other_process.set(cache.make_and_validate_key(pages.version_key), cache._cache._serializer.dumps("elsewhere"))
    monkeypatch.setattr(pages.watch, "REVALIDATE_SECONDS", 0)
    assert pages.get_or_build(pages.key("p"), build) == "page 2"
    assert pages.watch._socket is None or pages.watch._socket is not silent  # replaced, not trusted again
    _peer.close()
    silent.close()


def test_without_redis_every_read_asks_the_cache(settings):
    # Django's test signals give the cache handler new settings and connections.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    pages = VersionedCache("test:versioned:locmem", timeout=60)
    build = Builds()
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    assert pages.get_or_build(pages.key("p"), build) == "page 1"
    assert pages.watch.current()[0] is None
    pages.bump()
    assert pages.get_or_build(pages.key("p"), build) == "page 2"


def test_a_watch_that_cannot_connect_waits_before_trying_again(pages, monkeypatch):
    import redis as redis_module

    tries = []

    def refuse(*args, **kwargs):
        tries.append(1)
        raise redis_module.ConnectionError("refused")

    pages.watch._close()
    monkeypatch.setattr(redis_module.ConnectionPool, "from_url", refuse)
    build = Builds()
    for _ in range(5):
        assert pages.get_or_build(pages.key("p"), build) == "page 1"
    assert len(tries) == 1 and build.count == 1
