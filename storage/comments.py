"""The comment thread of each invoice, oldest first."""

from datetime import datetime

from sqlite_utils import Database
from storage.db import Connections, stamp
from storage.pagination import Cursors, Page

COLUMNS = "id, created_at, actor, author_name, body"


def _comment(row) -> dict:
    return dict(zip(("id", "created_at", "actor", "author_name", "body"), row))


def add(db: Database, invoice_pk: int, version: int, now: datetime, actor: str, author_name: str | None, body: str) -> dict:
    """Add a comment inside the caller's write transaction (which also writes its version)."""
    comment_id = db["invoice_comments"].insert({
        "invoice_id": invoice_pk, "version": version, "created_at": stamp(now),
        "actor": actor, "author_name": author_name, "body": body,
    }).last_pk
    return {"id": comment_id, "created_at": stamp(now), "actor": actor, "author_name": author_name, "body": body}


class Comments:
    def __init__(self, connections: Connections, cursors: Cursors):
        self._conn = connections
        self._cursors = cursors

    def thread(self, invoice_pk: int) -> list[dict]:
        rows = self._conn.db.execute(
            f"SELECT {COLUMNS} FROM invoice_comments WHERE invoice_id = ? ORDER BY id", [invoice_pk]
        ).fetchall()
        return [_comment(row) for row in rows]

    def page(self, invoice_pk: int, limit: int, cursor: str | None) -> Page:
        """Oldest first, like a conversation: the cursor moves forward in time."""
        after = self._cursors.decode("comments", cursor) if cursor else 0
        rows = self._conn.db.execute(
            f"SELECT {COLUMNS} FROM invoice_comments WHERE invoice_id = ? AND id > ? ORDER BY id LIMIT ?",
            [invoice_pk, after, limit + 1],
        ).fetchall()
        return self._cursors.page("comments", [_comment(row) for row in rows], limit, lambda c: c["id"])
