"""Idempotency-key rows: one per (account, key), claimed atomically."""

from storage.engine import Tx
from storage.stored_json import parsed, written

COLUMNS = "fingerprint, state, started_at, response"


def claim(tx: Tx, account_id: int, key: str, fingerprint: str, started_at: str) -> bool:
    """Record that a request with this key has started; False when the key is
    already there (the caller then reads it, locked, to decide)."""
    inserted = tx.one(
        "INSERT INTO idempotency_keys (account_id, key, fingerprint, state, started_at) VALUES (?, ?, ?, 'started', ?) "
        "ON CONFLICT (account_id, key) DO NOTHING RETURNING state",
        [account_id, key, fingerprint, started_at],
    )
    return inserted is not None


def get(tx: Tx, account_id: int, key: str, *, lock: bool = False) -> dict | None:
    """The key's row; its response (once there is one) as `finish` was given it."""
    row = tx.one(f"SELECT {COLUMNS} FROM idempotency_keys WHERE account_id = ? AND key = ?"
                 f"{tx.for_update if lock else ''}", [account_id, key])
    if row is None or row["response"] is None:
        return row
    return {**row, "response": parsed(row["response"])}


def restart(tx: Tx, account_id: int, key: str, fingerprint: str, started_at: str) -> None:
    tx.run("UPDATE idempotency_keys SET fingerprint = ?, state = 'started', started_at = ?, response = NULL "
           "WHERE account_id = ? AND key = ?", [fingerprint, started_at, account_id, key])


def finish(tx: Tx, account_id: int, key: str, started_at: str, response: dict) -> None:
    tx.run("UPDATE idempotency_keys SET state = 'done', started_at = ?, response = ? WHERE account_id = ? AND key = ?",
           [started_at, written(response), account_id, key])


def forget_started(tx: Tx, account_id: int, key: str) -> None:
    tx.run("DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND state = 'started'", [account_id, key])


def sweep(tx: Tx, older_than: str) -> None:
    tx.run("DELETE FROM idempotency_keys WHERE started_at < ?", [older_than])
