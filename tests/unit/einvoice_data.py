"""Invoices, credit notes and a seller shaped as the API shows them, for the
compliance and e-invoice tests. Amounts come from the one rule (billing.totals)."""

import copy

from billing.credit_notes import draft
from billing.totals import compute_totals

SELLER = {
    "email": "billing@lumen.example",
    "display_name": "Lumen Studio",
    "legal_name": "Lumen Studio GmbH",
    "address": {"line1": "Torstraße 12", "line2": "Hinterhaus", "line3": None, "city": "Berlin",
                "state": None, "postal_code": "10119", "country": "DE"},
    "tax_id": "DE123456789",
    "company_id": "HRB 123456",
    "payment": {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "account_name": "Lumen Studio GmbH"},
    "default_currency": "EUR",
    "default_payment_terms_days": 30,
}

RECIPIENT = {
    "company": "Acme SARL",
    "email": "ap@acme.example",
    "name": "Claire Dubois",
    "address": {"line1": "12 rue de la Paix", "line2": None, "line3": None, "city": "Paris",
                "state": None, "postal_code": "75002", "country": "FR"},
    "billing_entity": None,
    "ap_contact": {"name": "Accounts payable", "email": "ap@acme.example"},
    "tax_id": "FR12345678901",
}

VAT19 = {"name": "MwSt", "rate": 19}
VAT7 = {"name": "MwSt", "rate": 7}
REVERSE_CHARGE = {"name": "VAT", "rate": 0, "category": "AE",
                  "exemption_reason": "Reverse charge: VAT to be accounted for by the recipient"}


def seller(**changes) -> dict:
    return {**copy.deepcopy(SELLER), **changes}


def recipient(**changes) -> dict:
    return {**copy.deepcopy(RECIPIENT), **changes}


def line(description: str, quantity, unit_price_cents: int, tax: dict | None = None) -> dict:
    item = {"description": description, "quantity": quantity, "unit_price_cents": unit_price_cents}
    return {**item, "tax": tax} if tax else item


def invoice(line_items: list[dict] | None = None, *, tax: dict | None = VAT19, discount: dict | None = None,
            currency: str = "EUR", number: str = "ACME-0001", **changes) -> dict:
    """An invoice as GET /api/v1/invoices/{number} returns it."""
    items = line_items if line_items is not None else [line("Brand identity system", 1, 250000)]
    totals = compute_totals(items, discount, tax)
    return {
        "id": number, "status": "sent", "currency": currency, "customer_id": 1,
        "recipient": recipient(),
        "line_items": [{**item, "amount_cents": amount} for item, amount in zip(items, totals.line_amounts, strict=True)],
        "discount": discount, "tax": tax,
        "issue_date": "2026-05-01", "due_date": "2026-05-31",
        "po_number": "PO-778", "footer_note": "Thank you for your business.",
        "subtotal_cents": totals.subtotal, "discount_cents": totals.discount,
        "tax_cents": totals.tax, "total_cents": totals.total,
        "tax_breakdown": totals.tax_breakdown,
        **changes,
    }


def credit_note(of: dict, line_items: list[dict] | None = None, number: str = "ACME-CN-0001") -> dict:
    """A credit note for `of` as the API shows it, drafted by the one rule (billing.credit_notes)."""
    body = {"reason": "Two hours billed twice", "line_items": line_items}
    return {"id": number, **draft(of, body), "created_at": "2026-05-20T10:00:00Z"}
