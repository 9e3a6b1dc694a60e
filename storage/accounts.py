"""Accounts (senders) and their API keys. A key is stored only as a hash."""

import hashlib
import secrets
from datetime import datetime, timedelta

from billing.accounts import with_defaults
from billing.errors import Conflict, NotFound
from storage.engine import Tx
from storage.stamps import stamp
from storage.stored_json import parsed, written

KEY_PREFIX = "jk_live_"
TEST_KEY_PREFIX = "jk_test_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6
# last_used_at is for people, not for audits: refresh it at most this often,
# so that reads do not each become a write.
LAST_USED_RESOLUTION = timedelta(seconds=60)
ACCOUNT_COLUMNS = ("id", "email", "display_name", "created_at", "email_verified_at")
KEY_COLUMNS = "id, name, prefix, created_at, last_used_at, revoked_at"


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash is as strong as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


def _normal_email(email: str) -> str:
    return email.strip().lower()


def account_of(tx: Tx, account_id: int, *, lock: bool = False) -> dict | None:
    """The account with its seller profile (every field, unset ones at their
    defaults), inside the caller's unit of work. A test account shows its live
    account's email, name and profile: the seller is the same in both modes."""
    live_columns = ", ".join(f"live.{name}" for name in ACCOUNT_COLUMNS if name != "id")
    row = tx.one(f"SELECT a.id, a.test_of, {live_columns}, live.profile FROM accounts a "
                 "JOIN accounts live ON live.id = coalesce(a.test_of, a.id) WHERE a.id = ?"
                 f"{tx.for_update if lock else ''}", [account_id])
    if row is None:
        return None
    stored = row.pop("profile")
    livemode = row.pop("test_of") is None
    return {**row, "livemode": livemode, **with_defaults(parsed(stored) if stored else None)}


def is_test(tx: Tx, account_id: int) -> bool:
    return tx.value("SELECT test_of FROM accounts WHERE id = ?", [account_id]) is not None


def save_profile(tx: Tx, account_id: int, display_name: str | None, profile: dict) -> None:
    tx.update("accounts", {"id": account_id}, {"display_name": display_name, "profile": written(profile)})


def by_email(tx: Tx, email: str) -> dict | None:
    """The account with this email ({"id", "email", "has_password"}), or None."""
    row = tx.one("SELECT id, email, password_hash IS NOT NULL AS has_password FROM accounts WHERE email = ?",
                 [_normal_email(email)])
    return None if row is None else {**row, "has_password": bool(row["has_password"])}


def store_password(tx: Tx, account_id: int, password_hash: str) -> None:
    tx.update("accounts", {"id": account_id}, {"password_hash": password_hash})


def mark_verified(tx: Tx, account_id: int, now: datetime) -> bool:
    """Record that the account's email is proved its owner's; whether it was not before."""
    return tx.run("UPDATE accounts SET email_verified_at = ? WHERE id = ? AND email_verified_at IS NULL",
                  [stamp(now), account_id]) == 1


def both_modes(tx: Tx, account_id: int) -> list[int]:
    """The live account and, if it has one, its test account."""
    return [row["id"] for row in tx.all(f"SELECT id FROM accounts WHERE id IN {_BOTH_MODES}",
                                        [account_id, account_id])]


def revoke_keys(tx: Tx, account_id: int, now: datetime) -> int:
    """Revoke every live key of the account; how many there were."""
    return tx.run("UPDATE api_keys SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
                  [stamp(now), account_id])


def with_reminders(tx: Tx) -> list[dict]:
    """The accounts whose profile was ever saved (the only ones that may have
    reminders on), each with its profile."""
    ids = [row["id"] for row in tx.all("SELECT a.id FROM accounts a JOIN accounts live "
                                       "ON live.id = coalesce(a.test_of, a.id) "
                                       "WHERE live.profile IS NOT NULL ORDER BY a.id")]
    return [account_of(tx, account_id) for account_id in ids]


