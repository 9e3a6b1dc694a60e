"""Invoice totals, the one rule every surface shows (JSON, share page, PDF, e-invoices).

amount    = round_half_up(quantity × unit_price_cents)      per line
subtotal  = Σ amounts

Lines are grouped by their tax's (category, rate), in order of first appearance;
each group takes its part of the discount and pays its own tax:

discount  percent: per group, round_half_up(group subtotal × percent / 100);
          flat: shared in proportion to the group subtotals, each share rounded
          half up, the cents left over or overdrawn going to the largest group,
          so the shares add up to the flat value exactly
tax       per group, round_half_up((group subtotal − its discount) × rate / 100)
total     = subtotal − Σ discounts + Σ taxes

With a single group this is the single-rate rule: discount on the subtotal, tax
on what is left. Discounts are never below 0 nor above what they discount: a
group whose lines add up to less than nothing (credit lines) takes no share.
`billing.invoices.check` refuses such groups, and flat discounts above the
subtotal, before anything is stored; here they are only kept in bounds.
"""

from decimal import Decimal
from typing import NamedTuple

from billing import taxes
from billing.money import (
    multiply,
    percent_of,
    round_half_up,
    to_decimal,
    to_json_number,
)


# Value objects as named tuples: as immutable as frozen dataclasses, made four times
# faster, and a list page makes fifty of each.
class TaxGroup(NamedTuple):
    """The lines that share one VAT category and rate. `category` is None for lines
    without any tax, on an invoice where other lines carry one."""

    category: str | None
    rate: Decimal
    subtotal: int
    discount: int
    tax: int
    exemption_reason: str | None = None

    @property
    def taxable(self) -> int:
        return self.subtotal - self.discount

    def as_json(self) -> dict:
        return {
            "category": self.category,
            "rate": to_json_number(self.rate),
            "taxable_cents": self.taxable,
            "tax_cents": self.tax,
            "exemption_reason": self.exemption_reason,
        }


class Totals(NamedTuple):
    line_amounts: tuple[int, ...]
    subtotal: int
    discount: int
    tax: int
    total: int
    # Empty when nothing on the invoice carries a tax: no zero-rate group is made up.
    breakdown: tuple[TaxGroup, ...] = ()

    @property
    def tax_breakdown(self) -> list[dict]:
        """The invoice's `tax_breakdown`, one entry per group."""
        return [group.as_json() for group in self.breakdown]


def line_amount(item: dict) -> int:
    quantity = item["quantity"]
    if type(quantity) is int:  # whole quantities are exact in integers: no rounding to do
        return quantity * item["unit_price_cents"]
    return round_half_up(multiply(to_decimal(quantity), Decimal(item["unit_price_cents"])))


def group_key(item: dict, default_tax: dict | None) -> tuple[str | None, Decimal]:
    tax = taxes.effective(item, default_tax)
    return taxes.category_of(tax), taxes.rate_of(tax)


def percent_shares(subtotals: list[int], percent: Decimal) -> list[int]:
    return [min(percent_of(amount, percent), amount) if amount > 0 else 0 for amount in subtotals]


def flat_shares(subtotals: list[int], flat: int) -> list[int]:
    """`flat` shared in proportion to the positive subtotals, adding up to it exactly."""
    bases = [max(amount, 0) for amount in subtotals]
    whole = sum(bases)
    flat = max(0, min(flat, sum(subtotals)))
    if whole == 0 or flat == 0:
        return [0] * len(subtotals)
    # half-up of flat × base / whole, in integers so no precision is ever lost
    shares = [(2 * flat * base + whole) // (2 * whole) for base in bases]
    rest = flat - sum(shares)
    # The largest group takes the rest; it can only fail to (a share would drop below
    # 0 or pass its subtotal) for a few cents over many tiny groups, and then the next
    # largest takes what it could not. Sorting is stable: the first of equals wins.
    for index in sorted(range(len(bases)), key=lambda i: -bases[i]):
        if rest == 0:
            break
        moved = min(max(shares[index] + rest, 0), bases[index]) - shares[index]
        shares[index] += moved
        rest -= moved
    return shares


def discount_shares(subtotals: list[int], discount: dict | None) -> list[int]:
    if not discount:
        return [0] * len(subtotals)
    if discount["type"] == "flat":
        return flat_shares(subtotals, discount["value_cents"])
    return percent_shares(subtotals, to_decimal(discount["value"]))


def _reason(items: list[dict], key, default_tax: dict | None) -> str | None:
    """The group's exemption reason: the first one its lines give. Only categories
    that charge no VAT have one (the standard forbids it on S and Z, BR-S-10, BR-Z-10)."""
    if key[0] not in taxes.NEEDS_REASON:
        return None
    for item in items:
        tax = taxes.effective(item, default_tax)
        if group_key(item, default_tax) == key and tax and tax.get("exemption_reason"):
            return tax["exemption_reason"]
    return None


def compute_totals(line_items: list[dict], discount: dict | None = None, tax: dict | None = None) -> Totals:
    amounts = tuple(line_amount(item) for item in line_items)
    subtotals: dict[tuple, int] = {}
    for item, amount in zip(line_items, amounts, strict=True):
        key = group_key(item, tax)
        subtotals[key] = subtotals.get(key, 0) + amount
    keys = list(subtotals)
    shares = discount_shares([subtotals[key] for key in keys], discount)
    groups = tuple(
        TaxGroup(category, rate, subtotals[(category, rate)], share,
                 percent_of(subtotals[(category, rate)] - share, rate),
                 _reason(line_items, (category, rate), tax))
        for (category, rate), share in zip(keys, shares, strict=True)
    )
    subtotal = sum(amounts)
    discount_cents = sum(group.discount for group in groups)
    tax_cents = sum(group.tax for group in groups)
    untaxed = all(group.category is None for group in groups)
    return Totals(amounts, subtotal, discount_cents, tax_cents, subtotal - discount_cents + tax_cents,
                  () if untaxed else groups)
