"""What recipients did to a sender's invoices: the versions they wrote (edits,
comments, approvals), newest first, for the sender's dashboard."""

from storage.stored_json import parsed


class Activity:
    def __init__(self, db):
        self._db = db

    def by_recipients(self, account_id: int, limit: int) -> list[dict]:
        with self._db.read() as tx:
            rows = tx.all(
                """SELECT invoices.number, v.version, v.created_at, v.action, v.changes
                   FROM invoice_versions AS v JOIN invoices ON invoices.id = v.invoice_id
                   WHERE invoices.account_id = ? AND v.actor = 'recipient'
                   ORDER BY v.created_at DESC, v.invoice_id DESC, v.version DESC LIMIT ?""",
                [account_id, limit],
            )
        return [{**row, "changes": parsed(row["changes"])} for row in rows]
