"""The Redis cache keeps one client per connection pool, and still behaves as Django's."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from nhs_citizen.core.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/9"


def _redis_cache() -> RedisCache:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_it_is_django_s_redis_cache():
    assert issubclass(RedisCache, DjangoRedisCache)


def test_the_same_client_serves_every_call():
    cache = _redis_cache()
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is cache._cache.get_client("d", write=True)


def test_values_go_in_and_come_out_as_with_django_s_cache():
    cache = _redis_cache()
    cache.set("count", {"n": 3}, 30)
    assert cache.get("count") == {"n": 3}
    assert cache.add("count", 4, 30) is False
    assert cache.add("hits", 0, 30) is True
    assert cache.incr("hits") == 1
    cache.delete("count")
    assert cache.get("count", "gone") == "gone"
