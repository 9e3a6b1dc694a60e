"""Passwords: Argon2id through argon2-cffi, with its RFC 9106 defaults
(64 MiB of memory per hash, about a tenth of a second here).
Only the encoded hash is ever stored; it names its own parameters, so raising
them later re-hashes each password at its owner's next sign-in."""

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from billing.errors import InvalidRequest, TooManyRequests

MIN_LENGTH = 10
MAX_LENGTH = 1024
# Each hash holds 64 MiB for a tenth of a second: at most this many at once per
# process, so a burst of sign-ins queues briefly instead of exhausting memory.
CONCURRENT_HASHES = 2
WAIT_FOR_A_TURN_SECONDS = 10

_hasher = PasswordHasher()
_turns = threading.BoundedSemaphore(CONCURRENT_HASHES)


def _hashing(work):
    if not _turns.acquire(timeout=WAIT_FOR_A_TURN_SECONDS):
        raise TooManyRequests("The server is busy checking passwords; retry in a moment.", retry_after=1)
    try:
        return work()
    finally:
        _turns.release()


@cache
def _decoy() -> str:
    """Verified against when there is no account or no password, so that an
    unknown email takes as long to refuse as a wrong password does."""
    return _hasher.hash("no account has this password")


def acceptable(password: str) -> str:
    """The password if it may be used, else InvalidRequest saying why."""
    if len(password) < MIN_LENGTH:
        raise InvalidRequest(f"Choose a password of at least {MIN_LENGTH} characters.", "password")
    if len(password) > MAX_LENGTH:
        raise InvalidRequest(f"Choose a password of at most {MAX_LENGTH} characters.", "password")
    return password


def hash_password(password: str) -> str:
    return _hashing(lambda: _hasher.hash(password))


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _decoy(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def matches(stored_hash: str | None, password: str) -> bool:
    return _hashing(lambda: _verify(stored_hash, password))


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
