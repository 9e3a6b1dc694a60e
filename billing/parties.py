"""Seller and buyer as EN 16931 sees them: names, addresses, identifiers.

The account profile and the invoice's recipient each have one `tax_id`. One
that starts with a country prefix (DE123456789) is a VAT identifier; anything
else (a national tax number such as 201/113/40209) is the seller's tax
registration identifier, which the standard keeps apart."""

import re

from billing.countries import COUNTRIES, VAT_PREFIXES

ADDRESS_FIELDS = ("line1", "line2", "line3", "city", "state", "postal_code", "country")


def compact(identifier: str | None) -> str:
    return re.sub(r"[\s\-]", "", identifier or "").upper()


def looks_like_vat_id(identifier: str | None) -> bool:
    """Written as a VAT identifier: two letters, then the national part."""
    return re.fullmatch(r"[A-Z]{2}[0-9A-Z+*.]+", compact(identifier)) is not None


def is_vat_id(identifier: str | None) -> bool:
    """A VAT identifier with a prefix the standard knows (BR-CO-09)."""
    return looks_like_vat_id(identifier) and compact(identifier)[:2] in VAT_PREFIXES


# What an e-invoice (XML 1.0) cannot carry at all: control characters other than tab
# and line breaks, lone surrogates and two non-characters. The API accepts them in text.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def writable(value) -> str:
    """`value` as text a document can hold: what it cannot is left out."""
    return _UNWRITABLE.sub("", str(value))


def text(value) -> str | None:
    """`value` as a document will show it, stripped, or None when nothing is left."""
    return writable(value or "").strip() or None


def address(value: dict | None) -> dict:
    """An address with every field present, blank ones as None."""
    value = value or {}
    return {name: text(value.get(name)) for name in ADDRESS_FIELDS}


def has_address(value: dict | None) -> bool:
    return any(address(value).values())


def country(value: dict | None) -> str | None:
    code = address(value)["country"]
    return code.upper() if code else None


def is_country(code: str | None) -> bool:
    return code in COUNTRIES


def buyer_name(recipient: dict) -> str | None:
    """The legal entity billed, else the company (BT-44)."""
    return text(recipient.get("billing_entity")) or text(recipient.get("company"))
