"""Accounts (senders) and their API keys. A key is stored only as a hash."""

import hashlib
import secrets
from datetime import datetime, timedelta

from billing.errors import NotFound
from storage.db import Connections, stamp

KEY_PREFIX = "jk_live_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6
# last_used_at is for people, not for audits: refresh it at most this often,
# so that reads do not each become a write.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash is as strong as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


def _key_view(row: dict) -> dict:
    return {name: row[name] for name in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")}


class Accounts:
    def __init__(self, connections: Connections):
        self._conn = connections

    def ensure(self, email: str, now: datetime) -> int:
        """The id of the account with this email, created if need be."""
        email = email.strip().lower()
        with self._conn.write() as db:
            db.execute("INSERT OR IGNORE INTO accounts (email, created_at) VALUES (?, ?)", [email, stamp(now)])
            return db.execute("SELECT id FROM accounts WHERE email = ?", [email]).fetchone()[0]

    def create_key(self, account_id: int, name: str, now: datetime) -> tuple[str, dict]:
        """A new key: its secret (to show once) and its stored record."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        row = {
            "account_id": account_id,
            "name": name,
            "prefix": secret[:SHOWN_PREFIX_LENGTH],
            "secret_hash": _hash(secret),
            "created_at": stamp(now),
            "last_used_at": None,
            "revoked_at": None,
        }
        with self._conn.write() as db:
            row["id"] = db["api_keys"].insert(row).last_pk
        return secret, _key_view(row)

    def find_key(self, secret: str, now: datetime) -> tuple[int, int | None] | None:
        """(account id, key id) for a live key — the key id only when its last_used_at
        is due for a refresh (see touch_key) — or None for an unknown or revoked key.
        Only reads, so it may run on the event loop."""
        row = self._conn.db.execute(
            "SELECT id, account_id, last_used_at FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL",
            [_hash(secret)],
        ).fetchone()
        if row is None:
            return None
        key_id, account_id, last_used_at = row
        stale = last_used_at is None or last_used_at < stamp(now - LAST_USED_RESOLUTION)
        return account_id, (key_id if stale else None)

    def touch_key(self, key_id: int, now: datetime) -> None:
        with self._conn.write() as db:
            db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [stamp(now), key_id])

    def list_keys(self, account_id: int) -> list[dict]:
        rows = self._conn.db["api_keys"].rows_where("account_id = ?", [account_id], order_by="id desc")
        return [_key_view(row) for row in rows]

    def revoke_key(self, account_id: int, key_id: int, now: datetime) -> dict:
        with self._conn.write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND account_id = ?",
                [stamp(now), key_id, account_id],
            )
            rows = list(db["api_keys"].rows_where("id = ? AND account_id = ?", [key_id, account_id]))
        if not rows:
            raise NotFound(f"No API key {key_id}.", "key_id")
        return _key_view(rows[0])
