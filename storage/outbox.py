"""Email waiting to leave, written in the same unit of work as the change it
reports, so none is ever lost; app.mailer delivers it when SMTP is configured.

Three kinds of mail wait here: notifications to the sender (kind `notification`),
mail to the recipient (`invoice`, `comment`, `reminder`), which may have a cc, a
reply-to and an attachment, and mail about the account itself, with no invoice
(`verification`, `password_reset`: the links that prove the address is its
owner's). Until an account's address is verified only that last kind leaves; the
rest of its mail is held, and goes once the address is verified.

An attachment is stored as what to render (`{"invoice_id", "version"}`: the
invoice as it was sent), not as bytes: the row stays small and the unit of work
that queues it stays quick.

Mail of a test account is kept (`kept_at`), never due: shown, never delivered."""

from datetime import datetime, timedelta

from storage.accounts import is_test
from storage.engine import Tx
from storage.stamps import stamp, unstamp
from storage.stored_json import parsed, written

COLUMNS = ("id, invoice_id, kind, to_address, cc_address, reply_to, subject, body, attachment, attempts, "
           "next_attempt_at, last_error, sent_at, created_at")
# A message given up on is "retried" at the end of time (app.mailer.NEVER).
GIVEN_UP = "9999"
ACCOUNT_MAIL = ("verification", "password_reset")
_ACCOUNT_KINDS = ", ".join(repr(kind) for kind in ACCOUNT_MAIL)
# Which messages may leave now: see the module's docstring.
DELIVERABLE = (f"(kind IN ({_ACCOUNT_KINDS}) OR account_id IN "
               "(SELECT id FROM accounts WHERE email_verified_at IS NOT NULL))")
# Mail about the account carries a single-use link: it is kept only while it waits
# to leave, so that a copy of the database holds no link that still works.
LINK_REMOVED = "(This email carried a single-use link, which is not kept once the email is sent.)\n"


def state_sql(message_id: str) -> str:
    """SQL for the state of the message whose id is the column `message_id`:
    'sent', 'failed' (given up), 'kept' (test mode) or 'queued' (waiting or being
    retried); NULL for none."""
    return (f"(SELECT CASE WHEN outbox.sent_at IS NOT NULL THEN 'sent' WHEN outbox.kept_at IS NOT NULL THEN 'kept' "
            f"WHEN outbox.next_attempt_at >= '{GIVEN_UP}' THEN 'failed' ELSE 'queued' END "
            f"FROM outbox WHERE outbox.id = {message_id})")


def state(tx: Tx, message_id: int) -> str:
    """The state (see state_sql) of one message, inside the caller's unit of work."""
    return tx.value(f"SELECT {state_sql('?')} AS state", [message_id])


def _message(row: dict) -> dict:
    return {**row, "attachment": parsed(row["attachment"]) if row["attachment"] else None}


def _when_due(tx: Tx, account_id: int, now: datetime) -> dict:
    """The columns that say when a new message of the account's goes: now, or never (test mode)."""
    if is_test(tx, account_id):
        return {"kept_at": stamp(now), "next_attempt_at": GIVEN_UP}
    return {"next_attempt_at": stamp(now)}


def add(tx: Tx, account_id: int, invoice_pk: int | None, message: dict, now: datetime,
        kind: str = "notification") -> None:
    """Queue `message` ({"subject", "body"}) for the account's email (a test account's
    live one), inside the caller's unit of work."""
    email = tx.value("SELECT live.email FROM accounts a JOIN accounts live ON live.id = coalesce(a.test_of, a.id) "
                     "WHERE a.id = ?", [account_id])
    tx.insert("outbox", {
        "account_id": account_id, "invoice_id": invoice_pk, "kind": kind, "created_at": stamp(now),
        "to_address": email, "subject": message["subject"], "body": message["body"], **_when_due(tx, account_id, now),
    }, returning="id")


def queue(tx: Tx, account_id: int, invoice_pk: int, kind: str, to: list[str], cc: list[str],
          reply_to: str | None, message: dict, now: datetime, attachment: dict | None = None) -> int:
    """Queue mail to the recipient inside the caller's unit of work; its id."""
    return tx.insert("outbox", {
        "account_id": account_id, "invoice_id": invoice_pk, "kind": kind, "created_at": stamp(now),
        "to_address": ", ".join(to), "cc_address": ", ".join(cc) or None, "reply_to": reply_to,
        "subject": message["subject"], "body": message["body"],
        "attachment": written(attachment) if attachment else None, **_when_due(tx, account_id, now),
    }, returning="id")["id"]


class Outbox:
    def __init__(self, db):
        self._db = db

    def messages(self) -> list[dict]:
        with self._db.read() as tx:
            return [_message(row) for row in tx.all(f"SELECT {COLUMNS} FROM outbox ORDER BY id")]

    def kept(self, account_id: int, limit: int) -> list[dict]:
        """A test account's latest kept mail, newest first."""
        with self._db.read() as tx:
            return [_message(row) for row in tx.all(
                f"SELECT {COLUMNS}, kept_at FROM outbox WHERE account_id = ? AND kept_at IS NOT NULL "
                "ORDER BY id DESC LIMIT ?", [account_id, limit])]

    def claim_due(self, now: datetime, lease: timedelta, limit: int = 20) -> list[dict]:
        """Undelivered messages that are due, each leased for `lease` so that no other
        worker or server sends it too (rows another claimer holds are skipped, not
        waited for); a crashed sender's lease simply runs out."""
        with self._db.write() as tx:
            claimed = tx.all(
                f"SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? AND {DELIVERABLE} "
                f"ORDER BY id LIMIT ?{tx.skip_locked}",
                [stamp(now), limit],
            )
            for message in claimed:
                tx.update("outbox", {"id": message["id"]}, {"next_attempt_at": stamp(now + lease)})
        return [_message(message) for message in claimed]

    def delivered(self, message_id: int, now: datetime) -> None:
        with self._db.write() as tx:
            tx.run("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL, "
                   f"body = CASE WHEN kind IN ({_ACCOUNT_KINDS}) THEN ? ELSE body END WHERE id = ?",
                   [stamp(now), LINK_REMOVED, message_id])

    def failed(self, message_id: int, error: str, retry_at: datetime) -> None:
        with self._db.write() as tx:
            tx.run("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   [error[:500], stamp(retry_at), message_id])

    def next_due(self) -> datetime | None:
        """When the earliest undelivered message is due, or None when all are sent (or held)."""
        with self._db.read() as tx:
            due = tx.value(f"SELECT min(next_attempt_at) AS due FROM outbox WHERE sent_at IS NULL AND kept_at IS NULL "
                           f"AND {DELIVERABLE}")
        return unstamp(due) if due else None
