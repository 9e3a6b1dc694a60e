"""Rate limiting: a token bucket for each API key (and one for each share link,
whose actions need no key but may email the sender).

Buckets live in the server process, so with `--workers N` each worker allows the
full rate; `serve` divides the configured rate among its workers to keep the
total close to it."""

import hashlib
import math
import threading
import time
from dataclasses import dataclass

from billing.errors import TooManyRequests

FORGET_IDLE_BUCKETS_AFTER = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_second: float, burst: int | None = None, clock=time.monotonic, *, per: str = "API key"):
        self.rate = per_second
        self.burst = burst if burst is not None else max(1, int(per_second * 2))
        self.per = per
        self._clock = clock
        self._buckets: dict[bytes, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one request of `key`'s allowance, or raise TooManyRequests."""
        identity = hashlib.blake2b(key.encode(), digest_size=16).digest()
        with self._lock:
            moment = self._clock()
            bucket = self._buckets.get(identity) or _Bucket(self.burst, moment)
            bucket.tokens = min(self.burst, bucket.tokens + (moment - bucket.updated) * self.rate)
            bucket.updated = moment
            self._buckets[identity] = bucket
            if bucket.tokens < 1:
                wait = math.ceil((1 - bucket.tokens) / self.rate)
                raise TooManyRequests(
                    f"Too many requests with this {self.per}: at most {self.rate:g} a second. Retry after {wait} s.",
                    retry_after=wait,
                )
            bucket.tokens -= 1
            if len(self._buckets) > FORGET_IDLE_BUCKETS_AFTER:
                self._forget_full_buckets(moment)

    def _forget_full_buckets(self, moment: float) -> None:
        # A bucket that has refilled completely holds no information.
        full_after = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if moment - b.updated < full_after}
