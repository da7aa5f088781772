"""A per-address token bucket for the public routes (the inspection code pages).

Each client address has a bucket of `per_minute` tokens refilled evenly over a
minute; a request takes one, and one with none left is refused (429). The
buckets live in this process's memory: several server processes each keep
their own, so the bound a client meets is `per_minute` times the processes.
Behind a proxy every client has the proxy's address; put the bound there then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi import Request

from inspection.errors import TooManyRequestsError

__all__ = ["TokenBuckets", "public_rate_limit"]

_MAX_ADDRESSES = 10_000  # past it, the fullest (idle) buckets are forgotten


class TokenBuckets:
    """Token buckets by client address."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, address: str) -> bool:
        """Take a token for `address`; False when it has none left."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(address, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - at) * self._rate)
            if tokens < 1.0:
                self._buckets[address] = (tokens, now)
                return False
            self._buckets[address] = (tokens - 1.0, now)
            if len(self._buckets) > _MAX_ADDRESSES:
                self._forget_full(now)
            return True

    def _forget_full(self, now: float) -> None:
        for address, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self._rate >= self._capacity:
                del self._buckets[address]


def public_rate_limit(request: Request) -> None:
    """Dependency of the public routes: one token of the caller's address.

    Raises:
        TooManyRequestsError: the address has used its requests of the last minute.
    """
    buckets: TokenBuckets = request.app.state.public_buckets
    address = request.client.host if request.client is not None else "unknown"
    if not buckets.take(address):
        raise TooManyRequestsError("请求过于频繁，请一分钟后再试", "code")
