"""Email waiting to leave, written in the same unit of work as the change it
reports, so none is ever lost; app.mailer delivers it when SMTP is configured."""

from datetime import datetime, timedelta

from storage.engine import Tx
from storage.stamps import stamp, unstamp

COLUMNS = "id, to_address, subject, body, attempts, next_attempt_at, last_error, sent_at, created_at"


def add(tx: Tx, account_id: int, invoice_pk: int, message: dict, now: datetime) -> None:
    """Queue `message` ({"subject", "body"}) for the account's email, inside the caller's unit of work."""
    email = tx.value("SELECT email FROM accounts WHERE id = ?", [account_id])
    tx.insert("outbox", {
        "account_id": account_id, "invoice_id": invoice_pk, "created_at": stamp(now), "to_address": email,
        "subject": message["subject"], "body": message["body"], "next_attempt_at": stamp(now),
    }, returning="id")


class Outbox:
    def __init__(self, db):
        self._db = db

    def messages(self) -> list[dict]:
        with self._db.read() as tx:
            return tx.all(f"SELECT {COLUMNS} FROM outbox ORDER BY id")

    def claim_due(self, now: datetime, lease: timedelta, limit: int = 20) -> list[dict]:
        """Undelivered messages that are due, each leased for `lease` so that no other
        worker or server sends it too (rows another claimer holds are skipped, not
        waited for); a crashed sender's lease simply runs out."""
        with self._db.write() as tx:
            claimed = tx.all(
                f"SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
                f"ORDER BY id LIMIT ?{tx.skip_locked}",
                [stamp(now), limit],
            )
            for message in claimed:
                tx.update("outbox", {"id": message["id"]}, {"next_attempt_at": stamp(now + lease)})
        return claimed

    def delivered(self, message_id: int, now: datetime) -> None:
        with self._db.write() as tx:
            tx.run("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                   [stamp(now), message_id])

    def failed(self, message_id: int, error: str, retry_at: datetime) -> None:
        with self._db.write() as tx:
            tx.run("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   [error[:500], stamp(retry_at), message_id])

    def next_due(self) -> datetime | None:
        """When the earliest undelivered message is due, or None when all are sent."""
        with self._db.read() as tx:
            due = tx.value("SELECT min(next_attempt_at) AS due FROM outbox WHERE sent_at IS NULL")
        return unstamp(due) if due else None
