"""The comment thread of each invoice, oldest first."""

from storage.engine import Tx

COLUMNS = "id, created_at, actor, author_name, body"


def add(tx: Tx, invoice_pk: int, version: int, created_at: str, actor: str, author_name: str | None,
        body: str) -> dict:
    """Add a comment inside the caller's unit of work (which also writes its version)."""
    return tx.insert("invoice_comments", {
        "invoice_id": invoice_pk, "version": version, "created_at": created_at,
        "actor": actor, "author_name": author_name, "body": body,
    }, returning=COLUMNS)


def thread(tx: Tx, invoice_pk: int) -> list[dict]:
    return tx.all(f"SELECT {COLUMNS} FROM invoice_comments WHERE invoice_id = ? ORDER BY id", [invoice_pk])


def after(tx: Tx, invoice_pk: int, after_id: int, limit: int) -> list[dict]:
    return tx.all(f"SELECT {COLUMNS} FROM invoice_comments WHERE invoice_id = ? AND id > ? ORDER BY id LIMIT ?",
                  [invoice_pk, after_id, limit + 1])
