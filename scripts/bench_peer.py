"""The peer the benchmark measures our API against, in the same run: the service
a team would typically write with FastAPI, pydantic v2 and sqlite3 (psycopg on
PostgreSQL) for the same create, get and list of invoices, with the same JSON
shapes, bearer-key lookup and gapless per-customer numbering in a transaction.

Like most such services it runs SQLite with synchronous=NORMAL (a commit is not
fsynced: a power cut may lose the last ones acknowledged); ours keeps FULL.

BENCH_DB: its own SQLite file or PostgreSQL URL. BENCH_KEY: the bearer key it
accepts (stored, as ours is, only as a SHA-256 hash)."""

import base64
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

DB = os.environ["BENCH_DB"]
ON_POSTGRES = DB.startswith(("postgresql://", "postgres://"))
PUBLIC_URL = os.environ.get("BENCH_PUBLIC_URL", "http://127.0.0.1:8743")
CURSOR_SECRET = b"peer-cursor-secret"
SYNCHRONOUS = "NORMAL"

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS api_keys (hash TEXT PRIMARY KEY, account_id INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS customers (id {id}, account_id INTEGER NOT NULL, code TEXT NOT NULL,
       company_key TEXT NOT NULL, next_number INTEGER NOT NULL DEFAULT 1, UNIQUE (account_id, company_key))""",
    """CREATE TABLE IF NOT EXISTS invoices (id {id}, account_id INTEGER NOT NULL, customer_id INTEGER NOT NULL,
       number TEXT NOT NULL, status TEXT NOT NULL, content TEXT NOT NULL, total_cents BIGINT NOT NULL,
       share_token TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (account_id, number))""",
    # The list's keyset order, as ours has it: without it SQLite sorts the account's every invoice per page.
    "CREATE INDEX IF NOT EXISTS invoices_account ON invoices (account_id, id)",
]


class Database:
    """A connection per thread on SQLite, a pool on PostgreSQL; `?` placeholders either way."""

    def __init__(self, url: str):
        self._local = threading.local()
        self._pool = None
        if ON_POSTGRES:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(url, min_size=1, max_size=10, open=True, kwargs={"autocommit": True})
        with self.transaction() as conn:
            if ON_POSTGRES:
                conn.execute("SELECT pg_advisory_xact_lock(43)")  # worker processes start together
            for statement in SCHEMA:
                id_column = "BIGSERIAL PRIMARY KEY" if ON_POSTGRES else "INTEGER PRIMARY KEY AUTOINCREMENT"
                conn.execute(statement.format(id=id_column))
            key = os.environ.get("BENCH_KEY")
            if key:
                conn.execute(self.sql("INSERT INTO api_keys (hash, account_id) VALUES (?, 1) ON CONFLICT DO NOTHING"),
                             [hashlib.sha256(key.encode()).hexdigest()])

    @staticmethod
    def sql(text: str) -> str:
        return text.replace("?", "%s") if ON_POSTGRES else text

    def _sqlite(self) -> sqlite3.Connection:
        if not hasattr(self._local, "conn"):
            conn = sqlite3.connect(DB, isolation_level=None, check_same_thread=False, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            self._local.conn = conn
        return self._local.conn

    def fetch(self, text: str, params=()) -> list[dict]:
        if self._pool is not None:
            from psycopg.rows import dict_row

            with self._pool.connection() as conn:
                return conn.cursor(row_factory=dict_row).execute(self.sql(text), params).fetchall()
        return [dict(row) for row in self._sqlite().execute(text, params)]

    def transaction(self):
        return _PostgresTransaction(self._pool) if self._pool is not None else _SqliteTransaction(self._sqlite())


class _SqliteTransaction:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, error, trace):
        self.conn.execute("ROLLBACK" if kind else "COMMIT")

    def execute(self, text, params=()):
        return self.conn.execute(text, params)


class _PostgresTransaction:
    def __init__(self, pool):
        self._pool = pool

    def __enter__(self):
        from psycopg.rows import dict_row

        self._connection = self._pool.connection()
        conn = self._connection.__enter__()
        self._transaction = conn.transaction()
        self._transaction.__enter__()
        self._cursor = conn.cursor(row_factory=dict_row)
        return self

    def __exit__(self, kind, error, trace):
        self._transaction.__exit__(kind, error, trace)
        self._connection.__exit__(kind, error, trace)

    def execute(self, text, params=()):
        return self._cursor.execute(Database.sql(text), params)


db = Database(DB)
app = FastAPI(title="peer")


# ------------------------------------------------------------ models

class Recipient(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str | None = Field(None, max_length=200)
    address: dict | None = None
    billing_entity: str | None = Field(None, max_length=200)
    ap_contact: dict | None = None
    tax_id: str | None = Field(None, max_length=50)


class LineItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1, max_length=500)
    quantity: Decimal = Field(gt=0, le=1_000_000, decimal_places=4)
    unit_price_cents: int = Field(ge=-1_000_000_000_000, le=1_000_000_000_000)


class Discount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["percent", "flat"]
    value: Decimal | None = Field(None, ge=0, le=100)
    value_cents: int | None = Field(None, ge=0)


class Tax(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    rate: Decimal = Field(ge=0, le=100)


class InvoiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    currency: str = Field("USD", pattern=r"^[A-Za-z]{3}$")
    recipient: Recipient
    line_items: list[LineItem] = Field(min_length=1, max_length=100)
    discount: Discount | None = None
    tax: Tax | None = None
    issue_date: date | None = None
    due_date: date
    po_number: str | None = Field(None, max_length=100)
    footer_note: str | None = Field(None, max_length=2000)
    customer_id: int | None = None


class LineOut(BaseModel):
    description: str
    quantity: int | float
    unit_price_cents: int
    amount_cents: int


class InvoiceOut(BaseModel):
    id: str
    status: str
    customer_id: int
    currency: str
    recipient: Recipient
    line_items: list[LineOut]
    discount: dict | None
    tax: dict | None
    issue_date: date
    due_date: date
    po_number: str | None
    footer_note: str | None
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    tax_breakdown: list[dict]
    amount_paid_cents: int
    amount_credited_cents: int
    amount_due_cents: int
    version: int
    revision: int
    created_at: str
    updated_at: str
    sent_at: str | None
    viewed_at: str | None
    approved_at: str | None
    paid_at: str | None
    voided_at: str | None
    share_token: str
    share_url: str
    overdue: bool
    delivery: dict | None


class Page(BaseModel):
    data: list[InvoiceOut]
    next_cursor: str | None


# ------------------------------------------------------------ rules

def _cents(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def priced(invoice: InvoiceIn) -> dict:
    """The stored content: the invoice with each line's amount and the totals."""
    amounts = [_cents(item.quantity * item.unit_price_cents) for item in invoice.line_items]
    lines = [{"description": item.description, "quantity": _number(item.quantity),
              "unit_price_cents": item.unit_price_cents, "amount_cents": amount}
             for item, amount in zip(invoice.line_items, amounts, strict=True)]
    subtotal = sum(amounts)
    if subtotal < 0:
        raise HTTPException(422, "The line items add up to a negative subtotal.")
    discount = 0
    if invoice.discount is not None:
        discount = (_cents(subtotal * invoice.discount.value / 100) if invoice.discount.type == "percent"
                    else min(invoice.discount.value_cents or 0, subtotal))
    tax = _cents((subtotal - discount) * invoice.tax.rate / 100) if invoice.tax else 0
    return {
        "currency": invoice.currency.upper(), "recipient": invoice.recipient.model_dump(), "line_items": lines,
        "discount": invoice.discount.model_dump(mode="json", exclude_none=True) if invoice.discount else None,
        "tax": invoice.tax.model_dump(mode="json") if invoice.tax else None,
        "issue_date": (invoice.issue_date or min(date.today(), invoice.due_date)).isoformat(),
        "due_date": invoice.due_date.isoformat(), "po_number": invoice.po_number, "footer_note": invoice.footer_note,
        "subtotal_cents": subtotal, "discount_cents": discount, "tax_cents": tax,
        "total_cents": subtotal - discount + tax, "tax_breakdown": [],
    }


def shown(row: dict) -> InvoiceOut:
    content = json.loads(row["content"])
    return InvoiceOut(
        id=row["number"], status=row["status"], customer_id=row["customer_id"], **content,
        amount_paid_cents=0, amount_credited_cents=0, amount_due_cents=row["total_cents"], version=1, revision=1,
        created_at=row["created_at"], updated_at=row["updated_at"], sent_at=None, viewed_at=None, approved_at=None,
        paid_at=None, voided_at=None, share_token=row["share_token"], share_url=f"{PUBLIC_URL}/i/{row['share_token']}",
        overdue=content["due_date"] < date.today().isoformat(), delivery=None,
    )


def _cursor(position: int) -> str:
    mac = hmac.new(CURSOR_SECRET, str(position).encode(), hashlib.sha256).hexdigest()[:24]
    return base64.urlsafe_b64encode(f"{position}:{mac}".encode()).decode().rstrip("=")


def _position(cursor: str) -> int:
    try:
        position, _, mac = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        if hmac.compare_digest(_cursor(int(position)), cursor):
            return int(position)
    except ValueError:
        pass
    raise HTTPException(400, "cursor is not one we issued")


# ------------------------------------------------------------ endpoints

def account(authorization: Annotated[str | None, Header()] = None) -> int:
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise HTTPException(401, "Missing API key", headers={"WWW-Authenticate": "Bearer"})
    found = db.fetch("SELECT account_id FROM api_keys WHERE hash = ?", [hashlib.sha256(key.encode()).hexdigest()])
    if not found:
        raise HTTPException(401, "Unknown API key", headers={"WWW-Authenticate": "Bearer"})
    return found[0]["account_id"]


Account = Annotated[int, Depends(account)]
COLUMNS = "id, number, customer_id, status, content, total_cents, share_token, created_at, updated_at"


def _code(company: str) -> str:
    return "".join(c for c in company.upper() if c.isalnum())[:4] or "CUST"


@app.post("/api/v1/invoices", status_code=201, response_model=InvoiceOut)
def create_invoice(invoice: InvoiceIn, account_id: Account, response: Response):
    content = priced(invoice)
    company = invoice.recipient.company or invoice.recipient.email or ""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    key = company.strip().lower()
    with db.transaction() as tx:
        find = "SELECT id, code FROM customers WHERE account_id = ? AND company_key = ?"
        customer = tx.execute(find, [account_id, key]).fetchone()
        if customer is None:
            base = _code(company)
            taken = tx.execute("SELECT count(*) AS n FROM customers WHERE account_id = ? AND code LIKE ?",
                               [account_id, base + "%"]).fetchone()["n"]
            tx.execute("INSERT INTO customers (account_id, code, company_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       [account_id, f"{base}{taken + 1}" if taken else base, key])
            customer = tx.execute(find, [account_id, key]).fetchone()
        sequence = tx.execute("UPDATE customers SET next_number = next_number + 1 WHERE id = ? "
                              "RETURNING next_number - 1 AS n", [customer["id"]]).fetchone()["n"]
        row = tx.execute(
            f"INSERT INTO invoices (account_id, customer_id, number, status, content, total_cents, share_token, "
            f"created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING {COLUMNS}",
            [account_id, customer["id"], f"{customer['code']}-{sequence:04d}", json.dumps(content),
             content["total_cents"], secrets.token_urlsafe(24), now, now],
        ).fetchone()
        row = dict(row)
    response.headers["Location"] = f"/api/v1/invoices/{row['number']}"
    return shown(row)


@app.get("/api/v1/invoices/{number}", response_model=InvoiceOut)
def get_invoice(number: str, account_id: Account):
    found = db.fetch(f"SELECT {COLUMNS} FROM invoices WHERE account_id = ? AND number = ?",
                     [account_id, number.upper()])
    if not found:
        raise HTTPException(404, f"There is no invoice {number}.")
    return shown(found[0])


@app.get("/api/v1/invoices", response_model=Page)
def list_invoices(account_id: Account, limit: Annotated[int, Query(ge=1, le=100)] = 20, cursor: str | None = None):
    before = _position(cursor) if cursor else 2**63 - 1
    found = db.fetch(f"SELECT {COLUMNS} FROM invoices WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                     [account_id, before, limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return Page(data=[shown(row) for row in found], next_cursor=_cursor(found[-1]["id"]) if more else None)
