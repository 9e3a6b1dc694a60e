"""Customers: who may be created when, with which code and id, and how a new
invoice finds the customer it bills. A customer's id is its number in its
account (1, 2, 3… in the order they were made); the row's own key (`pk`) stays
below the API."""

from __future__ import annotations

from datetime import datetime

from billing import codes
from billing.customers import CUSTOMER_FIELDS, from_recipient, match_key, normal_customer
from billing.errors import Conflict, NotFound, UnprocessableEntity
from billing.webhooks import CUSTOMER_CREATED, CUSTOMER_UPDATED
from storage import customers as rows
from storage.engine import Tx
from storage.pagination import Cursors, Page
from storage.stamps import stamp
from workflow import events
from workflow.clock import Clock


def _email(fields: dict) -> str | None:
    return (fields.get("contact") or {}).get("email")


def _keys(fields: dict) -> dict:
    return {"company_key": match_key(fields.get("company")), "email_key": match_key(_email(fields))}


def _by_company(tx: Tx, account_id: int, company: str | None) -> dict | None:
    return rows.by_key(tx, account_id, "company_key", match_key(company)) if company else None


def _ensure_company_free(tx: Tx, account_id: int, company: str | None, customer_id: int | None = None) -> None:
    found = _by_company(tx, account_id, company)
    if found and found["id"] != customer_id:
        raise Conflict(
            f"Customer {found['id']} ({found['code']}) already has the company {found['company']!r}; "
            "use its id instead of creating a second one.",
            "company",
        )


def shown(customer: dict) -> dict:
    """A customer as the API and its events show it: without the row's key."""
    return {name: value for name, value in customer.items() if name != "pk"}


def _lock_company(tx: Tx, account_id: int, key: str | None) -> None:
    """Serialise the creation of one account's customer for one company (or email
    key) across servers; a no-op where writers are serialised anyway."""
    tx.lock("customer", account_id, key)


def insert(tx: Tx, account_id: int, fields: dict, now: datetime) -> dict:
    """Add a customer inside the caller's unit of work, with the first free code and
    the account's next id. One lock per account serialises both choices across
    servers until the unit of work ends: never a duplicate, and a rollback leaves no hole."""
    tx.lock("customer-code", account_id)
    base = codes.base_code(fields.get("company"), _email(fields))
    code = next(code for code in codes.candidates(base) if not rows.code_taken(tx, account_id, code))
    customer = rows.insert(tx, account_id, code, _keys(fields), fields, stamp(now))
    events.record(tx, account_id, CUSTOMER_CREATED, shown(customer), now)
    return customer


def for_invoice(tx: Tx, account_id: int, customer_id: int | None, recipient: dict,
                now: datetime) -> tuple[dict, int]:
    """The customer a new invoice bills, and the invoice's sequence number in that
    customer's numbering, taken: the customer named by id, else the one with the
    recipient's company (or, lacking one, email), else a new one made from the recipient.
    An existing customer is found and its number taken in one statement."""
    if customer_id is not None:
        found = rows.numbered(tx, account_id, "number", customer_id)
        if found is None:
            raise UnprocessableEntity(f"There is no customer {customer_id} in this account.", "customer_id")
        return found
    company, email = recipient.get("company"), recipient.get("email")
    column, key = ("company_key", match_key(company)) if company else ("email_key", match_key(email))
    found = rows.numbered(tx, account_id, column, key)
    if found is None:
        _lock_company(tx, account_id, key)
        found = rows.numbered(tx, account_id, column, key)  # another server may have just made it
    if found is None:
        made = insert(tx, account_id, from_recipient(recipient), now)
        found = rows.numbered(tx, account_id, "number", made["id"])
    assert found is not None  # the customer was there, or has just been made
    return found


def remember(tx: Tx, customer_pk: int, corrections: dict, now: datetime, *, account_id: int) -> None:
    """Fold a recipient's corrections into the customer (an invoice's `customer_pk`)
    inside the caller's unit of work, so that the customer's next invoice carries them."""
    fields = {**rows.fields_of(tx, customer_pk), **corrections}
    rows.save(tx, customer_pk, _keys(fields), fields, stamp(now))
    events.record(tx, account_id, CUSTOMER_UPDATED, shown(rows.of_invoice(tx, customer_pk)), now)


class Customers:
    def __init__(self, db, cursors: Cursors, clock: Clock):
        self._db = db
        self._cursors = cursors
        self._clock = clock

    def create(self, account_id: int, fields: dict) -> dict:
        with self._db.write() as tx:
            _lock_company(tx, account_id, match_key(fields.get("company")))
            _ensure_company_free(tx, account_id, fields.get("company"))
            return shown(insert(tx, account_id, fields, self._clock.now()))

    def update(self, account_id: int, customer_id: int, changes: dict) -> dict:
        """Replace the fields given; the code, and so every invoice number, stays."""
        with self._db.write() as tx:
            current = rows.by_id(tx, account_id, customer_id)
            if current is None:
                raise NotFound(f"There is no customer {customer_id}.", "id")
            fields = normal_customer({name: current[name] for name in CUSTOMER_FIELDS} | changes)
            _lock_company(tx, account_id, match_key(fields.get("company")))
            _ensure_company_free(tx, account_id, fields.get("company"), customer_id)
            rows.save(tx, current["pk"], _keys(fields), fields, stamp(self._clock.now()))
            updated = shown(rows.by_id(tx, account_id, customer_id))
            events.record(tx, account_id, CUSTOMER_UPDATED, updated, self._clock.now())
            return updated

    def get(self, account_id: int, customer_id: int) -> dict:
        with self._db.read() as tx:
            found = rows.by_id(tx, account_id, customer_id)
        if found is None:
            raise NotFound(f"There is no customer {customer_id}.", "id")
        return shown(found)

    def page(self, account_id: int, limit: int, cursor: str | None) -> Page:
        before = self._cursors.decode("customers", cursor) if cursor else None
        with self._db.read() as tx:
            found = rows.page(tx, account_id, before, limit)
        return self._cursors.page("customers", [shown(customer) for customer in found], limit,
                                  lambda customer: customer["id"])
