"""Passwords: Argon2id through argon2-cffi, with its RFC 9106 defaults
(64 MiB of memory per hash, about a tenth of a second here).
Only the encoded hash is ever stored; it names its own parameters, so raising
them later re-hashes each password at its owner's next sign-in."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from billing.errors import InvalidRequest

MIN_LENGTH = 10
MAX_LENGTH = 1024

_hasher = PasswordHasher()


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
    return _hasher.hash(password)


def matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _decoy(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
