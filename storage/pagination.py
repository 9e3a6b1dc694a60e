"""Keyset pagination with opaque, sealed cursors.

A cursor names the last row a page showed; the next page starts below it, so
rows inserted meanwhile never shift or repeat what a client is walking through.
Cursors are sealed: the row's position is encrypted (so a cursor says nothing
about how many rows the service holds) and authenticated (so one we did not
issue is refused, never misread). Both keys derive from one secret with HMAC-SHA256:
the position is XORed with a keystream drawn from a random nonce, then tagged."""

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from billing.errors import InvalidRequest

NONCE, POSITION, TAG = 8, 8, 12


def _xor(data: bytes, keystream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, keystream, strict=True))


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


class Cursors:
    def __init__(self, secret: str):
        key = secret.encode()
        self._encrypting = hmac.new(key, b"cursor encryption", hashlib.sha256).digest()
        self._signing = hmac.new(key, b"cursor signature", hashlib.sha256).digest()

    def _keystream(self, kind: str, nonce: bytes) -> bytes:
        return hmac.new(self._encrypting, kind.encode() + b":" + nonce, hashlib.sha256).digest()[:POSITION]

    def _tag(self, kind: str, sealed: bytes) -> bytes:
        return hmac.new(self._signing, kind.encode() + b":" + sealed, hashlib.sha256).digest()[:TAG]

    def encode(self, kind: str, position: int) -> str:
        nonce = secrets.token_bytes(NONCE)
        sealed = nonce + _xor(position.to_bytes(POSITION, "big"), self._keystream(kind, nonce))
        return base64.urlsafe_b64encode(sealed + self._tag(kind, sealed)).decode().rstrip("=")

    def decode(self, kind: str, cursor: str) -> int:
        """The position a cursor of `kind` names; InvalidRequest if we did not issue it."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        sealed, tag = raw[:NONCE + POSITION], raw[NONCE + POSITION:]
        if len(raw) == NONCE + POSITION + TAG and hmac.compare_digest(tag, self._tag(kind, sealed)):
            nonce, hidden = sealed[:NONCE], sealed[NONCE:]
            return int.from_bytes(_xor(hidden, self._keystream(kind, nonce)), "big")
        raise InvalidRequest(
            "cursor is not one we issued: pass the next_cursor of the previous page unchanged, "
            "or leave it out to start from the newest.",
            "cursor",
        )

    def page(self, kind: str, rows: list, limit: int, position_of) -> Page:
        """The first `limit` of `rows` (fetched as limit + 1) and the cursor after them."""
        return self.followed(kind, rows[:limit], len(rows) > limit, position_of)

    def followed(self, kind: str, rows: list, more: bool, position_of) -> Page:
        """`rows`, with the cursor after the last of them when `more` rows follow."""
        return Page(rows, self.encode(kind, position_of(rows[-1])) if more else None)
