"""Event rows: what happened in an account, with the object as it was then.
Which events there are, and who hears of them, is decided above (workflow.events)."""

from storage.engine import Tx
from storage.stored_json import parsed, written

STORED = "id, public_id, type, data, created_at"
# Whether the event happened in live mode: its account is no test account.
LIVEMODE = "(SELECT test_of IS NULL FROM accounts WHERE accounts.id = events.account_id) AS livemode"
COLUMNS = f"{STORED}, {LIVEMODE}"
NEWEST = 9223372036854775807


def record(row: dict | None) -> dict | None:
    """An event as the API shows it; `pk` is its place in the account's order."""
    if row is None:
        return None
    return {"pk": row["id"], "id": row["public_id"], "type": row["type"], "created_at": row["created_at"],
            "livemode": bool(row["livemode"]), "data": parsed(row["data"])}


def insert(tx: Tx, account_id: int, public_id: str, type_: str, data: dict, created_at: str) -> tuple[int, bool]:
    """Store an event: its row's id, and whether its account has an enabled webhook
    endpoint, asked in the same statement (most accounts have none, and their writes
    then look no further)."""
    row = tx.one(
        "INSERT INTO events (account_id, public_id, type, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id,"
        " EXISTS (SELECT 1 FROM webhook_endpoints WHERE account_id = ? AND enabled = 1) AS heard",
        [account_id, public_id, type_, written(data), created_at, account_id],
    )
    return row["id"], bool(row["heard"])


def by_public_id(tx: Tx, account_id: int, public_id: str) -> dict | None:
    return record(tx.one(f"SELECT {COLUMNS} FROM events WHERE account_id = ? AND public_id = ?",
                         [account_id, public_id]))


def page(tx: Tx, account_id: int, before: int | None, limit: int, *, type_: str | None = None) -> list[dict]:
    where = ["account_id = ?", "id < ?"]
    params: list = [account_id, NEWEST if before is None else before]
    if type_ is not None:
        where.append("type = ?")
        params.append(type_)
    rows = tx.all(f"SELECT {COLUMNS} FROM events WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
                  [*params, limit + 1])
    return [record(row) for row in rows]
