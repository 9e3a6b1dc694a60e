"""Customers, their codes and their invoice-number counters."""

import json
from datetime import datetime

from billing import codes
from billing.customers import CUSTOMER_FIELDS, from_recipient, match_key, normal_customer
from billing.errors import Conflict, NotFound, UnprocessableEntity
from sqlite_utils import Database
from storage.db import Connections, stamp
from storage.pagination import Cursors, Page

COLUMNS = "id, code, fields, created_at, updated_at"


def _record(row) -> dict:
    customer_id, code, fields, created_at, updated_at = row
    return {"id": customer_id, "code": code, **json.loads(fields), "created_at": created_at, "updated_at": updated_at}


def _email(fields: dict) -> str | None:
    return (fields.get("contact") or {}).get("email")


def _unused_code(db: Database, account_id: int, fields: dict) -> str:
    for code in codes.candidates(codes.base_code(fields.get("company"), _email(fields))):
        taken = db.execute("SELECT 1 FROM customers WHERE account_id = ? AND code = ?", [account_id, code]).fetchone()
        if not taken:
            return code
    raise AssertionError("unreachable: candidates() never ends")


def _by_id(db: Database, account_id: int, customer_id: int):
    return db.execute(
        f"SELECT {COLUMNS} FROM customers WHERE id = ? AND account_id = ?", [customer_id, account_id]
    ).fetchone()


def _by_company(db: Database, account_id: int, company: str):
    return db.execute(
        f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND company_key = ? ORDER BY id LIMIT 1",
        [account_id, match_key(company)],
    ).fetchone()


def _by_email(db: Database, account_id: int, email: str):
    return db.execute(
        f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND email_key = ? ORDER BY id LIMIT 1",
        [account_id, match_key(email)],
    ).fetchone()


def insert(db: Database, account_id: int, fields: dict, now: datetime) -> dict:
    """Add a customer inside the caller's write transaction."""
    row = {
        "account_id": account_id,
        "code": _unused_code(db, account_id, fields),
        "company_key": match_key(fields.get("company")),
        "email_key": match_key(_email(fields)),
        "fields": json.dumps(fields),
        "created_at": stamp(now),
        "updated_at": stamp(now),
    }
    customer_id = db["customers"].insert(row).last_pk
    return _record(_by_id(db, account_id, customer_id))


def for_invoice(db: Database, account_id: int, customer_id: int | None, recipient: dict, now: datetime) -> dict:
    """The customer a new invoice bills: the one named by id, else the one with the
    recipient's company (or, lacking one, email), else a new one made from the recipient."""
    if customer_id is not None:
        row = _by_id(db, account_id, customer_id)
        if row is None:
            raise UnprocessableEntity(f"There is no customer {customer_id} in this account.", "customer_id")
        return _record(row)
    company, email = recipient.get("company"), recipient.get("email")
    row = _by_company(db, account_id, company) if company else _by_email(db, account_id, email)
    return _record(row) if row else insert(db, account_id, from_recipient(recipient), now)


def take_number(db: Database, customer_id: int) -> int:
    """The customer's next invoice sequence number, consumed. Call it inside a
    write transaction: BEGIN IMMEDIATE serialises every process on this counter."""
    (number,) = db.execute(
        "UPDATE customers SET next_number = next_number + 1 WHERE id = ? RETURNING next_number - 1", [customer_id]
    ).fetchone()
    return number


class Customers:
    def __init__(self, connections: Connections, cursors: Cursors):
        self._conn = connections
        self._cursors = cursors

    def create(self, account_id: int, fields: dict, now: datetime) -> dict:
        with self._conn.write() as db:
            _ensure_company_free(db, account_id, fields.get("company"))
            return insert(db, account_id, fields, now)

    def update(self, account_id: int, customer_id: int, changes: dict, now: datetime) -> dict:
        """Replace the fields given; the code, and so every invoice number, stays."""
        with self._conn.write() as db:
            row = _by_id(db, account_id, customer_id)
            if row is None:
                raise NotFound(f"There is no customer {customer_id}.", "id")
            current = _record(row)
            fields = normal_customer({name: current[name] for name in CUSTOMER_FIELDS} | changes)
            _ensure_company_free(db, account_id, fields.get("company"), customer_id)
            _save(db, customer_id, fields, now)
            return _record(_by_id(db, account_id, customer_id))

    def get(self, account_id: int, customer_id: int) -> dict:
        row = _by_id(self._conn.db, account_id, customer_id)
        if row is None:
            raise NotFound(f"There is no customer {customer_id}.", "id")
        return _record(row)

    def list(self, account_id: int, limit: int, cursor: str | None) -> Page:
        before = self._cursors.decode("customers", cursor) if cursor else None
        rows = self._conn.db.execute(
            f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND id < coalesce(?, 9223372036854775807) ORDER BY id DESC LIMIT ?",
            [account_id, before, limit + 1],
        ).fetchall()
        return self._cursors.page("customers", [_record(row) for row in rows], limit, lambda c: c["id"])


def _save(db: Database, customer_id: int, fields: dict, now: datetime) -> None:
    db.execute(
        "UPDATE customers SET fields = ?, company_key = ?, email_key = ?, updated_at = ? WHERE id = ?",
        [json.dumps(fields), match_key(fields.get("company")), match_key(_email(fields)), stamp(now), customer_id],
    )


def _ensure_company_free(db: Database, account_id: int, company: str | None, customer_id: int | None = None) -> None:
    existing = _by_company(db, account_id, company) if company else None
    if existing and existing[0] != customer_id:
        found = _record(existing)
        raise Conflict(
            f"Customer {found['id']} ({found['code']}) already has the company {found['company']!r}; "
            "use its id instead of creating a second one.",
            "company",
        )


def of_invoice(db: Database, customer_id: int) -> dict:
    """The customer an invoice bills (the invoice already proves whose it is)."""
    return _record(db.execute(f"SELECT {COLUMNS} FROM customers WHERE id = ?", [customer_id]).fetchone())


def remember(db: Database, customer_id: int, corrections: dict, now: datetime) -> None:
    """Fold a recipient's corrections into the customer inside the caller's write
    transaction, so that the customer's next invoice carries them."""
    (fields,) = db.execute("SELECT fields FROM customers WHERE id = ?", [customer_id]).fetchone()
    _save(db, customer_id, {**json.loads(fields), **corrections}, now)
