"""Single-use links emailed to an account's own address (to verify it, to reset
the password). The link carries a random token; only its hash is kept. A used or
expired token stays a while, so that its page can say which it was."""

from datetime import datetime, timedelta

from storage.engine import Tx
from storage.stamps import stamp
from storage.tokens import digest, new_token

KEPT_AFTER_EXPIRY = timedelta(days=7)
COLUMNS = "account_id, purpose, created_at, expires_at, used_at"


def issue(tx: Tx, account_id: int, purpose: str, now: datetime, lifetime: timedelta) -> str:
    """A new token for `purpose`, inside the caller's unit of work; the token for the link."""
    tx.run("DELETE FROM account_tokens WHERE expires_at <= ?", [stamp(now - KEPT_AFTER_EXPIRY)])
    token = new_token()
    tx.insert("account_tokens", {"token_hash": digest(token), "account_id": account_id, "purpose": purpose,
                                 "created_at": stamp(now), "expires_at": stamp(now + lifetime)},
              returning="token_hash")
    return token


def find(tx: Tx, token: str, purpose: str, *, lock: bool = False) -> dict | None:
    return tx.one(f"SELECT {COLUMNS} FROM account_tokens WHERE token_hash = ? AND purpose = ?"
                  f"{tx.for_update if lock else ''}", [digest(token), purpose])


def use(tx: Tx, token: str, now: datetime) -> None:
    tx.run("UPDATE account_tokens SET used_at = ? WHERE token_hash = ?", [stamp(now), digest(token)])


def drop_unused(tx: Tx, account_id: int, purpose: str) -> None:
    """Forget the account's unused tokens for `purpose`: their links open nothing any more."""
    tx.run("DELETE FROM account_tokens WHERE account_id = ? AND purpose = ? AND used_at IS NULL",
           [account_id, purpose])
