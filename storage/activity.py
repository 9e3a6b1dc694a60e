"""What recipients did to a sender's invoices: the versions they wrote (edits,
comments, approvals), newest first, for the sender's dashboard."""

import json

from storage.db import Connections

COLUMNS = ("number", "version", "created_at", "action", "changes")


class Activity:
    def __init__(self, connections: Connections):
        self._conn = connections

    def by_recipients(self, account_id: int, limit: int) -> list[dict]:
        rows = self._conn.db.execute(
            """SELECT invoices.number, v.version, v.created_at, v.action, v.changes
               FROM invoice_versions AS v JOIN invoices ON invoices.id = v.invoice_id
               WHERE invoices.account_id = ? AND v.actor = 'recipient'
               ORDER BY v.created_at DESC, v.invoice_id DESC, v.version DESC LIMIT ?""",
            [account_id, limit],
        ).fetchall()
        return [{**dict(zip(COLUMNS, row)), "changes": json.loads(row[4])} for row in rows]
