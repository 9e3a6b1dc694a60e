"""The invoice workflow: what may change when, what each change records, and
whom it tells. Every change, whoever makes it (the sender through the API, the
recipient through the share link), goes through `_write` inside one unit of
work, which locks the invoice's row, records a version with who, when and the
field-level diff, and queues any notification in the same transaction."""

from __future__ import annotations

import secrets

from billing import codes, delivery, notifications, payments, reminders, revisions, status, versions
from billing import credit_notes as credit_rules
from billing.account_security import ensure_may_email
from billing.customers import REMEMBERED, recipient_for
from billing.errors import Conflict, NotFound, UnprocessableEntity
from billing.invoices import CONTENT_FIELDS, check, ensure_po_number, patched
from billing.webhooks import CREDIT_NOTE_CREATED, INVOICE_CREATED, invoice_events
from storage import accounts, comments, credit_notes, customers, outbox
from storage import invoices as rows
from storage import payments as received
from storage.engine import Tx
from storage.pagination import Cursors, Page
from storage.stamps import stamp
from workflow import customers as customer_flow
from workflow import events
from workflow.clock import Clock

# What a preview shows for the share token, which only a create makes.
PREVIEW_TOKEN = "preview"


class _Undone(Exception):
    """Carries a previewed record out of the unit of work it rolls back."""

    def __init__(self, record: dict):
        super().__init__("preview")
        self.record = record


# Share tokens are 32 characters; anything much longer cannot be one.
LONGEST_TOKEN = 100
# What the recipient's view of the sender never needs.
NO_SUCH_LINK = "There is no invoice at this link; check that the whole share link was copied."


def _could_be_a_token(text: str) -> bool:
    """Share tokens are URL-safe base64; anything else names no invoice (and is never
    sent to the database: PostgreSQL refuses some characters outright)."""
    return len(text) <= LONGEST_TOKEN and text.isascii() and all(c.isalnum() or c in "-_" for c in text)


def _totals_columns(content: dict, blame: str = "issue_date") -> dict:
    totals = check(content, blame=blame)
    return {"subtotal_cents": totals.subtotal, "discount_cents": totals.discount,
            "tax_cents": totals.tax, "total_cents": totals.total}


def _content_columns(content: dict, blame: str = "issue_date") -> dict:
    """The columns kept from the content: its totals, and the due date (which the
    overdue filter and the reminder scan compare in SQL)."""
    return {**_totals_columns(content, blame), "due_date": content["due_date"]}


def _blame(fields) -> str:
    """The date to name when the dates end up out of order: the one that was changed."""
    return "due_date" if "due_date" in fields and "issue_date" not in fields else "issue_date"


def _state(record: dict) -> dict:
    return versions.snapshot(record["status"], record["content"], record["revision"])


def _due(record: dict) -> int:
    return payments.amount_due(record["total_cents"], record["amount_paid_cents"], record["amount_credited_cents"])


def _addresses(tx: Tx, record: dict, to: list[str] | None) -> tuple[list[str], list[str]]:
    """(to, cc): the addresses the sender gave, else the invoice's defaults."""
    if to is not None:
        return delivery.given_addresses(to), []
    return delivery.default_addresses(record["content"]["recipient"], customers.of_invoice(tx, record["customer_pk"]))


def queue_reminder(tx: Tx, record: dict, to: list[str], cc: list[str], message: str | None, public_url: str,
                   today, now) -> int:
    """Queue a reminder of `record`, with its PDF, inside the caller's unit of work; the message id."""
    account = accounts.account_of(tx, record["account_id"])
    link = delivery.share_link(public_url, record["share_token"])
    mail = delivery.reminder_email(record, account, today, message, link)
    attachment = {"invoice_id": record["pk"], "version": record["version"]}
    return outbox.queue(tx, record["account_id"], record["pk"], "reminder", to, cc, account["contact_email"],
                        mail, now, attachment)


def _tell_sender(tx: Tx, record: dict, action: str, changes: list[dict], now) -> None:
    message = notifications.recipient_activity(
        record["number"], record["content"]["recipient"], action, record["version"], changes
    )
    outbox.add(tx, record["account_id"], record["pk"], message, now)


def unpresented(record: dict) -> dict:
    """An invoice's (or a credit note's) event data where no API is served (command-line
    tools): its number, and an invoice's status and version."""
    return {"id": record["number"], **{name: record[name] for name in ("status", "version") if name in record}}


