"""Reading credit notes. Creating one is a change to its invoice, so it happens in
the invoice workflow (workflow.invoices.Invoices.credit), in the invoice's unit of work."""

from __future__ import annotations

from billing.errors import NotFound
from storage import credit_notes as rows
from storage import invoices as invoice_rows
from storage.pagination import Cursors, Page


class CreditNotes:
    def __init__(self, db, cursors: Cursors):
        self._db = db
        self._cursors = cursors

    def get(self, account_id: int, number: str) -> dict:
        with self._db.read() as tx:
            found = rows.by_number(tx, account_id, number)
        if found is None:
            raise NotFound(f"There is no credit note {number}.", "number")
        return found

    def page(self, account_id: int, limit: int, cursor: str | None) -> Page:
        before = self._cursors.decode("credit_notes", cursor) if cursor else None
        with self._db.read() as tx:
            found = rows.page(tx, account_id, before, limit)
        return self._cursors.page("credit_notes", found, limit, lambda note: note["pk"])

    def invoice_of(self, credit_note: dict) -> dict:
        with self._db.read() as tx:
            return invoice_rows.by_pk(tx, credit_note["invoice_id"])
