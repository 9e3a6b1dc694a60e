"""The shared token buckets, on the backend under test."""

import pytest

from billing.errors import TooManyRequests
from storage import migrations
from storage.engine import open_database
from workflow.ratelimit import RateLimiter, bucket_database


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def buckets(db_url):
    db = open_database(db_url)
    migrations.migrate(db)
    scratch = bucket_database(db)
    yield scratch
    scratch.close()
    db.close()


def test_a_key_gets_its_burst_then_waits_for_tokens(buckets):
    clock = Clock()
    limiter = RateLimiter(buckets, 2, burst=3, clock=clock)
    for _ in range(3):
        limiter.take("jk_live_a")
    with pytest.raises(TooManyRequests) as caught:
        limiter.take("jk_live_a")
    assert caught.value.status == 429 and caught.value.headers == {"Retry-After": "1"}
    clock.now += 0.5  # one token back at 2 a second
    limiter.take("jk_live_a")


def test_keys_have_separate_buckets(buckets):
    limiter = RateLimiter(buckets, 1, burst=1, clock=Clock())
    limiter.take("jk_live_a")
    limiter.take("jk_live_b")
    with pytest.raises(TooManyRequests):
        limiter.take("jk_live_a")


def test_retry_after_is_whole_seconds_rounded_up(buckets):
    limiter = RateLimiter(buckets, 0.25, burst=1, clock=Clock())
    limiter.take("k")
    with pytest.raises(TooManyRequests) as caught:
        limiter.take("k")
    assert caught.value.headers["Retry-After"] == "4"


def test_two_limiters_on_one_database_share_one_allowance(buckets):
    """What two worker processes (or two servers) see: one bucket per key."""
    clock = Clock()
    first, second = RateLimiter(buckets, 1, burst=2, clock=clock), RateLimiter(buckets, 1, burst=2, clock=clock)
    first.take("jk_live_a")
    second.take("jk_live_a")
    with pytest.raises(TooManyRequests):
        first.take("jk_live_a")


def test_a_scope_sweep_leaves_other_scopes_buckets(buckets):
    clock = Clock()
    links = RateLimiter(buckets, 0.1, burst=1, scope="share", clock=clock)
    keys = RateLimiter(buckets, 100, burst=1, scope="key", clock=clock)
    links.take("token")
    clock.now += 5
    with buckets.write() as tx:
        from storage import ratelimits
        ratelimits.sweep(tx, "key", clock.now)
    with pytest.raises(TooManyRequests):
        links.take("token")
    keys.take("jk_live_a")
