"""Credit notes: what may be credited when, numbered from the customer's own
gapless CODE-CN-NNNN sequence, never more in all than the invoice's total."""

from __future__ import annotations

from billing import credit_notes as rules
from billing.errors import NotFound
from billing.webhooks import CREDIT_NOTE_CREATED
from storage import credit_notes as rows
from storage import customers
from storage import invoices as invoice_rows
from storage.pagination import Cursors, Page
from storage.stamps import stamp
from workflow import events
from workflow.clock import Clock


def credit_note_number(code: str, sequence: int) -> str:
    return f"{code}-CN-{sequence:04d}"


def unpresented(note: dict) -> dict:
    """A credit note's event data where no API is served (command-line tools): its number."""
    return {"id": note["number"]}


class CreditNotes:
    def __init__(self, db, cursors: Cursors, clock: Clock, present_credit_note=unpresented):
        self._db = db
        self._cursors = cursors
        self._clock = clock
        self._present = present_credit_note  # a record → the credit note as get_credit_note returns it

    def create(self, account_id: int, number: str, body: dict) -> dict:
        """Credit all or part of invoice `number`. The invoice's row is locked, so two
        credit notes racing for what is left cannot both have it."""
        with self._db.write() as tx:
            invoice = invoice_rows.by_number(tx, account_id, number, lock=True)
            if invoice is None:
                raise NotFound(f"There is no invoice {number}.", "number")
            rules.ensure_creditable(invoice["status"], number)
            content = rules.draft({**invoice["content"], "id": invoice["number"]}, body,
                                  credited_cents=rows.credited(tx, invoice["pk"]))
            code = customers.of_invoice(tx, invoice["customer_id"])["code"]
            sequence = rows.take_number(tx, invoice["customer_id"])
            note = rows.insert(tx, account_id, invoice["pk"], credit_note_number(code, sequence), content,
                               stamp(self._clock.now()))
            events.record(tx, account_id, CREDIT_NOTE_CREATED, self._present(note), self._clock.now())
            return note

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

    def credited(self, invoice_pk: int) -> int:
        with self._db.read() as tx:
            return rows.credited(tx, invoice_pk)
