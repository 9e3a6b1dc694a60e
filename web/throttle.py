"""Rate limits on sign-in, sign-up, password changes and the emails that verify
an address or reset a password, counted in the database so that they hold across
every worker process.

Sign-ins are limited per account (email) and per client address: the first
stops password guessing against one sender from many addresses, the second one
address guessing across many senders. The account's limit binds only clients
that have been failing on it, so nobody can lock its owner out. Sign-ups are
limited per address, since each costs a deliberately slow password hash. Every
attempt is counted before its password is hashed. Emailed links are limited per
address they go to and per client asking, so nobody can flood a mailbox."""

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
# One client's failures on one account: the lock an attacker can put on an
# account is a lock on themselves; a client that has not been failing may still
# sign in with the right password while the account is under attack.
SIGN_IN_PER_EMAIL_FROM_ADDRESS = Limit(
    "sign-in:pair", 5, timedelta(minutes=15),
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

# The current password asked by the change-password form: guessing it is sign-in guessing.
PASSWORD_CHANGE_PER_ACCOUNT = Limit(
    "password-change:account", 5, timedelta(minutes=15),
    "Too many attempts to change the password. For the account's safety, try again in {wait}.",
)
VERIFICATION_EMAIL_PER_ACCOUNT = Limit(
    "verification-email:account", 3, timedelta(hours=1),
    "A link was sent several times in the last hour; look for it in your spam folder, or try again in {wait}.",
)
# Used up silently: the answer must not differ for an address that has an account.
RESET_EMAIL_PER_EMAIL = Limit("reset-email:email", 3, timedelta(hours=1), "")
RESET_EMAIL_PER_ADDRESS = Limit(
    "reset-email:address", 10, timedelta(hours=1),
    "Too many password resets asked from your network. Try again in {wait}.",
)


class Throttled(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _in_words(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def take(services, checks: list[tuple[Limit, str]]) -> None:
    """Count one attempt against every (limit, value), before any costly work is
    done for it; Throttled, counting nothing, when one is used up. Check and count
    are one unit of work, so a burst of concurrent attempts cannot all slip in."""
    moment = services.clock.now()
    by_scope = {limit.scope(value): limit for limit, value in checks}
    refused = services.attempts.take(
        [(scope, limit.attempts, moment - limit.window) for scope, limit in by_scope.items()], moment)
    if refused:
        scope, oldest = refused
        raise _throttled(by_scope[scope], oldest, moment)


def _throttled(limit: Limit, oldest: datetime, moment: datetime) -> Throttled:
    seconds = max(1, math.ceil((oldest + limit.window - moment).total_seconds()))
    return Throttled(limit.message.format(wait=_in_words(seconds)), seconds)


def has_failed(services, limit: Limit, value: str) -> bool:
    """Whether `value` has attempts counted under `limit` in its window."""
    moment = services.clock.now()
    return bool(services.attempts.since(limit.scope(value), moment - limit.window))


def refuse_if_used_up(services, limit: Limit, value: str) -> None:
    """Throttled if `value` has used up `limit` (counted elsewhere, e.g. failures)."""
    moment = services.clock.now()
    attempts = services.attempts.since(limit.scope(value), moment - limit.window)
    if len(attempts) >= limit.attempts:
        raise _throttled(limit, attempts[-limit.attempts], moment)


def record(services, limit: Limit, value: str) -> None:
    services.attempts.record([limit.scope(value)], services.clock.now())


def forgive(services, limit: Limit, value: str) -> None:
    """Forget past failures, e.g. an account's after its owner signs in."""
    services.attempts.clear(limit.scope(value))
