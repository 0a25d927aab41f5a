"""A counter in the Django cache that lives ``timeout`` seconds from its first count: rate limits
and allowances shared by every web and Celery process (Redis in production and the tests)."""
from __future__ import annotations

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache


def cache_count(key: str, timeout: int) -> int:
    """Add one to ``key`` (created at 0 with ``timeout``) and return the new count, atomically.

    On Redis this is one round trip: SET NX EX and INCR in one MULTI/EXEC. The cache API's
    ``add`` then ``incr`` costs three (Django's ``incr`` first asks whether the key exists), which
    on every API request was more than the rest of the rate limit. Other backends (the demo's
    local memory) go through the cache API."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        client = cache._cache.get_client(full_key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(full_key, 0, ex=timeout, nx=True)
        pipeline.incr(full_key)
        return int(pipeline.execute()[1])
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1
