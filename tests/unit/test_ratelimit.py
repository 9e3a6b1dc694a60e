import pytest

from app.ratelimit import RateLimiter
from billing.errors import TooManyRequests


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_key_gets_its_burst_then_waits_for_tokens():
    clock = Clock()
    limiter = RateLimiter(2, burst=3, clock=clock)
    for _ in range(3):
        limiter.take("jk_live_a")
    with pytest.raises(TooManyRequests) as caught:
        limiter.take("jk_live_a")
    assert caught.value.status == 429 and caught.value.headers == {"Retry-After": "1"}
    clock.now += 0.5  # one token back at 2 a second
    limiter.take("jk_live_a")


def test_keys_have_separate_buckets():
    limiter = RateLimiter(1, burst=1, clock=Clock())
    limiter.take("jk_live_a")
    limiter.take("jk_live_b")
    with pytest.raises(TooManyRequests):
        limiter.take("jk_live_a")


def test_retry_after_is_whole_seconds_rounded_up():
    limiter = RateLimiter(0.25, burst=1, clock=Clock())
    limiter.take("k")
    with pytest.raises(TooManyRequests) as caught:
        limiter.take("k")
    assert caught.value.headers["Retry-After"] == "4"
