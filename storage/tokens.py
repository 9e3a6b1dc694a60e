"""Random tokens handed to a browser or emailed in a link, and the hash that is
all the database keeps of them, so a copy of the database opens nothing."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is as strong as a slow one here.
    return hashlib.sha256(token.encode()).hexdigest()
