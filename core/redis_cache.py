"""Django's Redis cache with one client per connection pool, made once per process.

Django's RedisCacheClient builds a new ``redis.Redis`` around its pool for every command, and
redis-py's client sets up some 170 response callbacks in its constructor: for a page taken whole
from the cache (the course menu, issue 13) that cost as much CPU as the command's round trip. A
``redis.Redis`` is safe to share between threads (each command takes a connection from the pool)
and its pool notices a fork, so one client per pool serves every call."""
from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
