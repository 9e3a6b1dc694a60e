"""Amendments and financial changes, and the revisions the latter start.

An *amendment* corrects who is billed or how (PO number, recipient details,
footer note) and leaves what is charged alone. A *financial* change alters what
is charged or when (lines, prices, discount, tax, currency, dates). Once the
recipient may have seen an invoice (it is sent, viewed, or they asked for
changes), a financial change starts the next revision (1, 2, 3…): the invoice
goes back to `sent`, and only an approval of that revision counts.
"""

from billing.status import CHANGES_REQUESTED, SENT, VIEWED

FINANCIAL = frozenset({"currency", "line_items", "discount", "tax", "issue_date", "due_date"})
# Statuses in which the recipient may have seen the invoice as it stands.
SEEN = frozenset({SENT, VIEWED, CHANGES_REQUESTED})


def is_financial(fields) -> bool:
    return any(field in FINANCIAL for field in fields)


def after_change(status: str, revision: int, changed_fields) -> tuple[str, int]:
    """The (status, revision) an invoice has after its content changed in `changed_fields`."""
    if status in SEEN and is_financial(changed_fields):
        return SENT, revision + 1
    return status, revision
