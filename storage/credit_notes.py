"""Credit-note rows, and each customer's credit-note counter."""

from storage.engine import Tx
from storage.stored_json import parsed, written

COLUMNS = ("credit_notes.id, credit_notes.number, credit_notes.content, credit_notes.total_cents, "
           "credit_notes.created_at, credit_notes.invoice_id, invoices.number AS invoice")
FROM = "credit_notes JOIN invoices ON invoices.id = credit_notes.invoice_id"
NEWEST = 9223372036854775807


def record(row: dict) -> dict:
    row = dict(row)
    row["pk"] = row.pop("id")
    row["content"] = parsed(row["content"])
    return row


def take_number(tx: Tx, customer_pk: int) -> int:
    """The customer's next credit-note sequence number, consumed: gapless like invoice numbers."""
    return tx.value("UPDATE customers SET next_credit_note = next_credit_note + 1 WHERE id = ? "
                    "RETURNING next_credit_note - 1 AS number", [customer_pk])


def insert(tx: Tx, account_id: int, invoice_pk: int, number: str, content: dict, created_at: str) -> dict:
    row = tx.insert("credit_notes", {
        "account_id": account_id, "invoice_id": invoice_pk, "number": number, "content": written(content),
        "total_cents": content["total_cents"], "created_at": created_at,
    }, returning="id")
    return by_number(tx, account_id, number) or row


def by_number(tx: Tx, account_id: int, number: str) -> dict | None:
    row = tx.one(f"SELECT {COLUMNS} FROM {FROM} WHERE credit_notes.account_id = ? AND credit_notes.number = ?",
                 [account_id, number])
    return None if row is None else record(row)


def page(tx: Tx, account_id: int, before: int | None, limit: int) -> list[dict]:
    rows = tx.all(f"SELECT {COLUMNS} FROM {FROM} WHERE credit_notes.account_id = ? AND credit_notes.id < ? "
                  "ORDER BY credit_notes.id DESC LIMIT ?",
                  [account_id, NEWEST if before is None else before, limit + 1])
    return [record(row) for row in rows]
