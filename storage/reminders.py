"""Reminder steps claimed per invoice: (invoice, step) is the primary key, so a
step is recorded, and so sent, at most once, however many schedulers race."""

from storage.engine import Tx


def recorded(tx: Tx, invoice_pk: int) -> set[str]:
    return {row["step"] for row in tx.all("SELECT step FROM reminders_sent WHERE invoice_id = ?", [invoice_pk])}


def claim(tx: Tx, invoice_pk: int, step: str, outcome: str, created_at: str) -> bool:
    """Record `step` ('sent' or 'skipped') inside the caller's unit of work; False
    when it was recorded already (by this or another scheduler)."""
    return tx.one(
        "INSERT INTO reminders_sent (invoice_id, step, outcome, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (invoice_id, step) DO NOTHING RETURNING step",
        [invoice_pk, step, outcome, created_at],
    ) is not None


def sent_by(tx: Tx, invoice_pk: int, step: str, message_id: int) -> None:
    tx.update("reminders_sent", {"invoice_id": invoice_pk, "step": step}, {"message_id": message_id})


def of_invoice(tx: Tx, invoice_pk: int) -> list[dict]:
    return tx.all("SELECT step, outcome, created_at, message_id FROM reminders_sent WHERE invoice_id = ? "
                  "ORDER BY created_at, step", [invoice_pk])
