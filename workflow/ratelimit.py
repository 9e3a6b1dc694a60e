"""Rate limits: a token bucket per API key, and one per share link (whose actions
need no key but may email the sender). The buckets live in the database, so an
allowance is one for every worker process and every server; on SQLite they live
in a scratch file beside the database, written without fsync, since losing
them loses nothing."""

import math
import random
import time

from billing.errors import TooManyRequests
from storage import ratelimits
from storage.engine import SqliteDatabase

# One call in this many also sweeps buckets that have refilled.
SWEEP_ONE_IN = 1000


def bucket_database(db):
    """Where the buckets live: PostgreSQL's unlogged table, or SQLite's scratch file."""
    if not isinstance(db, SqliteDatabase):
        return db
    scratch = SqliteDatabase(db.path.with_name(db.path.name + "-ratelimits"), durable=False)
    with scratch.write() as tx:
        tx.run(ratelimits.CREATE)
    return scratch


class RateLimiter:
    def __init__(self, db, per_second: float, burst: int | None = None, *, scope: str = "key",
                 per: str = "API key", clock=time.time):
        self.rate = per_second
        self.burst = burst if burst is not None else max(1, int(per_second * 2))
        self.per = per
        self.db = db
        self._scope = scope
        self._clock = clock

    def take(self, identity: str) -> float:
        """Spend one request of `identity`'s allowance; the tokens left, or TooManyRequests."""
        moment = self._clock()
        with self.db.write() as tx:
            allowed, tokens = ratelimits.take(tx, ratelimits.bucket_key(self._scope, identity),
                                              self.rate, self.burst, moment)
            if random.randrange(SWEEP_ONE_IN) == 0:
                ratelimits.sweep(tx, self._scope, moment - self.burst / self.rate)
        if not allowed:
            wait = math.ceil((1 - tokens) / self.rate)
            raise TooManyRequests(
                f"Too many requests with this {self.per}: at most {self.rate:g} a second. Retry after {wait} s.",
                retry_after=wait,
            )
        return tokens
