"""Browser sessions of signed-in senders. The browser holds a random token; the
database holds only its hash, so a copy of the database signs no one in."""

import hashlib
import secrets
from datetime import datetime, timedelta

from storage.accounts import ACCOUNT_COLUMNS
from storage.db import Connections, stamp


def _hash(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is as strong as a slow one here.
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, connections: Connections):
        self._conn = connections

    def start(self, account_id: int, now: datetime, lifetime: timedelta) -> str:
        """A new session for the account; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        with self._conn.write() as db:
            # Sweep the expired ones while holding the lock anyway.
            db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", [stamp(now)])
            db["web_sessions"].insert({
                "token_hash": _hash(token),
                "account_id": account_id,
                "created_at": stamp(now),
                "expires_at": stamp(now + lifetime),
            })
        return token

    def account(self, token: str, now: datetime) -> dict | None:
        """The account a live session belongs to, or None for an unknown, ended or expired one."""
        columns = ", ".join(f"accounts.{name}" for name in ACCOUNT_COLUMNS)
        row = self._conn.db.execute(
            f"""SELECT {columns} FROM web_sessions JOIN accounts ON accounts.id = web_sessions.account_id
                WHERE web_sessions.token_hash = ? AND web_sessions.expires_at > ?""",
            [_hash(token), stamp(now)],
        ).fetchone()
        return None if row is None else dict(zip(ACCOUNT_COLUMNS, row))

    def end(self, token: str) -> None:
        with self._conn.write() as db:
            db.execute("DELETE FROM web_sessions WHERE token_hash = ?", [_hash(token)])
