"""Can this invoice be an EN 16931 e-invoice? The problems, each with the rule it
breaks, the API field to fix and a sentence saying how.

`problems(invoice, seller)` takes the invoice as the API shows it and the
account profile; an invoice is exportable when the list is empty. What is
listed is what the official rules make fatal, so an exportable invoice passes
the CEN validation, plus currencies with three decimals, which the standard's
two-decimal amounts cannot carry. The checks follow the order of the document:
seller, buyer, currency, lines, VAT identifiers.
"""

from billing import money, parties, taxes
from billing.errors import UnprocessableEntity

# The category part of the standard's rule ids (BR-S-02, BR-IC-10…).
RULE_TAG = {"S": "S", "Z": "Z", "E": "E", "AE": "AE", "K": "IC", "G": "G", "O": "O"}
ACCOUNT = "the account profile (update_account)"


def problem(rule: str, field: str, message: str) -> dict:
    return {"rule": rule, "field": field, "message": message}


def exportable(invoice: dict, seller: dict) -> bool:
    return not problems(invoice, seller)


def report(found: list[dict]) -> dict:
    """The compliance check's answer: {"exportable": bool, "problems": [...]}."""
    return {"exportable": not found, "problems": found}


def problems(invoice: dict, seller: dict) -> list[dict]:
    """The reasons `invoice` cannot be exported, for the sender to fix; [] when it can."""
    return _problems(invoice, invoice["recipient"], invoice.get("tax"), seller)


def credit_note_problems(credit_note: dict, invoice: dict, seller: dict) -> list[dict]:
    """The same for a credit note: its lines, the invoice's buyer. A line without its
    own tax takes the invoice's."""
    return _problems(credit_note, invoice["recipient"], invoice.get("tax"), seller)


def _problems(document: dict, recipient: dict, default_tax: dict | None, seller: dict) -> list[dict]:
    categories = _categories(document, default_tax)
    return [
        *_seller(seller, categories),
        *_buyer(recipient),
        *_currency(document["currency"]),
        *_lines(document["line_items"], default_tax),
        *_vat_ids(seller, recipient, categories),
    ]


def _categories(document: dict, default_tax: dict | None) -> list[str]:
    """The VAT categories on the document, in order of first appearance."""
    keys = (taxes.category_of(taxes.effective(item, default_tax)) for item in document["line_items"])
    return list(dict.fromkeys(key for key in keys if key))


def _address(prefix: str, value: dict | None, rules: tuple[str, str], whose: str, how: str) -> list[dict]:
    missing_address, missing_country = rules
    if not parties.has_address(value):
        return [problem(missing_address, f"{prefix}.address", (
            f"{whose} postal address is missing; set {prefix}.address with at least line1, city, "
            f"postal_code and country (ISO 3166-1 alpha-2, e.g. DE) in {how}."))]
    code = parties.country(value)
    if not code:
        return [problem(missing_country, f"{prefix}.address.country", (
            f"{whose} address has no country; set {prefix}.address.country to its ISO 3166-1 "
            f"alpha-2 code (DE, FR, NL…) in {how}."))]
    if not parties.is_country(code):
        return [problem("BR-CL-14", f"{prefix}.address.country", (
            f"{code!r} is not an ISO 3166-1 alpha-2 country code; use two letters such as DE, FR "
            f"or GB in {how}."))]
    return []


def _seller(seller: dict, categories: list[str]) -> list[dict]:
    found = []
    if not parties.text(seller.get("legal_name")):
        found.append(problem("BR-06", "account.legal_name", (
            "The seller's legal name is missing; set legal_name (the registered name of your "
            f"business) in {ACCOUNT}.")))
    found += _address("account", seller.get("address"), ("BR-08", "BR-09"), "The seller's", ACCOUNT)
    vat_id = parties.is_vat_id(seller.get("tax_id")) and "O" not in categories
    if not (vat_id or parties.text(seller.get("company_id"))):
        if "O" in categories:
            why = ("an invoice outside the scope of VAT (category O) may not carry a VAT identifier, "
                   "so it needs company_id, the seller's legal registration number")
        else:
            why = ("set tax_id to the seller's VAT identifier (e.g. DE123456789) "
                   "or company_id to its legal registration number")
        found.append(problem("BR-CO-26", "account.tax_id" if "O" not in categories else "account.company_id",
                             f"The seller has no identifier; {why}, in {ACCOUNT}."))
    return found


def _buyer(recipient: dict) -> list[dict]:
    how = "the invoice (update_invoice), or ask the recipient to fix it on the share link"
    found = []
    if not parties.buyer_name(recipient):
        found.append(problem("BR-07", "recipient.company", (
            "The buyer's name is missing; set recipient.company (or recipient.billing_entity, the "
            "legal entity billed) with update_invoice.")))
    found += _address("recipient", recipient.get("address"), ("BR-10", "BR-11"), "The buyer's", how)
    return found


