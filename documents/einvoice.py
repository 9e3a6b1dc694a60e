"""One EN 16931 invoice or credit note, read from the API's JSON, for the UBL and CII
writers. Both syntaxes say the same thing, so what is said is decided once, here.

Every amount is taken from the JSON (line amounts, the tax breakdown, totals), so a
document's amounts are the JSON's amounts; the discount each VAT group took is its
subtotal less its taxable amount. Decisions the standard leaves to us:

- a credit line (negative unit price) is a negative quantity at a positive price,
  since item prices may not be negative (BR-27);
- a tax_id with a country prefix is a VAT identifier; one without is the seller's
  national tax number (BT-32) and is left out for the buyer, who has no such field,
  as is a buyer's VAT identifier whose prefix is no country's;
- under category O no VAT identifier is given at all (BR-O-02);
- an intra-community supply (K) is taken as delivered to the buyer's address on the
  issue date (BR-IC-11, BR-IC-12): we know no other.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from billing import parties, taxes
from billing.money import exponent, to_decimal
from billing.totals import compute_totals

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017"
INVOICE, CREDIT_NOTE = "380", "381"
UNIT = "C62"  # "one": the API's quantities are counts of whatever the line describes
# The EU's exemption reason codes (VATEX) for the categories that have a single one.
VATEX = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}


@dataclass(frozen=True)
class Party:
    name: str | None
    trading_name: str | None
    address: dict
    vat_id: str | None
    tax_number: str | None
    company_id: str | None
    email: str | None
    contact: str | None


@dataclass(frozen=True)
class Line:
    number: int
    name: str
    quantity: Decimal
    price: int
    net: int
    category: str
    rate: Decimal


@dataclass(frozen=True)
class Group:
    category: str
    rate: Decimal
    discount: int
    taxable: int
    tax: int
    reason: str | None

    @property
    def reason_code(self) -> str | None:
        return VATEX.get(self.category)


@dataclass(frozen=True)
class Document:
    type_code: str
    number: str
    issue_date: str
    due_date: str | None
    currency: str
    notes: list[str]
    order_reference: str | None
    preceding: tuple[str, str] | None  # the invoice a credit note corrects: (number, issue date)
    seller: Party
    buyer: Party
    lines: list[Line]
    groups: list[Group]
    line_total: int
    discount: int
    tax: int
    total: int
    paid: int
    payment: dict = field(default_factory=dict)
    delivery_date: str | None = None

    @property
    def tax_exclusive(self) -> int:
        return self.line_total - self.discount

    @property
    def payable(self) -> int:
        return self.total - self.paid


def amount(cents: int, currency: str) -> str:
    """Minor units as the decimal the standard wants: 250000 EUR → 2500.00, 2500 JPY → 2500."""
    places = exponent(currency)
    return f"{Decimal(cents).scaleb(-places):.{places}f}"


def decimal(value: Decimal) -> str:
    """A rate or quantity without a trailing zero or an exponent: 19, 8.875, 1.5."""
    return f"{value.normalize():f}"


def _party(name, trading_name, address, tax_id, company_id, email, contact, *, outside_vat, seller) -> Party:
    # A VAT id with a prefix the standard does not know is left out (for the seller the
    # compliance check asks for it to be fixed, BR-CO-09); the buyer's is not ours to fix.
    vat_id = parties.compact(tax_id) if parties.is_vat_id(tax_id) and not outside_vat else None
    national = parties.text(tax_id) if tax_id and not parties.looks_like_vat_id(tax_id) and seller else None
    return Party(
        name=parties.text(name),
        trading_name=trading_name if parties.text(trading_name) and trading_name != name else None,
        address={**parties.address(address), "country": parties.country(address)},
        vat_id=vat_id,
        tax_number=national,
        company_id=parties.text(company_id),
        email=parties.text(email),
        contact=parties.text(contact),
    )


def _seller(seller: dict, outside_vat: bool) -> Party:
    return _party(seller.get("legal_name"), seller.get("display_name"), seller.get("address"),
                  seller.get("tax_id"), seller.get("company_id"), seller.get("email"), None,
                  outside_vat=outside_vat, seller=True)


def _buyer(recipient: dict, outside_vat: bool) -> Party:
    contact = (recipient.get("ap_contact") or {}).get("name") or recipient.get("name")
    email = (recipient.get("ap_contact") or {}).get("email") or recipient.get("email")
    trading = recipient.get("company") if recipient.get("billing_entity") else None
    return _party(parties.buyer_name(recipient), trading, recipient.get("address"), recipient.get("tax_id"),
                  None, email, contact, outside_vat=outside_vat, seller=False)


def _lines(items: list[dict], default_tax: dict | None) -> list[Line]:
    lines = []
    for index, item in enumerate(items, start=1):
        tax = taxes.effective(item, default_tax)
        quantity = to_decimal(item["quantity"])
        lines.append(Line(
            number=index, name=item["description"],
            quantity=-quantity if item["unit_price_cents"] < 0 else quantity,
            price=abs(item["unit_price_cents"]), net=item["amount_cents"],
            category=taxes.category_of(tax), rate=taxes.rate_of(tax),
        ))
    return lines


def _groups(document: dict, lines: list[Line], default_tax: dict | None) -> list[Group]:
    breakdown = document.get("tax_breakdown")
    if breakdown is None:  # an invoice read before the breakdown was part of its JSON
        breakdown = compute_totals(document["line_items"], document.get("discount"), default_tax).tax_breakdown
    groups = []
    for entry in breakdown:
        rate = to_decimal(entry["rate"])
        subtotal = sum(line.net for line in lines if (line.category, line.rate) == (entry["category"], rate))
        groups.append(Group(entry["category"], rate, subtotal - entry["taxable_cents"], entry["taxable_cents"],
                            entry["tax_cents"], entry["exemption_reason"]))
    return groups


def _read(document: dict, recipient: dict, default_tax: dict | None, seller: dict, **fields) -> Document:
    lines = _lines(document["line_items"], default_tax)
    outside_vat = any(line.category == "O" for line in lines)
    groups = _groups(document, lines, default_tax)
    return Document(
        currency=document["currency"],
        seller=_seller(seller, outside_vat),
        buyer=_buyer(recipient, outside_vat),
        lines=lines,
        groups=groups,
        line_total=document["subtotal_cents"],
        discount=document["discount_cents"],
        tax=document["tax_cents"],
        total=document["total_cents"],
        delivery_date=fields["issue_date"] if any(line.category == "K" for line in lines) else None,
        **fields,
    )


def of_invoice(invoice: dict, seller: dict) -> Document:
    notes = [parties.text(invoice.get("footer_note"))]
    return _read(
        invoice, invoice["recipient"], invoice.get("tax"), seller,
        type_code=INVOICE, number=invoice["id"], issue_date=invoice["issue_date"],
        due_date=invoice["due_date"], notes=[note for note in notes if note],
        order_reference=parties.text(invoice.get("po_number")), preceding=None,
        paid=invoice.get("amount_paid_cents") or 0, payment=seller.get("payment") or {},
    )


def of_credit_note(credit_note: dict, invoice: dict, seller: dict) -> Document:
    return _read(
        credit_note, invoice["recipient"], invoice.get("tax"), seller,
        type_code=CREDIT_NOTE, number=credit_note["id"], issue_date=credit_note["created_at"][:10],
        due_date=None, notes=[note for note in [parties.text(credit_note.get("reason"))] if note],
        order_reference=parties.text(invoice.get("po_number")),
        preceding=(invoice["id"], invoice["issue_date"]), paid=0, payment={},
    )
