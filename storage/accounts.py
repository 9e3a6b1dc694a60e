"""Accounts (senders) and their API keys. A key is stored only as a hash."""

import hashlib
import secrets
from datetime import datetime, timedelta

from billing.errors import Conflict, NotFound
from storage.db import Connections, stamp

KEY_PREFIX = "jk_live_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6
# last_used_at is for people, not for audits: refresh it at most this often,
# so that reads do not each become a write.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash is as strong as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


ACCOUNT_COLUMNS = ("id", "email", "display_name", "created_at")


def _normal_email(email: str) -> str:
    return email.strip().lower()


def _key_view(row: dict) -> dict:
    return {name: row[name] for name in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")}


class Accounts:
    def __init__(self, connections: Connections):
        self._conn = connections

    def ensure(self, email: str, now: datetime) -> int:
        """The id of the account with this email, created if need be."""
        email = _normal_email(email)
        with self._conn.write() as db:
            db.execute("INSERT OR IGNORE INTO accounts (email, created_at) VALUES (?, ?)", [email, stamp(now)])
            return db.execute("SELECT id FROM accounts WHERE email = ?", [email]).fetchone()[0]

    def register(self, email: str, password_hash: str, display_name: str | None, now: datetime) -> int:
        """A new account that signs in with a password. Conflict if the email is taken:
        an account made by `keys create` has no password yet, and only its owner,
        on the server, may give it one (see set_password)."""
        email = _normal_email(email)
        with self._conn.write() as db:
            existing = db.execute("SELECT password_hash FROM accounts WHERE email = ?", [email]).fetchone()
            if existing is not None and existing[0] is None:
                raise Conflict(
                    "An account with this email was created from the command line and has no password yet. "
                    "Set one on the server with: jupiter-invoice accounts set-password --email " + email,
                    "email",
                )
            if existing is not None:
                raise Conflict("An account with this email already exists: sign in instead.", "email")
            row = {"email": email, "password_hash": password_hash, "display_name": display_name, "created_at": stamp(now)}
            return db["accounts"].insert(row).last_pk

    def password_hash(self, email: str) -> tuple[int, str | None] | None:
        """(account id, stored password hash or None) for an email, or None if there is no such account."""
        row = self._conn.db.execute(
            "SELECT id, password_hash FROM accounts WHERE email = ?", [_normal_email(email)]
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def set_password(self, account_id: int, password_hash: str) -> None:
        with self._conn.write() as db:
            db.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", [password_hash, account_id])

    def get(self, account_id: int) -> dict:
        row = self._conn.db.execute(
            f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM accounts WHERE id = ?", [account_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no account {account_id}.")
        return dict(zip(ACCOUNT_COLUMNS, row))

    def set_display_name(self, account_id: int, display_name: str | None) -> None:
        with self._conn.write() as db:
            db.execute("UPDATE accounts SET display_name = ? WHERE id = ?", [display_name, account_id])

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
