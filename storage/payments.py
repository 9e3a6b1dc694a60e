"""Payments received against an invoice, oldest first. What an invoice may take is
decided above (workflow.invoices, billing.payments)."""

from storage.engine import Tx
from storage.stored_json import parsed

COLUMNS = "id, amount_cents, paid_at, method, reference, created_at"


def add(tx: Tx, invoice_pk: int, version: int, payment: dict, created_at: str) -> dict:
    """Record a payment inside the caller's unit of work (which also writes its version)."""
    return tx.insert("payments", {
        "invoice_id": invoice_pk, "version": version, "amount_cents": payment["amount_cents"],
        "paid_at": payment["paid_at"], "method": payment["method"], "reference": payment.get("reference"),
        "created_at": created_at,
    }, returning=COLUMNS)


def after(tx: Tx, invoice_pk: int, after_id: int, limit: int) -> list[dict]:
    return tx.all(f"SELECT {COLUMNS} FROM payments WHERE invoice_id = ? AND id > ? ORDER BY id LIMIT ?",
                  [invoice_pk, after_id, limit + 1])


def of_invoice(tx: Tx, invoice_pk: int) -> list[dict]:
    return tx.all(f"SELECT {COLUMNS} FROM payments WHERE invoice_id = ? ORDER BY id", [invoice_pk])


def open_amounts(tx: Tx, account_id: int) -> list[dict]:
    """What each of an account's invoices that is neither paid nor void charges and has received."""
    rows = tx.all(
        "SELECT status, content, total_cents, amount_paid_cents, amount_credited_cents FROM invoices "
        "WHERE account_id = ? AND status NOT IN ('paid', 'void')",
        [account_id],
    )
    return [{**row, "content": parsed(row["content"])} for row in rows]
