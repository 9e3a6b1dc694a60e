"""Invoices and their immutable version history."""

import json
import secrets
from datetime import datetime

from billing import codes, status, versions
from billing.customers import recipient_for
from billing.errors import NotFound
from billing.invoices import check, patched
from sqlite_utils import Database
from storage import customers
from storage.db import Connections, stamp
from storage.pagination import Cursors, Page

COLUMNS = (
    "id", "number", "customer_id", "status", "content", "share_token", "version",
    "created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at",
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM invoices"


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


def _add_version(db: Database, record: dict, before: dict | None, now: datetime, actor: str, action: str) -> None:
    after = versions.snapshot(record["status"], record["content"])
    db["invoice_versions"].insert({
        "invoice_id": record["pk"],
        "version": record["version"],
        "created_at": stamp(now),
        "actor": actor,
        "action": action,
        "changes": json.dumps(versions.changes(before, after) if before else []),
        "snapshot": json.dumps(after),
    })


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

    def update(self, account_id: int, number: str, patch: dict, now: datetime, actor: str = "sender") -> dict:
        """Apply a PATCH to an unlocked invoice; a change that changes nothing is not a version."""
        with self._conn.write() as db:
            record = self._row(db, account_id, number)
            status.ensure_editable(record["status"], number)
            content = patched(record["content"], patch)
            if content == record["content"]:
                return record
            blame = "due_date" if "due_date" in patch and "issue_date" not in patch else "issue_date"
            return self._write(db, record, {"content": content, **_totals_columns(content, blame)}, now, actor, "update")

    def act(self, account_id: int, number: str, action: str, now: datetime, actor: str = "sender") -> dict:
        """Move an invoice through the status machine (send, void, mark_paid, …)."""
        with self._conn.write() as db:
            record = self._row(db, account_id, number)
            target = status.transition(action, record["status"], number)
            changes = {"status": target}
            if target in status.TIMESTAMPS:
                changes[status.TIMESTAMPS[target]] = stamp(now)
            return self._write(db, record, changes, now, actor, action)

    def _write(self, db: Database, record: dict, changes: dict, now: datetime, actor: str, action: str) -> dict:
        before = versions.snapshot(record["status"], record["content"])
        columns = {**changes, "version": record["version"] + 1, "updated_at": stamp(now)}
        if "content" in columns:
            columns["content"] = json.dumps(columns["content"])
        db["invoices"].update(record["pk"], columns)
        updated = _record(db.execute(f"{SELECT} WHERE id = ?", [record["pk"]]).fetchone())
        _add_version(db, updated, before, now, actor, action)
        return updated
