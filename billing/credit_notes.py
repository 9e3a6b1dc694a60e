"""A credit note (EN 16931 type 381): what it credits of an invoice, priced by the
one rule (billing.totals).

Without line_items it credits the whole invoice: every line with the invoice's
discount, so its total is the invoice's total. With line_items it credits those
lines, each taxed as written or else with the invoice's tax; a percent discount on
the invoice applies to them too, a flat one does not (it was one sum, already
taken from the invoice). Each line carries the tax it was credited at, so the
credit note reads the same whatever later happens to the invoice.
"""

from billing import money
from billing.errors import Conflict, UnprocessableEntity
from billing.invoices import check_taxes, normal_lines
from billing.totals import compute_totals

# Once an invoice has gone out it can be credited, paid ones included; a draft can
# still be edited and a void one charges nothing.
CREDITABLE = frozenset({"sent", "viewed", "changes_requested", "approved", "paid"})


def credit_note_number(code: str, sequence: int) -> str:
    """ACME-CN-0001: the customer's code, then its own credit-note sequence."""
    return f"{code}-CN-{sequence:04d}"


def ensure_creditable(status: str, number: str) -> None:
    if status not in CREDITABLE:
        raise Conflict(
            f"Invoice {number} is {status} and cannot be credited: only invoices that were sent "
            "(sent, viewed, changes_requested, approved or paid) can. "
            + ("Edit the draft instead." if status == "draft" else "A void invoice charges nothing.")
        )


def _taxed(items: list[dict], default_tax: dict | None) -> list[dict]:
    """Each line with the tax it is credited at written on it."""
    return [{**item, "tax": item.get("tax") or default_tax} if (item.get("tax") or default_tax) else item
            for item in items]


def draft(invoice: dict, body: dict, *, credited_cents: int = 0) -> dict:
    """The content of a credit note for `invoice` (its content: currency, line_items,
    discount, tax, and its `id`), from `body` ({"reason", "line_items"?}).
    `credited_cents` is what earlier credit notes for it already credit."""
    reason = (body.get("reason") or "").strip()
    if not reason:
        raise UnprocessableEntity(
            "A credit note needs a reason, printed on it for the recipient, e.g. \"Two hours billed twice\".",
            "reason",
        )
    invoice_total = compute_totals(invoice["line_items"], invoice["discount"], invoice["tax"]).total
    if body.get("line_items") is None:
        items, discount = _taxed(invoice["line_items"], invoice["tax"]), invoice["discount"]
    else:
        items = normal_lines(body["line_items"])
        for index, item in enumerate(items):
            if item["unit_price_cents"] <= 0:
                raise UnprocessableEntity(
                    f"Line {index + 1} of a credit note must credit a positive amount; write the "
                    "amount credited as a positive unit_price_cents.",
                    f"line_items[{index}].unit_price_cents",
                )
        check_taxes(items, None)
        items = _taxed(items, invoice["tax"])
        discount = invoice["discount"] if (invoice["discount"] or {}).get("type") == "percent" else None
    totals = compute_totals(items, discount, None)
    left = invoice_total - credited_cents
    if max((*totals.line_amounts, totals.subtotal)) > money.MAX_CENTS or totals.total > left:
        raise UnprocessableEntity(
            f"This credit note would credit {totals.total} minor units, but only {left} of invoice "
            f"{invoice['id']}'s total of {invoice_total} is left to credit"
            + (f" ({credited_cents} already credited)" if credited_cents else "")
            + "; credit fewer lines or smaller amounts.",
            "line_items",
        )
    return {
        "invoice": invoice["id"],
        "reason": reason,
        "currency": invoice["currency"],
        "line_items": [{**item, "amount_cents": amount}
                       for item, amount in zip(items, totals.line_amounts, strict=True)],
        "tax_breakdown": totals.tax_breakdown,
        "subtotal_cents": totals.subtotal,
        "discount_cents": totals.discount,
        "tax_cents": totals.tax,
        "total_cents": totals.total,
    }
