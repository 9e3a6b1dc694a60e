"""Invoice totals, the one rule every surface shows (JSON, share page, PDF).

amount    = round_half_up(quantity × unit_price_cents)      per line
subtotal  = Σ amounts
discount  = flat value_cents, or round_half_up(subtotal × percent / 100),
            never below 0 nor above the subtotal
tax       = round_half_up((subtotal − discount) × rate / 100)
total     = subtotal − discount + tax
"""

from dataclasses import dataclass
from decimal import Decimal

from billing.money import multiply, percent_of, round_half_up, to_decimal


@dataclass(frozen=True)
class Totals:
    line_amounts: tuple[int, ...]
    subtotal: int
    discount: int
    tax: int
    total: int


def line_amount(item: dict) -> int:
    return round_half_up(multiply(to_decimal(item["quantity"]), Decimal(item["unit_price_cents"])))


def discount_amount(subtotal: int, discount: dict | None) -> int:
    if not discount:
        return 0
    if discount["type"] == "flat":
        wanted = discount["value_cents"]
    else:
        wanted = percent_of(subtotal, to_decimal(discount["value"]))
    return max(0, min(wanted, subtotal))


def compute_totals(line_items: list[dict], discount: dict | None = None, tax: dict | None = None) -> Totals:
    amounts = tuple(line_amount(item) for item in line_items)
    subtotal = sum(amounts)
    discount_cents = discount_amount(subtotal, discount)
    taxable = subtotal - discount_cents
    tax_cents = percent_of(taxable, to_decimal(tax["rate"])) if tax else 0
    return Totals(amounts, subtotal, discount_cents, tax_cents, taxable + tax_cents)
