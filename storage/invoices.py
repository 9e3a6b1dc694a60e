"""Invoices and their immutable version history.

Every change, whoever makes it (the sender through the API, the recipient through
the share link), goes through `_write`, which records a version with who, when
and the field-level diff. Recipient actions also queue a notification to the
sender in the same transaction (storage.outbox)."""

import json
import secrets
from datetime import datetime

from billing import codes, notifications, revisions, status, versions
from billing.customers import REMEMBERED, recipient_for
from billing.errors import Conflict, NotFound
from billing.invoices import check, ensure_po_number, patched
from sqlite_utils import Database
from storage import comments, customers, outbox
from storage.db import Connections, stamp
from storage.pagination import Cursors, Page

COLUMNS = (
    "id", "account_id", "number", "customer_id", "status", "revision", "content", "share_token", "version",
    "created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at",
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM invoices"
VERSION_COLUMNS = ("version", "created_at", "actor", "action", "reverts", "changes")
# Share tokens are 32 characters; anything much longer cannot be one.
LONGEST_TOKEN = 100
NO_SUCH_LINK = "There is no invoice at this link; check that the whole share link was copied."


def _record(row) -> dict:
    record = dict(zip(COLUMNS, row))
    record["pk"] = record.pop("id")
    record["content"] = json.loads(record["content"])
    return record


def _totals_columns(content: dict, blame: str = "issue_date") -> dict:
    totals = check(content, blame=blame)
    return {
        "subtotal_cents": totals.subtotal,
        "discount_cents": totals.discount,
        "tax_cents": totals.tax,
        "total_cents": totals.total,
    }


def _blame(fields) -> str:
    """The date to name when the dates end up out of order: the one that was changed."""
    return "due_date" if "due_date" in fields and "issue_date" not in fields else "issue_date"


def _state(record: dict) -> dict:
    return versions.snapshot(record["status"], record["content"], record["revision"])


def _add_version(db: Database, record: dict, before: dict | None, now: datetime, actor: str, action: str,
                 noted: tuple = (), reverts: int | None = None) -> list[dict]:
    after = _state(record)
    changes = (versions.changes(before, after) if before else []) + list(noted)
    db["invoice_versions"].insert({
        "invoice_id": record["pk"],
        "version": record["version"],
        "created_at": stamp(now),
        "actor": actor,
        "action": action,
        "changes": json.dumps(changes),
        "snapshot": json.dumps(after),
        "reverts": reverts,
    })
    return changes


def _version(row) -> dict:
    entry = dict(zip(VERSION_COLUMNS, row))
    entry["changes"] = json.loads(entry["changes"])
    return entry


def _tell_sender(db: Database, record: dict, action: str, changes: list[dict], now: datetime) -> None:
    message = notifications.recipient_activity(
        record["number"], record["content"]["recipient"], action, record["version"], changes
    )
    outbox.add(db, record["account_id"], record["pk"], message, now)


class Invoices:
    def __init__(self, connections: Connections, cursors: Cursors):
        self._conn = connections
        self._cursors = cursors

    def _row(self, db: Database, account_id: int, number: str) -> dict:
        row = db.execute(f"{SELECT} WHERE account_id = ? AND number = ?", [account_id, number]).fetchone()
        if row is None:
            raise NotFound(f"There is no invoice {number}.", "number")
        return _record(row)

    def create(self, account_id: int, content: dict, now: datetime, customer_id: int | None = None) -> dict:
        """Store a new draft, numbered CODE-NNNN from its customer's own sequence."""
        with self._conn.write() as db:
            customer = customers.for_invoice(db, account_id, customer_id, content["recipient"], now)
            content = {**content, "recipient": recipient_for(customer, content["recipient"])}
            sequence = customers.take_number(db, customer["id"])
            row = {
                "account_id": account_id,
                "customer_id": customer["id"],
                "number": codes.invoice_number(customer["code"], sequence),
                "status": status.DRAFT,
                "content": json.dumps(content),
                **_totals_columns(content),
                "share_token": secrets.token_urlsafe(24),
                "version": 1,
                "created_at": stamp(now),
                "updated_at": stamp(now),
            }
            db["invoices"].insert(row)
            record = self._row(db, account_id, row["number"])
            _add_version(db, record, None, now, "sender", "create")
        return record

    def get(self, account_id: int, number: str) -> dict:
        return self._row(self._conn.db, account_id, number)

    def list(self, account_id: int, limit: int, cursor: str | None, *,
             status_is: str | None = None, customer_id: int | None = None) -> Page:
        before = self._cursors.decode("invoices", cursor) if cursor else None
        rows = self._conn.db.execute(
            f"""{SELECT} WHERE account_id = ? AND id < coalesce(?, 9223372036854775807)
                AND status = coalesce(?, status) AND customer_id = coalesce(?, customer_id)
                ORDER BY id DESC LIMIT ?""",
            [account_id, before, status_is, customer_id, limit + 1],
        ).fetchall()
        return self._cursors.page("invoices", [_record(row) for row in rows], limit, lambda r: r["pk"])

    def versions(self, invoice_pk: int, limit: int, cursor: str | None) -> Page:
        """An invoice's versions, newest first."""
        before = self._cursors.decode("versions", cursor) if cursor else None
        rows = self._conn.db.execute(
            f"""SELECT {', '.join(VERSION_COLUMNS)} FROM invoice_versions
                WHERE invoice_id = ? AND version < coalesce(?, 9223372036854775807)
                ORDER BY version DESC LIMIT ?""",
            [invoice_pk, before, limit + 1],
        ).fetchall()
        return self._cursors.page("versions", [_version(row) for row in rows], limit, lambda v: v["version"])

    # ------------------------------------------------------------ the sender's changes

    def update(self, account_id: int, number: str, patch: dict, now: datetime) -> dict:
        """Apply a PATCH to an unlocked invoice; a change that changes nothing is not a version."""
        with self._conn.write() as db:
            record = self._row(db, account_id, number)
            status.ensure_editable(record["status"], number)
            content = patched(record["content"], patch)
            if content == record["content"]:
                return record
            return self._change_content(db, record, content, now, "sender", "update", blame=_blame(patch))[0]

    def act(self, account_id: int, number: str, action: str, now: datetime) -> dict:
        """Move an invoice through the status machine (send, void, mark_paid)."""
        with self._conn.write() as db:
            return self._transition(db, self._row(db, account_id, number), action, now, "sender")[0]

    def comment(self, account_id: int, number: str, body: str, now: datetime) -> dict:
        """The sender's comment. Locked invoices may still be discussed."""
        with self._conn.write() as db:
            return self._comment(db, self._row(db, account_id, number), now, "sender", None, body)

    def revert(self, account_id: int, number: str, version: int, now: datetime) -> dict:
        """Put back only the fields version `version` changed, as a new version."""
        with self._conn.write() as db:
            record = self._row(db, account_id, number)
            status.ensure_editable(record["status"], number)
            row = db.execute(
                "SELECT action, changes FROM invoice_versions WHERE invoice_id = ? AND version = ?",
                [record["pk"], version],
            ).fetchone()
            if row is None:
                raise NotFound(
                    f"Invoice {number} has no version {version}; its versions are 1 to {record['version']}.", "version"
                )
            action, recorded = row[0], json.loads(row[1])
            content = versions.reverted(record["content"], version, action, recorded)
            touched = [change["field"] for change in recorded]
            return self._change_content(
                db, record, content, now, "sender", "revert", blame=_blame(touched), reverts=version
            )[0]

    # ------------------------------------------------------------ the recipient's side

    def _shared(self, db: Database, token: str) -> dict:
        row = None
        if len(token) <= LONGEST_TOKEN:
            row = db.execute(f"{SELECT} WHERE share_token = ?", [token]).fetchone()
        if row is None:
            raise NotFound(NO_SUCH_LINK, "token")
        return _record(row)

    def shared(self, token: str) -> dict:
        return self._shared(self._conn.db, token)

    def view(self, token: str, now: datetime) -> dict:
        """The invoice behind a share link; opening it moves a draft or sent invoice to viewed."""
        record = self._shared(self._conn.db, token)
        if not status.can("view", record["status"]):
            return record  # the usual case: no write at all
        with self._conn.write() as db:
            record = self._shared(db, token)
            if status.can("view", record["status"]):
                record = self._transition(db, record, "view", now, "recipient")[0]
        return record

    def amend(self, token: str, patch: dict, now: datetime) -> dict:
        """The recipient's corrections (PO number, billing details). Corrected billing
        details also update the customer, so that its next invoice carries them."""
        with self._conn.write() as db:
            record = self._shared(db, token)
            status.ensure_editable(record["status"], record["number"])
            content = patched(record["content"], patch)
            if content == record["content"]:
                return record
            updated, changes = self._change_content(db, record, content, now, "recipient", "amend")
            before, after = record["content"]["recipient"], content["recipient"]
            corrections = {name: after[name] for name in REMEMBERED if after[name] != before[name]}
            if corrections:
                customers.remember(db, record["customer_id"], corrections, now)
            _tell_sender(db, updated, "amend", changes, now)
            return updated

    def comment_shared(self, token: str, author_name: str | None, body: str, now: datetime) -> dict:
        with self._conn.write() as db:
            return self._comment(db, self._shared(db, token), now, "recipient", author_name, body)

    def request_changes(self, token: str, body: str, now: datetime) -> dict:
        """The recipient asks for changes, saying what in a comment on the thread."""
        with self._conn.write() as db:
            record = self._shared(db, token)
            noted = (versions.comment_change(None, body),)
            updated, changes = self._transition(db, record, "request_changes", now, "recipient", noted)
            comments.add(db, record["pk"], updated["version"], now, "recipient", None, body)
            _tell_sender(db, updated, "request_changes", changes, now)
            return updated

    def approve(self, token: str, now: datetime, revision: int | None = None) -> dict:
        """The recipient approves the current revision, which locks the invoice."""
        with self._conn.write() as db:
            record = self._shared(db, token)
            status.transition("approve", record["status"], record["number"])
            if revision is not None and revision != record["revision"]:
                raise Conflict(
                    f"Invoice {record['number']} is at revision {record['revision']}, not revision {revision} "
                    "that you reviewed: the sender has changed it since. Review it again, then approve.",
                    "revision",
                )
            ensure_po_number(record["content"], customers.of_invoice(db, record["customer_id"]), record["number"])
            updated, changes = self._transition(db, record, "approve", now, "recipient")
            _tell_sender(db, updated, "approve", changes, now)
            return updated

    # ------------------------------------------------------------ one way to write

    def _comment(self, db: Database, record: dict, now: datetime, actor: str, author_name: str | None, body: str) -> dict:
        """A comment is a version too, so the history tells the whole conversation."""
        noted = (versions.comment_change(author_name, body),)
        updated, changes = self._write(db, record, {}, now, actor, "comment", noted=noted)
        comment = comments.add(db, record["pk"], updated["version"], now, actor, author_name, body)
        if actor == "recipient":
            _tell_sender(db, updated, "comment", changes, now)
        return comment

    def _transition(self, db: Database, record: dict, action: str, now: datetime, actor: str,
                    noted: tuple = ()) -> tuple[dict, list]:
        target = status.transition(action, record["status"], record["number"])
        columns = {"status": target}
        if target in status.TIMESTAMPS:
            columns[status.TIMESTAMPS[target]] = stamp(now)
        return self._write(db, record, columns, now, actor, action, noted=noted)

    def _change_content(self, db: Database, record: dict, content: dict, now: datetime, actor: str, action: str,
                        *, blame: str = "issue_date", reverts: int | None = None) -> tuple[dict, list]:
        """New content; a financial change to an invoice the recipient may have seen
        starts a new revision, back in `sent`, to be viewed and approved afresh."""
        columns = {"content": content, **_totals_columns(content, blame)}
        fields = [change["field"] for change in versions.changes(record["content"], content)]
        target, revision = revisions.after_change(record["status"], record["revision"], fields)
        if revision != record["revision"]:
            columns |= {"status": target, "revision": revision, "sent_at": stamp(now), "viewed_at": None}
        return self._write(db, record, columns, now, actor, action, reverts=reverts)

    def _write(self, db: Database, record: dict, columns: dict, now: datetime, actor: str, action: str,
               *, noted: tuple = (), reverts: int | None = None) -> tuple[dict, list]:
        """Apply `columns`, count a version and record it; (the new record, its changes)."""
        columns = {**columns, "version": record["version"] + 1, "updated_at": stamp(now)}
        if "content" in columns:
            columns["content"] = json.dumps(columns["content"])
        db["invoices"].update(record["pk"], columns)
        updated = _record(db.execute(f"{SELECT} WHERE id = ?", [record["pk"]]).fetchone())
        changes = _add_version(db, updated, _state(record), now, actor, action, noted, reverts)
        return updated, changes
