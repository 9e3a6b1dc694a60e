"""Customers: who is billed, and how an invoice's recipient relates to them."""

from billing.invoices import normal_recipient

CUSTOMER_FIELDS = (
    "company", "contact", "ap_contact", "billing_entity", "cc_emails",
    "address", "tax_id", "notes", "po_required",
)
# Recipient fields a customer remembers for the next invoice.
REMEMBERED = ("address", "billing_entity", "ap_contact", "tax_id")


def normal_customer(fields: dict) -> dict:
    customer = {name: fields.get(name) for name in CUSTOMER_FIELDS}
    customer["cc_emails"] = customer["cc_emails"] or []
    customer["po_required"] = bool(customer["po_required"])
    return customer


def match_key(text: str | None) -> str | None:
    """Companies and emails match case-insensitively and ignoring outer spaces."""
    return text.strip().casefold() if text else None


def from_recipient(recipient: dict) -> dict:
    """A new customer made from the recipient of its first invoice."""
    contact = None
    if recipient.get("name") or recipient.get("email"):
        contact = {"name": recipient.get("name"), "email": recipient.get("email")}
    return normal_customer(
        {"company": recipient.get("company"), "contact": contact}
        | {name: recipient.get(name) for name in REMEMBERED}
    )


def recipient_for(customer: dict, given: dict) -> dict:
    """The recipient `given`, its gaps filled from what the customer record knows."""
    contact = customer.get("contact") or {}
    known = {
        "company": customer.get("company"),
        "email": contact.get("email"),
        "name": contact.get("name"),
        **{name: customer.get(name) for name in REMEMBERED},
    }
    merged = {name: given.get(name) if given.get(name) is not None else known.get(name) for name in known}
    return normal_recipient(merged)
