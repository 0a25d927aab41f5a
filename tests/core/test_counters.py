"""core.counters.cache_count: one atomic count per call, on Redis (the tests' cache, as in
production) in one round trip, and on the demo's local-memory cache."""
from __future__ import annotations

import threading

from django.core.cache import cache, caches
from django.test import override_settings

from core.counters import cache_count


def test_counts_up_from_one_and_expires_with_the_window():
    assert [cache_count("counter-test", 60) for _ in range(3)] == [1, 2, 3]
    # Readable through the cache API, like the counters written by add() and incr().
    assert cache.get("counter-test") == 3
    client = caches["default"]._cache.get_client(write=False)
    assert 0 < client.ttl(cache.make_and_validate_key("counter-test")) <= 60


def test_a_count_is_one_round_trip_to_redis(monkeypatch):
    from redis.client import Pipeline

    calls = []
    execute = Pipeline.execute
    monkeypatch.setattr(Pipeline, "execute", lambda self, *a, **k: calls.append(1) or execute(self, *a, **k))
    assert cache_count("counter-round-trip", 60) == 1
    assert calls == [1]


def test_counts_from_many_threads_are_all_different():
    counts, lock = [], threading.Lock()

    def count():
        for _ in range(25):
            value = cache_count("counter-race", 60)
            with lock:
                counts.append(value)

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 101))


def test_the_local_memory_cache_counts_too():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "LOCATION": "counter-test"}}):
        assert [cache_count("counter-local", 60) for _ in range(2)] == [1, 2]