def _currency(currency: str) -> list[dict]:
    if money.exponent(currency) <= 2:
        return []
    return [problem("BR-DEC-09", "currency", (
        f"{currency} amounts have {money.exponent(currency)} decimals, and EN 16931 e-invoices allow "
        "at most 2; such an invoice cannot be exported as UBL, CII or Factur-X. Bill in a currency "
        "with 2 or fewer decimals (EUR, USD…) to export it."))]


def _tax_field(index: int, item: dict) -> str:
    """Where the tax of line `index` is written: on the line, or on the invoice."""
    return f"line_items[{index}].tax" if item.get("tax") else "tax"


def _lines(items: list[dict], default_tax: dict | None) -> list[dict]:
    found, seen = [], set()
    untaxed = [index for index, item in enumerate(items) if not taxes.effective(item, default_tax)]
    if untaxed and len(untaxed) == len(items):
        found.append(problem("BR-CO-04", "tax", (
            "No VAT category: neither the invoice nor its lines have a tax. Set tax, e.g. "
            '{"name": "VAT", "rate": 20} (category S), or give each line its own tax.')))
    else:
        found += [problem("BR-CO-04", f"line_items[{index}].tax.category", (
            f"Line {index + 1} has no VAT category: give it a tax, or set the invoice's tax, which "
            "lines without their own take.")) for index in untaxed]
    found += [problem("BR-25", f"line_items[{index}].description", (
        f"Line {index + 1} has no readable description (the item name e-invoices require); "
        "describe what is billed in words.")) for index, item in enumerate(items)
        if not parties.text(item["description"])]
    for index, item in enumerate(items):
        tax = taxes.effective(item, default_tax)
        field = _tax_field(index, item)
        if not tax or field in seen:
            continue
        seen.add(field)
        wrong = taxes.problem(tax)
        if wrong:
            name, sentence = wrong
            tag = RULE_TAG[taxes.category_of(tax)]
            found.append(problem(f"BR-{tag}-{'05' if name == 'rate' else '10'}", f"{field}.{name}", sentence))
    categories = [taxes.category_of(taxes.effective(item, default_tax)) for item in items]
    if "O" in categories and any(category not in (None, "O") for category in categories):
        first = next(i for i, category in enumerate(categories) if category not in (None, "O"))
        found.append(problem("BR-O-11", f"{_tax_field(first, items[first])}.category", (
            "An invoice outside the scope of VAT (category O) may not have lines in other VAT "
            "categories; put those lines on an invoice of their own.")))
    return found


# Which categories need which identifiers: the seller's VAT id (or, for S, Z, E and AE,
# a national tax number in its place), and for AE and K the buyer's VAT id.
SELLER_TAX_ID = {"S": False, "Z": False, "E": False, "AE": False, "K": True, "G": True}
BUYER_VAT_ID = ("AE", "K")


def _vat_ids(seller: dict, recipient: dict, categories: list[str]) -> list[dict]:
    found = []
    tax_id = seller.get("tax_id")
    if parties.looks_like_vat_id(tax_id) and not parties.is_vat_id(tax_id):
        found.append(problem("BR-CO-09", "account.tax_id", (
            f"{tax_id!r} does not start with a country prefix the standard knows; a VAT identifier "
            f"starts with its ISO 3166-1 country code (EL for Greece), e.g. DE123456789. Fix it in {ACCOUNT}.")))
    for category in categories:
        if category not in SELLER_TAX_ID:
            continue
        vat_only = SELLER_TAX_ID[category]
        ok = parties.is_vat_id(tax_id) if vat_only else bool(parties.text(tax_id))
        if not ok:
            found.append(problem(f"BR-{RULE_TAG[category]}-02", "account.tax_id", (
                f"Lines in VAT category {category} ({taxes.CATEGORIES[category]}) need the seller's "
                f"VAT identifier{'' if vat_only else ' or tax number'}; set tax_id (e.g. DE123456789) "
                f"in {ACCOUNT}.")))
            break
    buyer_id = recipient.get("tax_id")
    for category in categories:
        if category in BUYER_VAT_ID and not parties.is_vat_id(buyer_id):
            found.append(problem(f"BR-{RULE_TAG[category]}-02", "recipient.tax_id", (
                f"Lines in VAT category {category} ({taxes.CATEGORIES[category]}) need the buyer's "
                "VAT identifier with its country prefix (e.g. FR12345678901); set recipient.tax_id "
                "with update_invoice, or ask the recipient to add it on the share link.")))
            break
    return found


def ensure_exportable(found: list[dict]) -> None:
    """Refuse an export with the problems `problems()` found: one 422 whose sentence
    lists them all, its field the first one's."""
    if found:
        listed = " ".join(f"{item['field']} ({item['rule']}): {item['message']}" for item in found)
        raise UnprocessableEntity(
            f"This cannot be exported as an EN 16931 e-invoice until {len(found)} "
            f"thing{'s are' if len(found) > 1 else ' is'} fixed. {listed}",
            found[0]["field"],
        )
