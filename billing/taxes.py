"""VAT categories (UNTDID 5305) and the rules that tie a category to its rate.

A tax is `{"name", "rate", "category", "exemption_reason"}`; only `rate` is
required. A line's own tax wins over the invoice's, which is the default."""

from decimal import Decimal

from billing.money import to_decimal

CATEGORIES = {
    "S": "standard rate",
    "Z": "zero rated",
    "E": "exempt from VAT",
    "AE": "reverse charge",
    "K": "intra-community supply",
    "G": "export outside the EU",
    "O": "outside the scope of VAT",
}
# These carry no VAT at all, and the law wants the invoice to say why.
NEEDS_REASON = frozenset({"E", "AE", "K", "G", "O"})


def effective(line: dict, default: dict | None) -> dict | None:
    """The tax that applies to `line`: its own, else the invoice's."""
    return line.get("tax") or default


def rate_of(tax: dict | None) -> Decimal:
    return to_decimal(tax["rate"]) if tax else Decimal(0)


def category_of(tax: dict | None) -> str | None:
    """The tax's VAT category; without one, S when it charges something and Z when not.
    None when there is no tax at all."""
    if not tax:
        return None
    return tax.get("category") or ("S" if rate_of(tax) > 0 else "Z")


def problem(tax: dict) -> tuple[str, str] | None:
    """What is inconsistent in `tax`, as (sub-field, sentence), or None."""
    category, rate = category_of(tax), rate_of(tax)
    name = f"{category} ({CATEGORIES[category]})"
    if category == "S" and rate <= 0:
        return "rate", f"VAT category {name} needs a rate above 0; use category Z for a zero rate."
    if category != "S" and rate != 0:
        return "rate", (
            f"VAT category {name} charges no VAT, so its rate must be 0, not {rate}; "
            "use category S for a taxed line."
        )
    if category in NEEDS_REASON and not (tax.get("exemption_reason") or "").strip():
        return "exemption_reason", (
            f"VAT category {name} needs an exemption_reason, the legal text printed on the "
            'invoice, e.g. "Reverse charge: VAT to be accounted for by the recipient".'
        )
    return None
