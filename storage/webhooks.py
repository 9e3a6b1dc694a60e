"""Webhook endpoints, their deliveries (one per event and endpoint) and each
attempt a delivery took. Who is subscribed to what, and when to retry, is decided
above (workflow.events, workflow.webhooks, delivery.webhooks)."""

from storage import events
from storage.engine import Tx
from storage.stored_json import parsed, written

ENDPOINT_COLUMNS = "id, url, events, enabled, description, created_at, updated_at"
DELIVERY_COLUMNS = ("d.id, d.endpoint_id, d.status, d.attempts, d.due_ms, d.created_at, "
                    "e.public_id AS event_id, e.type AS event_type")
NEWEST = 9223372036854775807


def endpoint(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {**row, "events": parsed(row["events"]), "enabled": bool(row["enabled"])}


def insert_endpoint(tx: Tx, account_id: int, fields: dict, secret: str, now: str) -> dict:
    row = {"account_id": account_id, "url": fields["url"], "events": written(fields["events"]),
           "description": fields.get("description"), "enabled": int(fields.get("enabled", True)), "secret": secret,
           "created_at": now, "updated_at": now}
    return endpoint(tx.insert("webhook_endpoints", row, returning=ENDPOINT_COLUMNS))


def endpoint_by_id(tx: Tx, account_id: int, endpoint_id: int, *, lock: bool = False) -> dict | None:
    sql = f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ? AND account_id = ?"
    return endpoint(tx.one(sql + (tx.for_update if lock else ""), [endpoint_id, account_id]))


def update_endpoint(tx: Tx, endpoint_id: int, fields: dict, now: str) -> dict:
    columns = {**fields, "updated_at": now}
    if "events" in columns:
        columns["events"] = written(columns["events"])
    if "enabled" in columns:
        columns["enabled"] = int(columns["enabled"])
    assignments = ", ".join(f"{name} = ?" for name in columns)
    return endpoint(tx.one(f"UPDATE webhook_endpoints SET {assignments} WHERE id = ? RETURNING {ENDPOINT_COLUMNS}",
                           [*columns.values(), endpoint_id]))


def disable_endpoints(tx: Tx, account_id: int, now: str) -> int:
    """Stop sending events to any of the account's endpoints; how many were enabled."""
    return tx.run("UPDATE webhook_endpoints SET enabled = 0, updated_at = ? WHERE account_id = ? AND enabled = 1",
                  [now, account_id])


def delete_endpoint(tx: Tx, endpoint_id: int) -> None:
    """The endpoint, its deliveries and their attempts: nothing more is sent to it.
    The deliveries are locked first, so that an attempt being recorded meanwhile
    either lands before (and is deleted too) or finds its delivery gone."""
    tx.all(f"SELECT id FROM webhook_deliveries WHERE endpoint_id = ?{tx.for_update}", [endpoint_id])
    tx.run("DELETE FROM webhook_attempts WHERE delivery_id IN "
           "(SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)", [endpoint_id])
    tx.run("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", [endpoint_id])
    tx.run("DELETE FROM webhook_endpoints WHERE id = ?", [endpoint_id])


def endpoints_page(tx: Tx, account_id: int, before: int | None, limit: int) -> list[dict]:
    rows = tx.all(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
        [account_id, NEWEST if before is None else before, limit + 1],
    )
    return [endpoint(row) for row in rows]


def enabled_endpoints(tx: Tx, account_id: int) -> list[dict]:
    rows = tx.all(f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE account_id = ? AND enabled = 1 ORDER BY id",
                  [account_id])
    return [endpoint(row) for row in rows]


# ------------------------------------------------------------ deliveries

def add_delivery(tx: Tx, endpoint_id: int, event_pk: int, due_ms: int, now: str) -> None:
    tx.insert("webhook_deliveries", {"endpoint_id": endpoint_id, "event_id": event_pk, "status": "pending",
                                     "due_ms": due_ms, "created_at": now}, returning="id")


def _with_attempts(tx: Tx, deliveries: list[dict]) -> list[dict]:
    if not deliveries:
        return deliveries
    ids = [delivery["id"] for delivery in deliveries]
    marks = ", ".join("?" for _ in ids)
    found: dict[int, list] = {delivery_id: [] for delivery_id in ids}
    for attempt in tx.all(f"SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_attempts "
                          f"WHERE delivery_id IN ({marks}) ORDER BY id", ids):
        found[attempt.pop("delivery_id")].append(attempt)
    return [{**delivery, "attempts": found[delivery["id"]]} for delivery in deliveries]


def deliveries_page(tx: Tx, endpoint_id: int, before: int | None, limit: int) -> list[dict]:
    rows = tx.all(
        f"""SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries AS d JOIN events AS e ON e.id = d.event_id
            WHERE d.endpoint_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?""",
        [endpoint_id, NEWEST if before is None else before, limit + 1],
    )
    return _with_attempts(tx, rows)


def recent_deliveries(tx: Tx, account_id: int, limit: int) -> list[dict]:
    """The account's latest deliveries to any endpoint, with the endpoint's URL."""
    rows = tx.all(
        f"""SELECT {DELIVERY_COLUMNS}, w.url FROM webhook_deliveries AS d
            JOIN events AS e ON e.id = d.event_id JOIN webhook_endpoints AS w ON w.id = d.endpoint_id
            WHERE w.account_id = ? ORDER BY d.id DESC LIMIT ?""",
        [account_id, limit],
    )
    return _with_attempts(tx, rows)


def claim_due(tx: Tx, now_ms: int, lease_ms: int) -> dict | None:
    """The next pending delivery that is due and not leased to anyone, with what it
    takes to send it, leased for `lease_ms` (rows another claimer holds are skipped)."""
    row = tx.one(
        f"""SELECT id, endpoint_id, event_id, attempts FROM webhook_deliveries
            WHERE status = 'pending' AND due_ms <= ? AND (leased_until_ms IS NULL OR leased_until_ms <= ?)
              AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)
            ORDER BY due_ms, id LIMIT 1{tx.skip_locked}""",
        [now_ms, now_ms],
    )
    if row is None:
        return None
    tx.update("webhook_deliveries", {"id": row["id"]}, {"leased_until_ms": now_ms + lease_ms})
    target = tx.one("SELECT url, secret FROM webhook_endpoints WHERE id = ?", [row["endpoint_id"]])
    event = events.record(tx.one(f"SELECT {events.COLUMNS} FROM events WHERE id = ?", [row["event_id"]]))
    return {"id": row["id"], "attempts": row["attempts"], "url": target["url"], "secret": target["secret"],
            "event": event}


def record_attempt(tx: Tx, delivery_id: int, attempt: dict, status: str, due_ms: int | None) -> None:
    """One attempt's outcome; the delivery is `status` from now on, due again at `due_ms`
    (None: never), and no longer leased. Nothing, if its endpoint was removed meanwhile."""
    touched = tx.run("UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, due_ms = ?, "
                     "leased_until_ms = NULL WHERE id = ?", [status, due_ms, delivery_id])
    if touched:
        tx.insert("webhook_attempts", {"delivery_id": delivery_id, **attempt}, returning="id")


def next_due_ms(tx: Tx) -> int | None:
    """When the earliest pending delivery to an enabled endpoint is due (None: nothing is)."""
    return tx.value("SELECT min(due_ms) AS due FROM webhook_deliveries WHERE status = 'pending' "
                    "AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)")
