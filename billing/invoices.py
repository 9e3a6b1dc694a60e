"""An invoice's content: what the sender writes, normalised and checked.

Content is plain JSON-ready data. Numbers that may carry decimals (quantity,
rates, percents) are stored as exact JSON numbers; money is integer minor units.
"""

from collections.abc import Callable
from datetime import date

from billing import money, taxes
from billing.errors import InvalidRequest, UnprocessableEntity
from billing.totals import Totals, compute_totals

RECIPIENT_FIELDS = ("company", "email", "name", "address", "billing_entity", "ap_contact", "tax_id")
CONTENT_FIELDS = (
    "currency", "recipient", "line_items", "discount", "tax",
    "issue_date", "due_date", "po_number", "footer_note",
)
DEFAULT_CURRENCY = "USD"


def normal_recipient(recipient: dict) -> dict:
    return {name: recipient.get(name) for name in RECIPIENT_FIELDS}


def _exact(number) -> int | float:
    return money.to_json_number(money.to_decimal(number))


def _normal_line(item: dict) -> dict:
    line = {
        "description": item["description"],
        "quantity": _exact(item["quantity"]),
        "unit_price_cents": item["unit_price_cents"],
    }
    if item.get("tax") is not None:
        line["tax"] = _normal_tax(item["tax"])
    return line


def normal_lines(items: list[dict]) -> list[dict]:
    return [_normal_line(item) for item in items]


def _normal_discount(discount: dict | None) -> dict | None:
    if discount is None:
        return None
    if discount["type"] == "percent":
        return {"type": "percent", "value": _exact(discount["value"])}
    return {"type": "flat", "value_cents": discount["value_cents"]}


def _normal_tax(tax: dict | None) -> dict | None:
    if tax is None:
        return None
    normal = {"name": tax.get("name"), "rate": _exact(tax["rate"])}
    # Only when given, so a tax written before VAT categories existed reads as it did.
    for optional in ("category", "exemption_reason"):
        if tax.get(optional) is not None:
            normal[optional] = tax[optional]
    return normal


_NORMALISE: dict[str, Callable] = {
    "currency": lambda code: code.upper(),
    "recipient": normal_recipient,
    "line_items": normal_lines,
    "discount": _normal_discount,
    "tax": _normal_tax,
}


def _normalised(fields: dict) -> dict:
    return {name: _NORMALISE[name](value) if name in _NORMALISE else value for name, value in fields.items()}


def _parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{field} must be a date like 2026-06-01, not {value!r}.", field) from None


def draft(body: dict, *, today: date) -> dict:
    """The content of a new invoice. The issue date defaults to today, or to the
    due date when that is earlier: an invoice for past work may be overdue at once."""
    due = _parse_date(body["due_date"], "due_date")
    fields = {name: body.get(name) for name in CONTENT_FIELDS}
    fields["currency"] = fields["currency"] or DEFAULT_CURRENCY
    fields["recipient"] = fields["recipient"] or {}
    fields["issue_date"] = fields["issue_date"] or min(today, due).isoformat()
    return _normalised(fields)


def patched(content: dict, patch: dict) -> dict:
    """`content` with `patch` applied: each field given replaces the stored one,
    except `recipient`, whose fields are merged (null clears one)."""
    changes = {name: value for name, value in patch.items() if name in CONTENT_FIELDS}
    if "recipient" in changes:
        changes["recipient"] = {**content["recipient"], **(changes["recipient"] or {})}
    return {**content, **_normalised(changes)}


def check(content: dict, *, blame: str = "issue_date") -> Totals:
    """Enforce the rules a schema cannot express; return the totals.
    `blame` names the date field to report when the dates are out of order."""
    recipient = content["recipient"]
    if not (recipient.get("company") or recipient.get("email")):
        raise UnprocessableEntity("recipient needs a company or an email.", "recipient")
    if not money.is_currency(content["currency"]):
        raise UnprocessableEntity(
            f"{content['currency']!r} is not an ISO 4217 currency code; use one such as USD, EUR or JPY.",
            "currency",
        )
    issue = _parse_date(content["issue_date"], "issue_date")
    due = _parse_date(content["due_date"], "due_date")
    if issue > due:
        raise UnprocessableEntity(
            f"due_date {due} is before issue_date {issue}; an invoice cannot be due before it is issued.",
            blame,
        )
    check_taxes(content["line_items"], content["tax"])
    totals = compute_totals(content["line_items"], content["discount"], content["tax"])
    _check_amounts(content, totals)
    return totals


def check_taxes(line_items: list[dict], default_tax: dict | None) -> None:
    """A 422 naming the first tax whose category contradicts its rate or lacks a reason."""
    taxed = [("tax", default_tax)] + [
        (f"line_items[{index}].tax", item.get("tax")) for index, item in enumerate(line_items)
    ]
    for field, tax in taxed:
        found = tax and taxes.problem(tax)
        if found:
            name, sentence = found
            raise UnprocessableEntity(sentence, f"{field}.{name}")


def _too_large(what: str) -> str:
    return (
        f"{what} exceeds the largest amount we accept ({money.MAX_CENTS} minor units); "
        "split the work over several invoices."
    )


def _taxed_as(group) -> str:
    if group.category is None:
        return "without a tax"
    return f"with VAT category {group.category} at {money.to_json_number(group.rate)}%"


def _check_amounts(content: dict, totals: Totals) -> None:
    """Every amount must be exact for JSON readers (doubles) and fit the database's
    64-bit columns; a discount takes from the invoice, it never pays the recipient."""
    for index, amount in enumerate(totals.line_amounts):
        if abs(amount) > money.MAX_CENTS:
            raise UnprocessableEntity(
                _too_large(f"Line {index + 1} (quantity × unit_price_cents)"),
                f"line_items[{index}].unit_price_cents",
            )
    if totals.subtotal < 0:
        raise UnprocessableEntity(
            "The line items add up to a negative subtotal; credit lines may only reduce an invoice, not reverse it.",
            "line_items",
        )
    for group in totals.breakdown:
        if group.subtotal < 0:
            raise UnprocessableEntity(
                f"The lines {_taxed_as(group)} add up to a negative amount; "
                "a credit line may only reduce lines taxed the same way. Give it the same tax as the "
                "lines it corrects, or issue a credit note.",
                "line_items",
            )
    discount = content["discount"]
    if discount and discount["type"] == "flat" and discount["value_cents"] > totals.subtotal:
        raise UnprocessableEntity(
            f"The flat discount of {discount['value_cents']} minor units is more than the subtotal of "
            f"{totals.subtotal}; a discount can take the invoice down to zero, not below.",
            "discount",
        )
    for what, amount, field in (("The subtotal", totals.subtotal, "line_items"), ("The tax", totals.tax, "tax"),
                                ("The invoice total", totals.total, "line_items")):
        if amount > money.MAX_CENTS:
            raise UnprocessableEntity(_too_large(what), field)


def ensure_po_number(content: dict, customer: dict, number: str) -> None:
    """Customers that require PO numbers approve only invoices that carry one."""
    if customer.get("po_required") and not (content.get("po_number") or "").strip():
        who = customer.get("company") or "This customer"
        raise UnprocessableEntity(
            f"Invoice {number} needs a PO number before it can be approved: {who} requires one. "
            'Add it with PATCH /api/v1/share/{token} {"po_number": "…"} (or the PO number form '
            "on the invoice page), then approve again.",
            "po_number",
        )
