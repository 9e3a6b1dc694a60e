"""Rate limits on sign-in and sign-up, counted in the database so that they
hold across every worker process.

Failed sign-ins are limited per account (email) and per client address: the
first stops password guessing against one sender from many addresses, the
second one address guessing across many senders. Sign-ups are limited per
address, since each costs a deliberately slow password hash."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta



@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window: timedelta
    message: str

    def scope(self, value: str) -> str:
        return f"{self.name}:{value.lower()}"


SIGN_IN_PER_EMAIL = Limit(
    "sign-in:email", 5, timedelta(minutes=15),
    "Too many failed sign-ins for this account. For its safety, try again in {wait}.",
)
SIGN_IN_PER_ADDRESS = Limit(
    "sign-in:address", 20, timedelta(minutes=15),
    "Too many failed sign-ins from your network. Try again in {wait}.",
)
SIGN_UP_PER_ADDRESS = Limit(
    "sign-up:address", 10, timedelta(hours=1),
    "Too many sign-ups from your network. Try again in {wait}.",
)


class Throttled(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _in_words(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def _seconds_to_wait(attempts: list[datetime], limit: Limit, moment: datetime) -> int:
    """Until enough of the attempts in the window (oldest first) have aged out of it."""
    if len(attempts) < limit.attempts:
        return 0
    free_at = attempts[len(attempts) - limit.attempts] + limit.window
    return max(1, math.ceil((free_at - moment).total_seconds()))


def check(services, checks: list[tuple[Limit, str]]) -> None:
    """Raise Throttled, with the longest wait, if any (limit, value) is used up."""
    moment = services.clock.now()
    waits = [
        (_seconds_to_wait(services.attempts.since(limit.scope(value), moment - limit.window), limit, moment), limit)
        for limit, value in checks
    ]
    seconds, limit = max(waits, key=lambda wait: wait[0])
    if seconds:
        raise Throttled(limit.message.format(wait=_in_words(seconds)), seconds)


def record(services, checks: list[tuple[Limit, str]]) -> None:
    services.attempts.record([limit.scope(value) for limit, value in checks], services.clock.now())


def forgive(services, limit: Limit, value: str) -> None:
    """Forget past failures, e.g. an account's after its owner signs in."""
    services.attempts.clear(limit.scope(value))
