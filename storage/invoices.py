"""Invoice rows and their immutable version history. What may change when, and
what a change records, is decided above (workflow.invoices)."""

from storage import outbox
from storage.engine import Tx
from storage.stored_json import parsed, written

COLUMNS = (
    "id", "account_id", "number", "customer_id", "status", "revision", "content", "share_token", "version",
    "subtotal_cents", "discount_cents", "tax_cents", "total_cents", "amount_paid_cents", "amount_credited_cents",
    "created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at",
    # How it was delivered (JSON), and the state of the email that carried it.
    "delivery", f"{outbox.state_sql('invoices.delivery_message_id')} AS delivery_status",
    # The customer's id as the API shows it: its number in the account, not its row.
    "(SELECT customers.number FROM customers WHERE customers.id = invoices.customer_id) AS customer_number",
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM invoices"
VERSION_COLUMNS = "version, created_at, actor, action, reverts, changes"
NEWEST = 9223372036854775807


def record(row: dict | None) -> dict | None:
    if row is None:
        return None
    row = dict(row)
    row["pk"] = row.pop("id")
    row["customer_pk"] = row.pop("customer_id")
    row["content"] = parsed(row["content"])
    row["delivery"] = parsed(row["delivery"]) if row["delivery"] else None
    return row


def by_number(tx: Tx, account_id: int, number: str, *, lock: bool = False) -> dict | None:
    sql = f"{SELECT} WHERE account_id = ? AND number = ?{tx.for_update if lock else ''}"
    return record(tx.one(sql, [account_id, number]))


def by_pk(tx: Tx, pk: int) -> dict | None:
    return record(tx.one(f"{SELECT} WHERE id = ?", [pk]))


def by_token(tx: Tx, token: str, *, lock: bool = False) -> dict | None:
    return record(tx.one(f"{SELECT} WHERE share_token = ?{tx.for_update if lock else ''}", [token]))


def insert(tx: Tx, row: dict) -> dict:
    return record(tx.insert("invoices", {**row, "content": written(row["content"])}, returning=", ".join(COLUMNS)))


def update(tx: Tx, pk: int, columns: dict) -> dict:
    if "content" in columns:
        columns = {**columns, "content": written(columns["content"])}
    if "delivery" in columns:
        columns = {**columns, "delivery": written(columns["delivery"])}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    return record(tx.one(f"UPDATE invoices SET {assignments} WHERE id = ? RETURNING {', '.join(COLUMNS)}",
                         [*columns.values(), pk]))


def delete(tx: Tx, pk: int) -> None:
    """Remove an invoice with everything that hangs off it."""
    for table in ("invoice_versions", "invoice_comments", "outbox", "payments", "credit_notes", "reminders_sent"):
        tx.run(f"DELETE FROM {table} WHERE invoice_id = ?", [pk])
    tx.run("DELETE FROM invoices WHERE id = ?", [pk])


# billing.reminders.still_due in SQL: keep the two in step.
STILL_DUE = "status NOT IN ('paid', 'void') AND total_cents > 0"
REMINDABLE = "status IN ('sent', 'viewed', 'changes_requested', 'approved')"


# A page holds at most this much stored content (and always one invoice): a hundred
# invoices of 500 lines of 1,000 characters would be 55 MB to read, present and send.
PAGE_CONTENT_BUDGET = 2_000_000


def page(tx: Tx, account_id: int, before: int | None, limit: int, *,
         status: str | None = None, customer_number: int | None = None, overdue_on: str | None = None,
         overdue: bool = True) -> tuple[list[dict], bool]:
    """A page of an account's invoices, newest first, and whether more follow. It ends
    after `limit` invoices, or before the one whose content would take it past
    PAGE_CONTENT_BUDGET. `overdue_on` (today's date): only those overdue on that day,
    or with overdue=False only those not overdue. `customer_number`: only those of the
    account's customer with that id."""
    where = ["account_id = ?", "id < ?"]
    params: list = [account_id, NEWEST if before is None else before]
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if overdue_on is not None:
        where.append(f"{'' if overdue else 'NOT '}(due_date < ? AND {STILL_DUE})")
        params.append(overdue_on)
    if customer_number is not None:
        where.append("customer_id = (SELECT id FROM customers WHERE account_id = ? AND number = ?)")
        params += [account_id, customer_number]
    kept: list[dict] = []
    size = 0
    for row in tx.each(f"{SELECT} WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?", [*params, limit + 1]):
        size += len(row["content"])
        if len(kept) == limit or (kept and size > PAGE_CONTENT_BUDGET):
            return kept, True
        kept.append(record(row))
    return kept, False


def remindable(tx: Tx, account_id: int, due_by: str, after_pk: int, limit: int, final_step: str) -> list[dict]:
    """The next invoices (by id, after `after_pk`) that may need a reminder: sent
    and still due, due by `due_by`, their `final_step` not yet recorded. Claimed
    for this unit of work: rows another scheduler holds are skipped, not waited for."""
    rows = tx.all(
        f"""{SELECT} WHERE account_id = ? AND id > ? AND {REMINDABLE} AND {STILL_DUE} AND due_date <= ?
            AND NOT EXISTS (SELECT 1 FROM reminders_sent WHERE reminders_sent.invoice_id = invoices.id
                            AND reminders_sent.step = ?)
            ORDER BY id LIMIT ?{tx.skip_locked}""",
        [account_id, after_pk, due_by, final_step, limit],
    )
    return [record(row) for row in rows]


def add_version(tx: Tx, invoice_pk: int, version: int, created_at: str, actor: str, action: str,
                changes: list, snapshot: dict, reverts: int | None) -> None:
    tx.insert("invoice_versions", {
        "invoice_id": invoice_pk, "version": version, "created_at": created_at, "actor": actor, "action": action,
        "changes": written(changes), "snapshot": written(snapshot), "reverts": reverts,
    }, returning="version")


def snapshot(tx: Tx, invoice_pk: int, number: int) -> dict | None:
    """The invoice's state (status, revision, content fields) as version `number` left it."""
    text = tx.value("SELECT snapshot FROM invoice_versions WHERE invoice_id = ? AND version = ?", [invoice_pk, number])
    return parsed(text) if text else None


def _version(row: dict) -> dict:
    return {**row, "changes": parsed(row["changes"])}


def version(tx: Tx, invoice_pk: int, number: int) -> dict | None:
    row = tx.one(f"SELECT {VERSION_COLUMNS} FROM invoice_versions WHERE invoice_id = ? AND version = ?",
                 [invoice_pk, number])
    return None if row is None else _version(row)


def versions(tx: Tx, invoice_pk: int, before: int | None, limit: int) -> list[dict]:
    """An invoice's versions, newest first."""
    rows = tx.all(
        f"""SELECT {VERSION_COLUMNS} FROM invoice_versions WHERE invoice_id = ? AND version < ?
            ORDER BY version DESC LIMIT ?""",
        [invoice_pk, NEWEST if before is None else before, limit + 1],
    )
    return [_version(row) for row in rows]
