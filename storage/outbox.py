"""Notifications to senders, written in the same transaction as the change they
report, so none is ever lost; app.mailer delivers them when SMTP is configured."""

from datetime import datetime, timedelta

from sqlite_utils import Database
from storage.db import Connections, stamp, unstamp

COLUMNS = ("id", "to_address", "subject", "body", "attempts", "next_attempt_at", "last_error", "sent_at", "created_at")


def add(db: Database, account_id: int, invoice_pk: int, message: dict, now: datetime) -> None:
    """Queue `message` ({"subject", "body"}) for the account's email, inside the caller's transaction."""
    (email,) = db.execute("SELECT email FROM accounts WHERE id = ?", [account_id]).fetchone()
    db["outbox"].insert({
        "account_id": account_id, "invoice_id": invoice_pk, "created_at": stamp(now), "to_address": email,
        "subject": message["subject"], "body": message["body"], "next_attempt_at": stamp(now),
    })


class Outbox:
    def __init__(self, connections: Connections):
        self._conn = connections

    def messages(self) -> list[dict]:
        rows = self._conn.db.execute(f"SELECT {', '.join(COLUMNS)} FROM outbox ORDER BY id").fetchall()
        return [dict(zip(COLUMNS, row)) for row in rows]

    def claim_due(self, now: datetime, lease: timedelta, limit: int = 20) -> list[dict]:
        """Undelivered messages that are due, each held for `lease` so that another
        worker process does not send it too; a crashed sender's lease simply runs out."""
        with self._conn.write() as db:
            rows = db.execute(
                f"SELECT {', '.join(COLUMNS)} FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
                "ORDER BY id LIMIT ?",
                [stamp(now), limit],
            ).fetchall()
            claimed = [dict(zip(COLUMNS, row)) for row in rows]
            for message in claimed:
                db.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [stamp(now + lease), message["id"]])
        return claimed

    def delivered(self, message_id: int, now: datetime) -> None:
        with self._conn.write() as db:
            db.execute(
                "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                [stamp(now), message_id],
            )

    def failed(self, message_id: int, error: str, retry_at: datetime) -> None:
        with self._conn.write() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                [error[:500], stamp(retry_at), message_id],
            )

    def next_due(self) -> datetime | None:
        """When the earliest undelivered message is due, or None when all are sent."""
        (due,) = self._conn.db.execute("SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL").fetchone()
        return unstamp(due) if due else None
