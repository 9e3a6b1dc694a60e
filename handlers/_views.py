"""What handlers return: the JSON shapes of openapi.yaml, built from storage records."""

from datetime import UTC, date, datetime

from billing import compliance, payments, reminders, status
from billing.accounts import PROFILE_FIELDS
from billing.totals import compute_totals
from storage.pagination import Page
from storage.stamps import STAMP
from workflow.clock import utc_now

_TIMESTAMPS = ("created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at")
_RECIPIENT_TIMESTAMPS = ("sent_at", "viewed_at", "approved_at", "paid_at", "voided_at")


def share_url(public_url: str, token: str) -> str:
    return f"{public_url}/i/{token}"


def _charged(content: dict) -> dict:
    """What an invoice charges, with every amount computed by the one rule (billing.totals)."""
    totals = compute_totals(content["line_items"], content["discount"], content["tax"])
    return {
        "currency": content["currency"],
        "recipient": content["recipient"],
        "line_items": [
            {**item, "amount_cents": amount}
            for item, amount in zip(content["line_items"], totals.line_amounts, strict=True)
        ],
        "discount": content["discount"],
        "tax": content["tax"],
        "issue_date": content["issue_date"],
        "due_date": content["due_date"],
        "po_number": content["po_number"],
        "footer_note": content["footer_note"],
        "subtotal_cents": totals.subtotal,
        "discount_cents": totals.discount,
        "tax_cents": totals.tax,
        "total_cents": totals.total,
        "tax_breakdown": totals.tax_breakdown,
    }


def _settled(record: dict, charged: dict) -> dict:
    """What has been paid and credited, and what is left due."""
    return payments.settlement(charged["total_cents"], record["amount_paid_cents"], record["amount_credited_cents"])


def delivery(record: dict) -> dict | None:
    """How the invoice went to its recipient: null until it is sent; then by email
    (with the state of that email) or, having no address, by no channel at all."""
    sent = record.get("delivery")
    if not sent or sent["channel"] != "email":
        return sent
    return {**sent, "status": record.get("delivery_status") or "queued"}


def invoice(record: dict, public_url: str, today: date | None = None) -> dict:
    """`today` (the injected clock's date) decides `overdue`; without it, the system clock's."""
    charged = _charged(record["content"])
    return {
        "id": record["number"],
        "status": record["status"],
        "customer_id": record["customer_number"],
        **charged,
        **_settled(record, charged),
        "version": record["version"],
        "revision": record["revision"],
        **{name: record[name] for name in _TIMESTAMPS},
        "share_token": record["share_token"],
        "share_url": share_url(public_url, record["share_token"]),
        "overdue": reminders.overdue(record, today or utc_now().date()),
        "delivery": delivery(record),
    }


def account(record: dict) -> dict:
    """The sender's account and seller profile (openapi.yaml Account)."""
    return {
        "livemode": record["livemode"],
        "email": record["email"],
        "display_name": record["display_name"],
        **{name: record[name] for name in PROFILE_FIELDS},
        "created_at": record["created_at"],
    }


def sender(account: dict) -> dict:
    """Who the recipient is told sent the invoice: the address the sender chose to
    show (`contact_email`), never the one they sign in with."""
    return {"name": account["display_name"] or account.get("legal_name"), "email": account.get("contact_email"),
            **{name: account.get(name) for name in ("legal_name", "address", "tax_id", "company_id")}}


def recipient_actions(state: str) -> list[str]:
    """What the recipient may do to an invoice in this status; commenting is always open."""
    actions = [] if state in status.LOCKED else ["amend"]
    actions.append("comment")
    actions += [action for action in ("request_changes", "approve") if status.can(action, state)]
    return actions


def shared_invoice(record: dict, account: dict, customer: dict, comments: list[dict]) -> dict:
    """The invoice as its recipient sees it: no internal ids, the thread, the next steps,
    what is left to pay and where to pay it."""
    charged = _charged(record["content"])
    return {
        "number": record["number"],
        "livemode": account["livemode"],
        "status": record["status"],
        "revision": record["revision"],
        "version": record["version"],
        "exportable": not compliance.problems(invoice(record, ""), seller(account)),
        "sender": sender(account),
        **charged,
        **_settled(record, charged),
        "pay_to": payments.pay_to(account),
        "po_required": customer["po_required"],
        **{name: record[name] for name in _RECIPIENT_TIMESTAMPS},
        "actions": recipient_actions(record["status"]),
        "comments": comments,
    }


def webhook_endpoint(endpoint: dict) -> dict:
    """An endpoint as the API shows it: its secret only in the answer that made it."""
    shown = {name: endpoint[name] for name in ("id", "url", "events", "enabled", "description", "created_at")}
    return {**shown, "secret": endpoint["secret"]} if "secret" in endpoint else shown


def _when_ms(milliseconds: int | None) -> str | None:
    """A due time in Unix milliseconds as a timestamp, rounded up to the second."""
    if milliseconds is None:
        return None
    return datetime.fromtimestamp(-(-milliseconds // 1000), UTC).strftime(STAMP)


def webhook_delivery(delivery: dict) -> dict:
    return {
        "id": delivery["id"], "event_id": delivery["event_id"], "event_type": delivery["event_type"],
        "status": delivery["status"], "attempts": delivery["attempts"],
        "next_attempt_at": _when_ms(delivery["due_ms"]) if delivery["status"] == "pending" else None,
    }


def page(result: Page, view) -> dict:
    return {"data": [view(row) for row in result.rows], "next_cursor": result.next_cursor}


SELLER_FIELDS = ("email", "display_name", "legal_name", "address", "tax_id", "company_id", "payment")


def seller(account: dict) -> dict:
    """The seller as the documents need them, from the account's profile; a field the
    profile lacks is None, which the compliance check names."""
    return {name: account.get(name) for name in SELLER_FIELDS}


def credit_note(found: dict) -> dict:
    """A credit note as the API shows it."""
    return {"id": found["number"], **found["content"], "invoice": found["invoice"], "created_at": found["created_at"]}


def credit_note_shown(note: dict, shown_invoice: dict) -> dict:
    """A credit note laid out like the invoice it credits (for the PDF): the invoice's
    parties and terms, the credit note's lines and totals, its reason as the note."""
    return {
        **shown_invoice,
        "document": "Credit note",
        "number": note["id"],
        "status": "credit note",
        "revision": 1,
        "line_items": note["line_items"],
        "discount": None,
        "tax": None,
        **{name: note[name] for name in ("tax_breakdown", "subtotal_cents", "discount_cents", "tax_cents",
                                         "total_cents")},
        "footer_note": f"Credits invoice {note['invoice']}: {note['reason']}",
    }
