"""Customer codes: the prefix of every invoice number (ACME-0001)."""

import re
import unicodedata

MAX_LENGTH = 8
FALLBACK = "CUST"
# Labels that sit between the name and the top-level domain: acme.co.uk → ACME.
_SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov", "edu", "ltd", "plc"}


def _letters_and_digits(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", ascii_text).upper()


def from_company(company: str) -> str:
    """'Acme Corp' → 'ACME': the first word that has letters or digits."""
    for word in company.split():
        code = _letters_and_digits(word)[:MAX_LENGTH]
        if code:
            return code
    return ""


def from_email(email: str) -> str:
    """'ap@globex.io' → 'GLOBEX', 'billing@mail.acme.co.uk' → 'ACME'."""
    labels = email.rpartition("@")[2].lower().split(".")
    if len(labels) > 1:
        labels = labels[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return _letters_and_digits(labels[-1])[:MAX_LENGTH]


def base_code(company: str | None, email: str | None) -> str:
    return (company and from_company(company)) or (email and from_email(email)) or FALLBACK


def candidates(base: str):
    """ACME, ACME2, ACME3, … each at most MAX_LENGTH characters long, none twice
    (truncating a base that ends in digits could otherwise repeat one)."""
    seen = {base}
    yield base
    n = 2
    while True:
        suffix = str(n)
        code = base[: MAX_LENGTH - len(suffix)] + suffix
        if code not in seen:
            seen.add(code)
            yield code
        n += 1


def invoice_number(code: str, sequence: int) -> str:
    return f"{code}-{sequence:04d}"


def sequence_of(number: str) -> int:
    """ACME-0012 → 12: where an invoice number stands in its customer's sequence."""
    return int(number.rpartition("-")[2])
