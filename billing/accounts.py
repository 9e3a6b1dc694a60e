"""The seller profile: who bills (legal name, address, tax and company ids), how
to be paid, the defaults and the reminder schedule. Normalised and checked here;
stored as one JSON object on the account (storage.accounts)."""

import re
from collections.abc import Callable

from billing import money
from billing.countries import COUNTRIES, USER_ASSIGNED
from billing.errors import UnprocessableEntity

PROFILE_FIELDS = (
    "legal_name", "address", "tax_id", "company_id", "payment",
    "default_currency", "default_payment_terms_days", "reminders", "contact_email",
)
# Off until the sender turns them on: nobody's customers get mail they did not ask us to send.
DEFAULT_REMINDERS: dict[str, list[int]] = {"before_due_days": [], "after_due_days": []}
PAYMENT_FIELDS = ("iban", "bic", "account_name")
ADDRESS_FIELDS = ("line1", "line2", "line3", "city", "state", "postal_code", "country")

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$")


def with_defaults(stored: dict | None) -> dict:
    """Every profile field, the unset ones at their defaults."""
    stored = stored or {}
    profile = {name: stored.get(name) for name in PROFILE_FIELDS}
    profile["reminders"] = {**DEFAULT_REMINDERS, **(stored.get("reminders") or {})}
    return profile


def _compact(text: str | None) -> str | None:
    """Identifiers people write with spaces (IBANs, VAT ids): upper case, no spaces."""
    return "".join(text.split()).upper() or None if text else None


def known_country(code: str) -> bool:
    return code in COUNTRIES or code in USER_ASSIGNED


def iban_checks_out(iban: str) -> bool:
    """ISO 13616: the country letters, then the two check digits, then mod 97 of
    the rearranged number is 1."""
    if not _IBAN.match(iban) or not known_country(iban[:2]):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _address(address: dict | None) -> dict | None:
    if address is None:
        return None
    address = {name: address.get(name) for name in ADDRESS_FIELDS}
    if address["country"]:
        country = address["country"].strip().upper()
        if not known_country(country):
            raise UnprocessableEntity(
                f"address.country must be an ISO 3166-1 alpha-2 code such as DE, FR or US, not {address['country']!r}.",
                "address.country",
            )
        address["country"] = country
    return address


def _payment(payment: dict | None) -> dict | None:
    if payment is None:
        return None
    payment = {name: payment.get(name) for name in PAYMENT_FIELDS}
    iban, bic = _compact(payment["iban"]), _compact(payment["bic"])
    if iban and not iban_checks_out(iban):
        raise UnprocessableEntity(
            f"payment.iban {payment['iban']!r} is not a valid IBAN: its check digits do not match "
            "(copy it again from your bank statement).", "payment.iban",
        )
    if bic:
        shape = _BIC.match(bic)
        if not shape or not known_country(shape.group(1)):
            raise UnprocessableEntity(
                f"payment.bic {payment['bic']!r} is not a BIC: 8 or 11 letters and digits, "
                "like DEUTDEFF or DEUTDEFF500.",
                "payment.bic",
            )
    return {**payment, "iban": iban, "bic": bic}


def _currency(code: str | None) -> str | None:
    if code is None:
        return None
    if not money.is_currency(code.upper()):
        raise UnprocessableEntity(
            f"default_currency {code!r} is not an ISO 4217 currency code; use one such as USD, EUR or JPY.",
            "default_currency",
        )
    return code.upper()


def _contact_email(address: str | None) -> str | None:
    if address is None:
        return None
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not (local and at and "." in domain) or any(char.isspace() or not char.isprintable() for char in address):
        raise UnprocessableEntity(
            f"contact_email {address!r} must be one email address, like billing@studio.example.", "contact_email",
        )
    return address


def _reminders(current: dict, given: dict | None) -> dict:
    """Each list given replaces the stored one; `null` for the whole turns them off."""
    if given is None:
        return dict(DEFAULT_REMINDERS)
    merged = {**current, **{name: days for name, days in given.items() if days is not None}}
    return {name: sorted(set(merged.get(name) or [])) for name in DEFAULT_REMINDERS}


_NORMALISE: dict[str, Callable] = {
    "address": _address,
    "payment": _payment,
    "default_currency": _currency,
    "contact_email": _contact_email,
    "tax_id": _compact,
    "legal_name": lambda text: text.strip() or None if text else None,
    "company_id": lambda text: text.strip() or None if text else None,
}


def patched(current: dict, patch: dict) -> dict:
    """The profile `current` (with_defaults) with `patch` applied: each field given
    replaces the stored one (`null` clears it), except `reminders`, whose two lists
    are replaced one by one. Raises UnprocessableEntity naming the field at fault."""
    profile = {name: current[name] for name in PROFILE_FIELDS}
    for name, value in patch.items():
        if name == "reminders":
            profile["reminders"] = _reminders(current["reminders"], value)
        elif name in PROFILE_FIELDS:
            profile[name] = _NORMALISE[name](value) if name in _NORMALISE else value
    return profile