class Accounts:
    def __init__(self, db):
        self._db = db

    def ensure(self, email: str, now: datetime) -> int:
        """The id of the account with this email, created if need be. Only the server's
        command line makes accounts this way, and its operator vouches for the address:
        a new one is verified. (An existing account is left as it is.)"""
        email = _normal_email(email)
        with self._db.write() as tx:
            tx.run("INSERT INTO accounts (email, created_at, email_verified_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (email) DO NOTHING", [email, stamp(now), stamp(now)])
            return tx.value("SELECT id FROM accounts WHERE email = ?", [email])

    def register(self, email: str, password_hash: str, display_name: str | None, now: datetime) -> int:
        """A new account that signs in with a password, its email not verified yet.
        Conflict if the email is taken: an account made by `keys create` has no
        password yet, and only its owner, on the server, may give it one."""
        email = _normal_email(email)
        with self._db.write() as tx:
            created = tx.one(
                "INSERT INTO accounts (email, password_hash, display_name, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (email) DO NOTHING RETURNING id",
                [email, password_hash, display_name, stamp(now)],
            )
            if created is not None:
                return created["id"]
            if tx.value("SELECT password_hash FROM accounts WHERE email = ?", [email]) is None:
                raise Conflict(
                    "An account with this email was created from the command line and has no password yet. "
                    "Set one on the server with: jupiter-invoice accounts set-password --email " + email,
                    "email",
                )
            raise Conflict("An account with this email already exists: sign in instead. If the address is yours "
                           "but you cannot sign in, use “Forgot your password?” on the sign-in page: the link "
                           "goes to this address.", "email")

    def password_hash(self, email: str) -> tuple[int, str | None] | None:
        """(account id, stored password hash or None) for an email, or None if there is no such account."""
        with self._db.read() as tx:
            row = tx.one("SELECT id, password_hash FROM accounts WHERE email = ?", [_normal_email(email)])
        return None if row is None else (row["id"], row["password_hash"])

    def set_password(self, account_id: int, password_hash: str) -> None:
        """Store a hash of the same password (a stronger one at sign-in); a new password
        goes through workflow.account_security, which ends the account's sessions."""
        with self._db.write() as tx:
            store_password(tx, account_id, password_hash)

    def get(self, account_id: int) -> dict:
        """The account and its seller profile (see account_of)."""
        with self._db.read() as tx:
            row = account_of(tx, account_id)
        if row is None:
            raise NotFound(f"There is no account {account_id}.")
        return row

    def set_display_name(self, account_id: int, display_name: str | None) -> None:
        with self._db.write() as tx:
            tx.update("accounts", {"id": account_id}, {"display_name": display_name})

    def create_key(self, account_id: int, name: str, now: datetime, *, test: bool = False) -> tuple[str, dict]:
        """A new key: its secret (to show once) and its stored record. A test key
        belongs to the account's test account, made with its first test key."""
        secret = (TEST_KEY_PREFIX if test else KEY_PREFIX) + secrets.token_urlsafe(32)
        with self._db.write() as tx:
            row = {"account_id": _test_account(tx, account_id, now) if test else account_id, "name": name,
                   "prefix": secret[:SHOWN_PREFIX_LENGTH], "secret_hash": _hash(secret), "created_at": stamp(now)}
            return secret, _key(tx.insert("api_keys", row, returning=KEY_COLUMNS))

    def live_id(self, account_id: int) -> int:
        """The live account of a test account; a live account's own id."""
        with self._db.read() as tx:
            return _live_id(tx, account_id)

    def test_account(self, account_id: int) -> int | None:
        """The id of the account's test account, if it has one yet."""
        with self._db.read() as tx:
            return tx.value("SELECT id FROM accounts WHERE test_of = ?", [account_id])

    def find_key(self, secret: str, now: datetime) -> tuple[int, int | None] | None:
        """(account id, key id) for a key not revoked — the key id only when its last_used_at
        is due for a refresh (see touch_key) — or None for an unknown or revoked key."""
        with self._db.read() as tx:
            row = tx.one("SELECT id, account_id, last_used_at FROM api_keys "
                         "WHERE secret_hash = ? AND revoked_at IS NULL", [_hash(secret)])
        if row is None:
            return None
        stale = row["last_used_at"] is None or row["last_used_at"] < stamp(now - LAST_USED_RESOLUTION)
        return row["account_id"], (row["id"] if stale else None)

    def touch_key(self, key_id: int, now: datetime) -> None:
        with self._db.write() as tx:
            tx.update("api_keys", {"id": key_id}, {"last_used_at": stamp(now)})

    def list_keys(self, account_id: int) -> list[dict]:
        """The account's keys, live and test, newest first."""
        with self._db.read() as tx:
            return [_key(row) for row in tx.all(f"SELECT {KEY_COLUMNS} FROM api_keys WHERE account_id IN "
                                                f"{_BOTH_MODES} ORDER BY id DESC", [account_id, account_id])]

    def revoke_key(self, account_id: int, key_id: int, now: datetime) -> dict:
        with self._db.write() as tx:
            row = tx.one(
                f"UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND account_id IN "
                f"{_BOTH_MODES} RETURNING {KEY_COLUMNS}",
                [stamp(now), key_id, account_id, account_id],
            )
        if row is None:
            raise NotFound(f"No API key {key_id}.", "key_id")
        return _key(row)


# The account and its test account: the keys a signed-in sender manages.
_BOTH_MODES = "(SELECT id FROM accounts WHERE id = ? OR test_of = ?)"


def _key(row: dict) -> dict:
    return {**row, "livemode": not row["prefix"].startswith(TEST_KEY_PREFIX)}


def _live_id(tx: Tx, account_id: int) -> int:
    return tx.value("SELECT coalesce(test_of, id) FROM accounts WHERE id = ?", [account_id])


def _test_account(tx: Tx, account_id: int, now: datetime) -> int:
    """The id of the account's test account, made if need be. Its email is a name no
    one can sign up or sign in with (it has spaces and no password)."""
    live = _live_id(tx, account_id)
    tx.run("INSERT INTO accounts (email, created_at, test_of) VALUES (?, ?, ?) ON CONFLICT (test_of) DO NOTHING",
           [f"test mode of account {live}", stamp(now), live])
    return tx.value("SELECT id FROM accounts WHERE test_of = ?", [live])