class Invoices:
    def __init__(self, db, cursors: Cursors, clock: Clock, present_invoice=unpresented,
                 present_credit_note=unpresented):
        self._db = db
        self._cursors = cursors
        self._clock = clock
        # a record → the invoice (the credit note) as get_invoice (get_credit_note) returns it
        self._present = present_invoice
        self._present_credit_note = present_credit_note

    # ------------------------------------------------------------ reading

    @staticmethod
    def _numbered(tx: Tx, account_id: int, number: str, *, lock: bool = False) -> dict:
        record = rows.by_number(tx, account_id, number, lock=lock)
        if record is None:
            raise NotFound(f"There is no invoice {number}.", "number")
        return record

    @staticmethod
    def _shared(tx: Tx, token: str, *, lock: bool = False) -> dict:
        record = rows.by_token(tx, token, lock=lock) if _could_be_a_token(token) else None
        if record is None:
            raise NotFound(NO_SUCH_LINK, "token")
        return record

    def get(self, account_id: int, number: str) -> dict:
        with self._db.read() as tx:
            return self._numbered(tx, account_id, number)

    def shared(self, token: str) -> dict:
        with self._db.read() as tx:
            return self._shared(tx, token)

    def today(self):
        """Today's date in UTC, by the injected clock: what `overdue` is judged against."""
        return self._clock.now().date()

    def page(self, account_id: int, limit: int, cursor: str | None, *,
             status_is: str | None = None, customer_id: int | None = None, overdue: bool | None = None) -> Page:
        before = self._cursors.decode("invoices", cursor) if cursor else None
        overdue_on = None if overdue is None else self.today().isoformat()
        with self._db.read() as tx:
            found, more = rows.page(tx, account_id, before, limit, status=status_is, customer_number=customer_id,
                                    overdue_on=overdue_on, overdue=overdue is not False)
        return self._cursors.followed("invoices", found, more, lambda record: record["pk"])

    def versions(self, account_id: int, number: str, limit: int, cursor: str | None) -> Page:
        """An invoice's versions, newest first."""
        before = self._cursors.decode("versions", cursor) if cursor else None
        with self._db.read() as tx:
            record = self._numbered(tx, account_id, number)
            found = rows.versions(tx, record["pk"], before, limit)
        return self._cursors.page("versions", found, limit, lambda version: version["version"])

    def comments(self, account_id: int, number: str, limit: int, cursor: str | None) -> Page:
        """Oldest first, like a conversation: the cursor moves forward in time."""
        after = self._cursors.decode("comments", cursor) if cursor else 0
        with self._db.read() as tx:
            record = self._numbered(tx, account_id, number)
            found = comments.after(tx, record["pk"], after, limit)
        return self._cursors.page("comments", found, limit, lambda comment: comment["id"])

    def payments(self, account_id: int, number: str, limit: int, cursor: str | None) -> Page:
        """Payments received, oldest first: the cursor moves forward in time."""
        after = self._cursors.decode("payments", cursor) if cursor else 0
        with self._db.read() as tx:
            record = self._numbered(tx, account_id, number)
            found = received.after(tx, record["pk"], after, limit)
        return self._cursors.page("payments", found, limit, lambda payment: payment["id"])

    def receivables(self, account_id: int) -> list[dict]:
        """Outstanding and overdue totals per currency (billing.payments.receivables)."""
        with self._db.read() as tx:
            found = received.open_amounts(tx, account_id)
        invoices = []
        for row in found:
            content = row["content"]
            due = payments.amount_due(row["total_cents"], row["amount_paid_cents"], row["amount_credited_cents"])
            invoices.append((row["status"], content["currency"], content["due_date"], due))
        return payments.receivables(invoices, self._clock.now().date())

    def seen_by_recipient(self, record: dict) -> tuple[dict, dict, list[dict]]:
        """(the sender's account, the customer, the comment thread) of an invoice. The
        account comes whole (its secrets left out), so that its payment details show."""
        with self._db.read() as tx:
            account = accounts.account_of(tx, record["account_id"])
            return account, customers.of_invoice(tx, record["customer_pk"]), comments.thread(tx, record["pk"])

    def as_sent(self, invoice_pk: int, version: int) -> tuple[dict, dict, dict, list[dict]]:
        """What seen_by_recipient gives, with the invoice as version `version` left it:
        the PDF attached to an email shows what that email says, even if the invoice
        has changed since."""
        with self._db.read() as tx:
            record, state = rows.by_pk(tx, invoice_pk), rows.snapshot(tx, invoice_pk, version)
            if record is None or state is None:
                raise NotFound(f"There is no version {version} of invoice {invoice_pk}.")
            record = {**record, "status": state["status"], "revision": state["revision"],
                      "content": {name: state[name] for name in CONTENT_FIELDS}}
            return (record, accounts.account_of(tx, record["account_id"]),
                    customers.of_invoice(tx, record["customer_pk"]), [])

    # ------------------------------------------------------------ the sender's changes

    def create(self, account_id: int, content: dict, customer_id: int | None = None) -> dict:
        """Store a new draft, numbered CODE-NNNN from its customer's own sequence."""
        now = self._clock.now()
        with self._db.write() as tx:
            customer, sequence = customer_flow.for_invoice(tx, account_id, customer_id, content["recipient"], now)
            content = {**content, "recipient": recipient_for(customer, content["recipient"])}
            totals = _content_columns(content)
            record = rows.insert(tx, {
                "account_id": account_id, "customer_id": customer["pk"],
                "number": codes.invoice_number(customer["code"], sequence), "status": status.DRAFT,
                "content": content, **totals, "share_token": secrets.token_urlsafe(24), "version": 1,
                "created_at": stamp(now), "updated_at": stamp(now),
            })
            self._add_version(tx, record, None, "sender", "create")
            self.publish(tx, INVOICE_CREATED, record)
        return record

    def preview(self, account_id: int, content: dict, customer_id: int | None = None) -> dict:
        """The invoice a create would store, number included, with nothing stored: the
        very same create, in a unit of work that is then undone."""
        try:
            with self._db.write():
                raise _Undone(self.create(account_id, content, customer_id))
        except _Undone as undone:
            return {**undone.record, "share_token": PREVIEW_TOKEN}

    def update(self, account_id: int, number: str, patch: dict) -> dict:
        """Apply a PATCH to an unlocked invoice; a change that changes nothing is not a version."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            status.ensure_editable(record["status"], number)
            content = patched(record["content"], patch)
            if content == record["content"]:
                return record
            return self._change_content(tx, record, content, "sender", "update", blame=_blame(patch))[0]

    def delete(self, account_id: int, number: str) -> None:
        """Delete a draft made by mistake, giving its number back: only a draft never sent
        that is its customer's latest invoice, so the numbering keeps no hole."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            if record["status"] != status.DRAFT or record["sent_at"] is not None:
                raise Conflict(f"Invoice {number} is {record['status']}"
                               + (" and was sent" if record["sent_at"] and record["status"] == status.DRAFT else "")
                               + ": only a draft that was never sent can be deleted. Void it instead "
                               f"(POST /api/v1/invoices/{number}/void), which keeps its number on record.")
            if not customers.give_back_number(tx, record["customer_pk"], codes.sequence_of(number)):
                raise Conflict(f"Invoice {number} is not its customer's latest invoice, and deleting it would "
                               f"leave a hole in the numbering. Void it instead (POST /api/v1/invoices/{number}/void).")
            rows.delete(tx, record["pk"])

    def act(self, account_id: int, number: str, action: str) -> dict:
        """Move an invoice through the status machine (send, void, mark_paid). Marking
        it paid records a payment of what is left due."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            if action == "mark_paid" and _due(record) > 0:
                status.transition(action, record["status"], number)
                payment = {"amount_cents": _due(record), "paid_at": stamp(self._clock.now()), "method": "other",
                           "reference": None}
                return self._receive(tx, record, payment, "mark_paid")[0]
            return self._transition(tx, record, action, "sender")[0]

    def pay(self, account_id: int, number: str, payment: dict) -> dict:
        """Record a payment received; the invoice is paid (and locked) once nothing is left due.
        The invoice's row is locked first, so two payments never both spend what is due."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            payments.ensure_payable(record["status"], number)
            payments.check_payment(payment["amount_cents"], _due(record), record["content"]["currency"], number)
            payment = {**payment, "paid_at": payments.paid_at(payment.get("paid_at"), stamp(self._clock.now()))}
            return self._receive(tx, record, payment, "payment")[1]

    def send(self, account_id: int, number: str, public_url: str, to: list[str] | None = None,
             message: str | None = None) -> dict:
        """Mark the invoice sent and, when it has an address, email it with its PDF
        (queued in this same unit of work, so a mail server being down loses nothing)."""
        now = self._clock.now()
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            status.transition("send", record["status"], number)  # refused before anything is queued
            to, cc = _addresses(tx, record, to)
            if not to:
                none = {"delivery": {"channel": "none"}, "delivery_message_id": None}
                return self._transition(tx, record, "send", "sender", extra=none)[0]
            account = accounts.account_of(tx, account_id)
            ensure_may_email(account, public_url)
            link = delivery.share_link(public_url, record["share_token"])
            mail = delivery.invoice_email(record, account, message, link)
            # The PDF is drawn when the mail leaves, from the version this send writes.
            attachment = {"invoice_id": record["pk"], "version": record["version"] + 1}
            message_id = outbox.queue(tx, account_id, record["pk"], "invoice", to, cc, account["contact_email"],
                                      mail, now, attachment)
            sent = {"delivery": {"channel": "email", "to": to, "cc": cc}, "delivery_message_id": message_id}
            return self._transition(tx, record, "send", "sender", extra=sent)[0]

    def remind(self, account_id: int, number: str, public_url: str, to: list[str] | None = None,
               message: str | None = None) -> dict:
        """Email the recipient a reminder now, with the invoice's PDF."""
        now = self._clock.now()
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            if not reminders.remindable(record):
                state = record["status"] if reminders.still_due(record) else f"{record['status']} with nothing due"
                raise Conflict(
                    f"Invoice {number} is {state}: "
                    "only sent, viewed, changes_requested or approved invoices with something still due get reminders."
                )
            to, cc = _addresses(tx, record, to)
            if not to:
                raise UnprocessableEntity(
                    f"Invoice {number} has no address to remind: its recipient has no email and its customer no "
                    'cc_emails. Give one with {"to": ["ap@example.com"]}, or add the email to the invoice.', "to",
                )
            ensure_may_email(accounts.account_of(tx, account_id), public_url)
            message_id = queue_reminder(tx, record, to, cc, message, public_url, self.today(), now)
            return {"invoice": number, "channel": "email", "to": to, "cc": cc,
                    "status": outbox.state(tx, message_id), "created_at": stamp(now)}

    def comment(self, account_id: int, number: str, body: str, public_url: str | None = None) -> dict:
        """The sender's comment, emailed to the recipient (given `public_url`, for
        the link back). Locked invoices may still be discussed."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            comment = self._comment(tx, record, "sender", None, body)
            to, cc = _addresses(tx, record, None)
            if to and public_url is not None:
                account = accounts.account_of(tx, account_id)
                ensure_may_email(account, public_url)
                mail = delivery.comment_email(record, account, body,
                                              delivery.share_link(public_url, record["share_token"]))
                outbox.queue(tx, account_id, record["pk"], "comment", to, cc, account["contact_email"], mail,
                             self._clock.now())
            return comment

    def revert(self, account_id: int, number: str, version: int) -> dict:
        """Put back only the fields version `version` changed, as a new version."""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            status.ensure_editable(record["status"], number)
            recorded = rows.version(tx, record["pk"], version)
            if recorded is None:
                raise NotFound(
                    f"Invoice {number} has no version {version}; its versions are 1 to {record['version']}.", "version"
                )
            content = versions.reverted(record["content"], version, recorded["action"], recorded["changes"])
            touched = [change["field"] for change in recorded["changes"]]
            return self._change_content(tx, record, content, "sender", "revert", blame=_blame(touched),
                                        reverts=version)[0]

    # ------------------------------------------------------------ the recipient's side

    def view(self, token: str) -> dict:
        """The invoice behind a share link; opening it moves a draft or sent invoice to viewed."""
        record = self.shared(token)
        if not status.can("view", record["status"]):
            return record  # the usual case: no write at all
        with self._db.write() as tx:
            record = self._shared(tx, token, lock=True)
            if status.can("view", record["status"]):
                record = self._transition(tx, record, "view", "recipient")[0]
        return record

    def amend(self, token: str, patch: dict) -> dict:
        """The recipient's corrections (PO number, billing details). Corrected billing
        details also update the customer, so that its next invoice carries them."""
        with self._db.write() as tx:
            record = self._shared(tx, token, lock=True)
            status.ensure_editable(record["status"], record["number"])
            content = patched(record["content"], patch)
            if content == record["content"]:
                return record
            updated, changes = self._change_content(tx, record, content, "recipient", "amend")
            before, after = record["content"]["recipient"], content["recipient"]
            corrections = {name: after[name] for name in REMEMBERED if after[name] != before[name]}
            if corrections:
                customer_flow.remember(tx, record["customer_pk"], corrections, self._clock.now(),
                                       account_id=record["account_id"])
            _tell_sender(tx, updated, "amend", changes, self._clock.now())
            return updated

    def comment_shared(self, token: str, author_name: str | None, body: str) -> dict:
        with self._db.write() as tx:
            return self._comment(tx, self._shared(tx, token, lock=True), "recipient", author_name, body)

    def request_changes(self, token: str, body: str) -> dict:
        """The recipient asks for changes, saying what in a comment on the thread."""
        with self._db.write() as tx:
            record = self._shared(tx, token, lock=True)
            noted = (versions.comment_change(None, body),)
            updated, changes = self._transition(tx, record, "request_changes", "recipient", noted)
            comments.add(tx, record["pk"], updated["version"], stamp(self._clock.now()), "recipient", None, body)
            _tell_sender(tx, updated, "request_changes", changes, self._clock.now())
            return updated

    def approve(self, token: str, version: int, *, revision: int | None = None) -> dict:
        """The recipient approves the invoice, which locks it: exactly the content of
        `version`, the one they reviewed, else a 409 saying what changed since."""
        with self._db.write() as tx:
            record = self._shared(tx, token, lock=True)
            status.transition("approve", record["status"], record["number"])
            if version != record["version"]:
                self._ensure_unchanged_since(tx, record, version)
            if revision is not None and revision != record["revision"]:
                raise Conflict(
                    f"Invoice {record['number']} is at revision {record['revision']}, not revision {revision} "
                    "that you reviewed: the sender has changed it since. Review it again, then approve.",
                    "revision",
                )
            ensure_po_number(record["content"], customers.of_invoice(tx, record["customer_pk"]), record["number"])
            updated, changes = self._transition(tx, record, "approve", "recipient")
            _tell_sender(tx, updated, "approve", changes, self._clock.now())
            return updated

    @staticmethod
    def _ensure_unchanged_since(tx: Tx, record: dict, version: int) -> None:
        """A Conflict naming the fields changed since `version`, if any changed."""
        then = rows.snapshot(tx, record["pk"], version) if version < record["version"] else None
        if then is None:
            raise Conflict(f"Invoice {record['number']} has no version {version} to approve; its current version "
                           f"is {record['version']}. Reload it, review it, then approve.", "version")
        changed = [change["field"] for change in versions.changes(then, _state(record))
                   if versions.is_content(change["field"])]
        if changed:
            raise Conflict(
                f"Invoice {record['number']} has changed since version {version} that you reviewed "
                f"({', '.join(changed)}). Review it again, then approve.", "version")

    def credit(self, account_id: int, number: str, body: dict) -> dict:
        """A credit note for all or part of invoice `number`, numbered from its customer's
        own CODE-CN-NNNN sequence; the invoice's row is locked, so two credit notes
        racing for what is left cannot both have it. It is a version of the invoice
        too, showing amount_credited_cents before and after. (The credit note's row.)"""
        with self._db.write() as tx:
            record = self._numbered(tx, account_id, number, lock=True)
            credit_rules.ensure_creditable(record["status"], number)
            credited = record["amount_credited_cents"]
            content = credit_rules.draft({**record["content"], "id": record["number"]}, body, credited_cents=credited)
            code = customers.of_invoice(tx, record["customer_pk"])["code"]
            note_number = credit_rules.credit_note_number(code, credit_notes.take_number(tx, record["customer_pk"]))
            after = credited + content["total_cents"]
            noted = ({"field": "amount_credited_cents", "before": credited, "after": after},)
            self._write(tx, record, {"amount_credited_cents": after}, "sender", "credit_note", noted=noted)
            note = credit_notes.insert(tx, account_id, record["pk"], note_number, content, stamp(self._clock.now()))
            events.record(tx, account_id, CREDIT_NOTE_CREATED, self._present_credit_note(note), self._clock.now())
            return note

    # ------------------------------------------------------------ one way to write

    def _receive(self, tx: Tx, record: dict, payment: dict, action: str) -> tuple[dict, dict]:
        """A payment is a version too, showing what was paid before and after; the one
        that leaves nothing due makes the invoice paid. (The new record, the payment.)"""
        paid = record["amount_paid_cents"] + payment["amount_cents"]
        columns = {"amount_paid_cents": paid}
        if payments.amount_due(record["total_cents"], paid, record["amount_credited_cents"]) == 0:
            columns |= {"status": status.transition("mark_paid", record["status"], record["number"]),
                        "paid_at": payment["paid_at"]}
        noted = ({"field": "amount_paid_cents", "before": record["amount_paid_cents"], "after": paid},)
        updated, _ = self._write(tx, record, columns, "sender", action, noted=noted)
        return updated, received.add(tx, record["pk"], updated["version"], payment, stamp(self._clock.now()))

    def _comment(self, tx: Tx, record: dict, actor: str, author_name: str | None, body: str) -> dict:
        """A comment is a version too, so the history tells the whole conversation."""
        noted = (versions.comment_change(author_name, body),)
        updated, changes = self._write(tx, record, {}, actor, "comment", noted=noted)
        comment = comments.add(tx, record["pk"], updated["version"], stamp(self._clock.now()), actor, author_name, body)
        if actor == "recipient":
            _tell_sender(tx, updated, "comment", changes, self._clock.now())
        return comment

    def _transition(self, tx: Tx, record: dict, action: str, actor: str, noted: tuple = (),
                    extra: dict | None = None) -> tuple[dict, list]:
        """Move the invoice to the status `action` leads to, writing `extra` columns with it."""
        target = status.transition(action, record["status"], record["number"])
        columns = {**(extra or {}), "status": target}
        if target in status.TIMESTAMPS:
            columns[status.TIMESTAMPS[target]] = stamp(self._clock.now())
        return self._write(tx, record, columns, actor, action, noted=noted)

    def _change_content(self, tx: Tx, record: dict, content: dict, actor: str, action: str,
                        *, blame: str = "issue_date", reverts: int | None = None) -> tuple[dict, list]:
        """New content; a financial change to an invoice the recipient may have seen
        starts a new revision, back in `sent`, to be viewed and approved afresh."""
        columns = {"content": content, **_content_columns(content, blame)}
        payments.check_charge(record["content"], content, columns["total_cents"], record["amount_paid_cents"],
                              record["amount_credited_cents"], record["number"])
        fields = [change["field"] for change in versions.changes(record["content"], content)]
        target, revision = revisions.after_change(record["status"], record["revision"], fields)
        if revision != record["revision"]:
            columns |= {"status": target, "revision": revision, "sent_at": stamp(self._clock.now()), "viewed_at": None}
        return self._write(tx, record, columns, actor, action, reverts=reverts)

    def _write(self, tx: Tx, record: dict, columns: dict, actor: str, action: str,
               *, noted: tuple = (), reverts: int | None = None) -> tuple[dict, list]:
        """Apply `columns`, count a version and record it; (the new record, its changes)."""
        columns = {**columns, "version": record["version"] + 1, "updated_at": stamp(self._clock.now())}
        updated = rows.update(tx, record["pk"], columns)
        changes = self._add_version(tx, updated, _state(record), actor, action, noted, reverts)
        for event_type in invoice_events(action, record["status"], updated["status"]):
            self.publish(tx, event_type, updated)
        return updated, changes

    def publish(self, tx: Tx, event_type: str, record: dict) -> None:
        """Record an invoice event in the caller's unit of work, with the invoice as it is now."""
        events.record(tx, record["account_id"], event_type, self._present(record), self._clock.now())

    def _add_version(self, tx: Tx, record: dict, before: dict | None, actor: str, action: str,
                     noted: tuple = (), reverts: int | None = None) -> list[dict]:
        after = _state(record)
        changes = (versions.changes(before, after) if before else []) + list(noted)
        rows.add_version(tx, record["pk"], record["version"], stamp(self._clock.now()), actor, action,
                         changes, after, reverts)
        return changes
