"""Getting paid: what is still due on an invoice and which payments it may take.

due = total − paid − credited, never below zero: a payment above what is due
is refused, and so is a change that would make the total less than what has
been paid and credited. An invoice with nothing left due is paid.
"""

import json
from datetime import date

from billing import status
from billing.errors import Conflict, UnprocessableEntity
from billing.money import format_amount

METHODS = ("bank_transfer", "card", "cash", "check", "other")
# The statuses a payment may arrive in: the recipient has the invoice and it is still open.
PAYABLE = frozenset({status.SENT, status.VIEWED, status.CHANGES_REQUESTED, status.APPROVED})
# What a financial change may alter in what is charged, in the order to blame them.
CHARGED = ("line_items", "discount", "tax")


def amount_due(total: int, paid: int, credited: int) -> int:
    return max(0, total - paid - credited)


def settlement(total: int, paid: int, credited: int) -> dict:
    """The three amounts every invoice shows beside its total."""
    return {"amount_paid_cents": paid, "amount_credited_cents": credited,
            "amount_due_cents": amount_due(total, paid, credited)}


def ensure_payable(state: str, number: str) -> None:
    if state not in PAYABLE:
        raise Conflict(
            f"Invoice {number} is {state}, so it cannot take a payment: payments are recorded on sent, viewed, "
            "changes_requested and approved invoices."
            + (" Send it first." if state == status.DRAFT else "")
        )


def check_payment(amount: int, due: int, currency: str, number: str) -> None:
    """A payment may settle what is due, never more."""
    if amount > due:
        raise UnprocessableEntity(
            f"amount_cents {amount} ({format_amount(amount, currency)}) is more than the "
            f"{format_amount(due, currency)} still due on invoice {number}; record at most "
            f"amount_due_cents ({due}).",
            "amount_cents",
        )


def paid_at(text: str | None, now: str) -> str:
    """When a payment was received: the UTC stamp given (not after `now`, in the same
    YYYY-MM-DDTHH:MM:SSZ form, so the two compare as text), else now."""
    if text is None:
        return now
    if text > now:
        raise UnprocessableEntity(
            f"paid_at {text} is in the future; record a payment once it has been received.", "paid_at"
        )
    return text


def check_charge(before: dict, after: dict, total: int, paid: int, credited: int, number: str) -> None:
    """A financial change keeps the total at or above what is paid and credited, and
    keeps the currency the payments were made in."""
    if not paid and not credited:
        return
    if after["currency"] != before["currency"]:
        raise UnprocessableEntity(
            f"Invoice {number} has payments in {before['currency']}, so its currency can no longer change.",
            "currency",
        )
    settled = paid + credited
    if total < settled:
        field = next((name for name in CHARGED if after.get(name) != before.get(name)), "line_items")
        raise UnprocessableEntity(
            f"This change would make the total of invoice {number} {format_amount(total, after['currency'])}, "
            f"less than the {format_amount(settled, after['currency'])} already paid or credited; an invoice "
            "cannot charge less than it has received.",
            field,
        )


def is_overdue(state: str, due_date: str, due: int, today: date) -> bool:
    """Due date past, something still due, not paid or void."""
    return state not in (status.PAID, status.VOID) and due > 0 and due_date < today.isoformat()


def receivables(invoices, today: date) -> list[dict]:
    """Outstanding and overdue totals per currency, from (status, currency, due_date,
    amount due) of each invoice; currencies in alphabetical order."""
    totals: dict[str, dict] = {}
    for state, currency, due_date, due in invoices:
        if state in (status.PAID, status.VOID) or due <= 0:
            continue
        row = totals.setdefault(currency, {"currency": currency, "outstanding_cents": 0, "overdue_cents": 0})
        row["outstanding_cents"] += due
        if is_overdue(state, due_date, due, today):
            row["overdue_cents"] += due
    return [totals[currency] for currency in sorted(totals)]


def pay_to(account: dict | None) -> dict | None:
    """The seller's bank details from their account (`payment: {iban, bic, account_name}`),
    or None when they have given none. The account name falls back to the legal or
    display name. Tolerates accounts without payment details and details stored as JSON text."""
    payment = (account or {}).get("payment")
    if isinstance(payment, str):
        try:
            payment = json.loads(payment)
        except ValueError:
            payment = None
    if not isinstance(payment, dict):
        return None
    iban = "".join(str(payment.get("iban") or "").split()).upper()
    if not iban:
        return None
    bic = "".join(str(payment.get("bic") or "").split()).upper() or None
    name = next((str(value).strip() for value in (payment.get("account_name"), account.get("legal_name"),
                                                  account.get("display_name")) if value and str(value).strip()), None)
    return {"account_name": name, "iban": iban, "bic": bic}


def is_iban(text: str) -> bool:
    """ISO 13616: two letters, two check digits, up to 30 letters or digits, mod 97 = 1."""
    shaped = 15 <= len(text) <= 34 and text[:2].isalpha() and text[2:4].isdigit()
    if not shaped or not (text.isascii() and text.isalnum()):
        return False
    digits = "".join(str(int(char, 36)) for char in text[4:] + text[:4])
    return int(digits) % 97 == 1
