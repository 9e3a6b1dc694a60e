"""The invoice status machine.

draft → sent → viewed → changes_requested ↔ sent, then approved, paid or void.
Approved, paid and void invoices are locked: their content never changes again.
"""

from billing.errors import Conflict

DRAFT, SENT, VIEWED = "draft", "sent", "viewed"
CHANGES_REQUESTED, APPROVED, PAID, VOID = "changes_requested", "approved", "paid", "void"
STATUSES = (DRAFT, SENT, VIEWED, CHANGES_REQUESTED, APPROVED, PAID, VOID)
LOCKED = frozenset({APPROVED, PAID, VOID})
_OPEN = frozenset({DRAFT, SENT, VIEWED, CHANGES_REQUESTED})

# action → (the statuses it may start from, the status it leads to)
TRANSITIONS = {
    "send": (frozenset({DRAFT, CHANGES_REQUESTED}), SENT),
    "view": (frozenset({DRAFT, SENT}), VIEWED),
    "request_changes": (frozenset({DRAFT, SENT, VIEWED}), CHANGES_REQUESTED),
    "approve": (_OPEN, APPROVED),
    "mark_paid": (_OPEN | {APPROVED}, PAID),
    "void": (_OPEN | {APPROVED}, VOID),
}

# The timestamp each status sets when an invoice enters it.
TIMESTAMPS = {SENT: "sent_at", VIEWED: "viewed_at", APPROVED: "approved_at", PAID: "paid_at", VOID: "voided_at"}


def _or_list(names) -> str:
    names = sorted(names, key=STATUSES.index)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def can(action: str, status: str) -> bool:
    return status in TRANSITIONS[action][0]


def transition(action: str, status: str, number: str) -> str:
    """The status `action` leads to from `status`, or a Conflict naming both states."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise Conflict(
            f"Invoice {number} is {status} and cannot become {target}: "
            f"only {_or_list(sources)} invoices can."
        )
    return target


def ensure_editable(status: str, number: str) -> None:
    if status in LOCKED:
        raise Conflict(
            f"Invoice {number} is {status}, so it is locked: approved, paid and void "
            "invoices cannot be changed. Create a new invoice instead."
        )
