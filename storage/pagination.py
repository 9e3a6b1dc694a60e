"""Keyset pagination with opaque, signed cursors.

A cursor names the last row a page showed; the next page starts below it, so
rows inserted meanwhile never shift or repeat what a client is walking through.
Cursors are signed: one we did not issue is refused, never misread."""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from billing.errors import InvalidRequest


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


class Cursors:
    def __init__(self, secret: str):
        self._secret = secret.encode()

    def _mac(self, message: str) -> str:
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()[:24]

    def encode(self, kind: str, position: int) -> str:
        message = f"{kind}:{position}"
        raw = f"{message}:{self._mac(message)}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, kind: str, cursor: str) -> int:
        """The position a cursor of `kind` names; InvalidRequest if we did not issue it."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            message, _, mac = raw.rpartition(":")
            cursor_kind, _, position = message.partition(":")
            if cursor_kind == kind and hmac.compare_digest(mac, self._mac(message)):
                return int(position)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
        raise InvalidRequest(
            "cursor is not one we issued: pass the next_cursor of the previous page unchanged, "
            "or leave it out to start from the newest.",
            "cursor",
        )

    def page(self, kind: str, rows: list, limit: int, position_of) -> Page:
        """The first `limit` of `rows` (fetched as limit + 1) and the cursor after them."""
        if len(rows) <= limit:
            return Page(rows, None)
        rows = rows[:limit]
        return Page(rows, self.encode(kind, position_of(rows[-1])))
