"""A Redis cache that keeps the site working while Redis is unreachable.

The cache holds allauth's rate limits and TOTP-replay records and DRF's
throttle counters. If every cache call raised while Redis is down, nobody
could sign in. Instead each call falls back to a per-process in-memory
cache, the outage is logged once, ``/readyz`` reports it, and Redis is tried
again after ``RETRY_SECONDS`` so the site recovers without a restart.

The fallback is weaker protection (limits are per process, not shared), which
is why production still requires ``REDIS_URL``: this is for an outage, not a
way to run without Redis.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class FailoverRedisCache(RedisCache):
    """``RedisCache`` with an in-memory fallback while Redis does not answer."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        # A dead Redis must cost a request milliseconds, not the OS's TCP timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(
            f"failover:{server}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    @property
    def degraded(self) -> bool:
        """True while calls are being answered by the in-memory fallback."""
        return self._down_since is not None

    def _mark_down(self, exc: BaseException) -> None:
        with self._lock:
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.error(
                    "Redis cache unreachable (%s); using a per-process cache until it returns.",
                    type(exc).__name__,
                )
            self._retry_at = time.monotonic() + RETRY_SECONDS

    def _mark_up(self) -> None:
        if self._down_since is not None:
            with self._lock:
                if self._down_since is not None:
                    logger.warning(
                        "Redis cache reachable again after %.0f s.",
                        time.monotonic() - self._down_since,
                    )
                    self._down_since = None

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._mark_down(exc)
            return getattr(self._fallback, name)(*args, **kwargs)
        self._mark_up()
        return result


def _delegate(name: str):
    def method(self: FailoverRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``{name}`` on Redis, or on the in-memory fallback while Redis is down."
    return method


for _name in _OPERATIONS:
    setattr(FailoverRedisCache, _name, _delegate(_name))


def cache_degraded() -> bool:
    """Whether the default cache is running on its fallback (for ``/readyz``)."""
    from django.core.cache import caches

    return bool(getattr(caches["default"], "degraded", False))
