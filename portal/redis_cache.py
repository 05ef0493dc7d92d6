"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every operation, and
each builds its table of response callbacks (some 200 entries): a quarter of the time a
cached page takes to serve from Redis. A `redis.Redis` is safe to share between threads
(its connections come from the pool), so one per pool is kept."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_with(self, other, key, other_key):
        """(`other_key` in the `other` cache, `key` in this one), read in one round trip:
        None unless both caches are kept on the same Redis by this backend."""
        if not isinstance(other, ReusingRedisCache) or other._servers != self._servers:
            return None
        keys = [other.make_and_validate_key(other_key), self.make_and_validate_key(key)]
        values = self._cache.get_client(None).mget(keys)
        loads = self._cache._serializer.loads
        return tuple(None if value is None else loads(value) for value in values)
