"""Browser sessions of signed-in senders. The browser holds a random token; the
database holds only its hash, so a copy of the database signs no one in."""

from datetime import datetime, timedelta

from storage.accounts import ACCOUNT_COLUMNS
from storage.engine import Tx
from storage.stamps import stamp
from storage.tokens import digest, new_token


def end_all(tx: Tx, account_id: int) -> int:
    """End every session of the account, inside the caller's unit of work; how many."""
    return tx.run("DELETE FROM web_sessions WHERE account_id = ?", [account_id])


class Sessions:
    def __init__(self, db):
        self._db = db

    def start(self, account_id: int, now: datetime, lifetime: timedelta) -> str:
        """A new session for the account; returns the token for the cookie."""
        token = new_token()
        with self._db.write() as tx:
            tx.run("DELETE FROM web_sessions WHERE expires_at <= ?", [stamp(now)])  # sweep while writing anyway
            tx.run("INSERT INTO web_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [digest(token), account_id, stamp(now), stamp(now + lifetime)])
        return token

    def account(self, token: str, now: datetime) -> dict | None:
        """The account a live session belongs to, or None for an unknown, ended or expired one."""
        columns = ", ".join(f"accounts.{name}" for name in ACCOUNT_COLUMNS)
        with self._db.read() as tx:
            return tx.one(
                f"""SELECT {columns} FROM web_sessions JOIN accounts ON accounts.id = web_sessions.account_id
                    WHERE web_sessions.token_hash = ? AND web_sessions.expires_at > ?""",
                [digest(token), stamp(now)],
            )

    def end(self, token: str) -> None:
        with self._db.write() as tx:
            tx.run("DELETE FROM web_sessions WHERE token_hash = ?", [digest(token)])
