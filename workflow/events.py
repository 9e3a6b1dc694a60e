"""Events: what happened in an account, recorded inside the unit of work of the
change itself, so that an event exists exactly when its change does. Recording
one also queues a delivery to every enabled webhook endpoint subscribed to its
type; delivery.webhooks sends them from the stored rows, off the request path.

Whoever changes something calls `record(tx, account_id, type, data, now)` with
`data` the object as its GET returns it at that moment. The event types are in
billing.webhooks (payments use INVOICE_PAYMENT_RECEIVED and INVOICE_PAID, credit
notes CREDIT_NOTE_CREATED)."""

from __future__ import annotations

import secrets
import time
from datetime import datetime

from billing.errors import NotFound
from billing.webhooks import EVENT_TYPES, subscribed
from storage import events as rows
from storage import webhooks
from storage.engine import Tx
from storage.pagination import Cursors, Page
from storage.stamps import stamp

PREFIX = "evt_"


def new_id() -> str:
    return PREFIX + secrets.token_hex(12)


def record(tx: Tx, account_id: int, type_: str, data: dict, now: datetime) -> None:
    """Store an event of `type_` and queue its deliveries, inside the caller's unit of work."""
    assert type_ in EVENT_TYPES, type_
    event_pk, heard = rows.insert(tx, account_id, new_id(), type_, data, stamp(now))
    if not heard:
        return
    due_ms = int(time.time() * 1000)
    for endpoint in webhooks.enabled_endpoints(tx, account_id):
        if subscribed(endpoint["events"], type_):
            webhooks.add_delivery(tx, endpoint["id"], event_pk, due_ms, stamp(now))


class Events:
    def __init__(self, db, cursors: Cursors):
        self._db = db
        self._cursors = cursors

    def page(self, account_id: int, limit: int, cursor: str | None, *, type_: str | None = None) -> Page:
        before = self._cursors.decode("events", cursor) if cursor else None
        with self._db.read() as tx:
            found = rows.page(tx, account_id, before, limit, type_=type_)
        return self._cursors.page("events", found, limit, lambda event: event["pk"])

    def get(self, account_id: int, event_id: str) -> dict:
        with self._db.read() as tx:
            found = rows.by_public_id(tx, account_id, event_id)
        if found is None:
            raise NotFound(f"There is no event {event_id}.", "id")
        return found
