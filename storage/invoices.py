"""Invoice rows and their immutable version history. What may change when, and
what a change records, is decided above (workflow.invoices)."""

import json

from storage.engine import Tx

COLUMNS = (
    "id", "account_id", "number", "customer_id", "status", "revision", "content", "share_token", "version",
    "subtotal_cents", "discount_cents", "tax_cents", "total_cents", "amount_paid_cents", "amount_credited_cents",
    "created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at",
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM invoices"
VERSION_COLUMNS = "version, created_at, actor, action, reverts, changes"
NEWEST = 9223372036854775807


def record(row: dict | None) -> dict | None:
    if row is None:
        return None
    row = dict(row)
    row["pk"] = row.pop("id")
    row["content"] = json.loads(row["content"])
    return row


def by_number(tx: Tx, account_id: int, number: str, *, lock: bool = False) -> dict | None:
    sql = f"{SELECT} WHERE account_id = ? AND number = ?{tx.for_update if lock else ''}"
    return record(tx.one(sql, [account_id, number]))


def by_pk(tx: Tx, pk: int) -> dict | None:
    return record(tx.one(f"{SELECT} WHERE id = ?", [pk]))


def by_token(tx: Tx, token: str, *, lock: bool = False) -> dict | None:
    return record(tx.one(f"{SELECT} WHERE share_token = ?{tx.for_update if lock else ''}", [token]))


def insert(tx: Tx, row: dict) -> dict:
    return record(tx.insert("invoices", {**row, "content": json.dumps(row["content"])}, returning=", ".join(COLUMNS)))


def update(tx: Tx, pk: int, columns: dict) -> dict:
    if "content" in columns:
        columns = {**columns, "content": json.dumps(columns["content"])}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    return record(tx.one(f"UPDATE invoices SET {assignments} WHERE id = ? RETURNING {', '.join(COLUMNS)}",
                         [*columns.values(), pk]))


def page(tx: Tx, account_id: int, before: int | None, limit: int, *,
         status: str | None = None, customer_id: int | None = None) -> list[dict]:
    where = ["account_id = ?", "id < ?"]
    params: list = [account_id, NEWEST if before is None else before]
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if customer_id is not None:
        where.append("customer_id = ?")
        params.append(customer_id)
    rows = tx.all(f"{SELECT} WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?", [*params, limit + 1])
    return [record(row) for row in rows]


def add_version(tx: Tx, invoice_pk: int, version: int, created_at: str, actor: str, action: str,
                changes: list, snapshot: dict, reverts: int | None) -> None:
    tx.insert("invoice_versions", {
        "invoice_id": invoice_pk, "version": version, "created_at": created_at, "actor": actor, "action": action,
        "changes": json.dumps(changes), "snapshot": json.dumps(snapshot), "reverts": reverts,
    }, returning="version")


def _version(row: dict) -> dict:
    return {**row, "changes": json.loads(row["changes"])}


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
