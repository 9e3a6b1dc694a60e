"""How an invoice's numbers and terms read to people, the same on the share page
and in the PDF (amounts themselves: billing.money.format_amount)."""

import json

from billing.money import to_decimal
from billing.taxes import CATEGORIES


def format_number(number) -> str:
    """1.5 → '1.5', 2 → '2', 8.875 → '8.875': as written, never in exponent form."""
    return format(to_decimal(number).normalize(), "f")


def discount_label(discount: dict | None) -> str:
    if discount and discount["type"] == "percent":
        return f"Discount ({format_number(discount['value'])}%)"
    return "Discount"


def tax_label(tax: dict | None) -> str:
    if not tax:
        return "Tax"
    return f"{tax.get('name') or 'Tax'} ({format_number(tax['rate'])}%)"


def tax_group_label(group: dict) -> str:
    """One line of a tax_breakdown as a row label: 'Tax 19%', 'Zero rated (0%)',
    'Reverse charge'. The exemption reason, when there is one, is printed as well."""
    category, rate = group["category"], format_number(group["rate"])
    if category is None:
        return "No tax"
    if category == "S":
        return f"Tax {rate}%"
    if category == "Z":
        return f"Zero rated ({rate}%)"
    return CATEGORIES[category][0].upper() + CATEGORIES[category][1:]


def address_lines(address: dict | None) -> list[str]:
    """An address as the lines of an envelope: street lines, then 'city state postal code', then country."""
    if not address:
        return []
    place = " ".join(part for part in (address.get("city"), address.get("state"), address.get("postal_code")) if part)
    lines = [address.get("line1"), address.get("line2"), address.get("line3"), place, address.get("country")]
    return [line for line in lines if line]


def contact_line(contact: dict | None) -> str | None:
    if not contact:
        return None
    parts = [part for part in (contact.get("name"), contact.get("email")) if part]
    return " · ".join(parts) or None


def plain(value) -> str:
    """A value of a change as short text: '—' for nothing, compact JSON for structures."""
    if value is None or value == "":
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)
