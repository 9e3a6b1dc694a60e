"""Idempotency keys, Stripe's way: a retried request with the same key and the
same content gets the first answer again instead of running twice.

The answer is recorded in the same transaction as the work it describes, so a
crash can never leave work done without its record (a retry would redo it) nor
a record without its work."""

import json
from datetime import datetime, timedelta
from typing import Callable

from billing.errors import Conflict, DomainError, UnprocessableEntity
from storage.db import Connections, stamp

KEPT_FOR = timedelta(hours=24)
# A request still "started" after this long died with its process: let a retry take over.
ABANDONED_AFTER = timedelta(seconds=60)
FIELD = "Idempotency-Key"


class ReplayedError(DomainError):
    """The error the first request with this key received, given again."""

    def __init__(self, status: int, message: str, field: str | None):
        super().__init__(message, field)
        self.status = status


def _answer(response: str):
    recorded = json.loads(response)
    if "error" in recorded:
        raise ReplayedError(recorded["status"], recorded["error"], recorded["field"])
    return recorded["body"], recorded["status"], recorded["headers"]


class IdempotencyKeys:
    def __init__(self, connections: Connections):
        self._conn = connections

    def _row(self, db, account_id: int, key: str):
        return db.execute(
            "SELECT fingerprint, state, started_at, response FROM idempotency_keys WHERE account_id = ? AND key = ?",
            [account_id, key],
        ).fetchone()

    def _verdict(self, row, fingerprint: str, now: datetime):
        """None when the request may run; the earlier response when there is one."""
        if row is None or row[2] < stamp(now - KEPT_FOR):
            return None
        earlier_fingerprint, state, started_at, response = row
        if earlier_fingerprint != fingerprint:
            raise UnprocessableEntity(
                f"This {FIELD} was already used for a different request; "
                "use a new key for a new request, or resend the first one unchanged.",
                FIELD,
            )
        if state == "done":
            return response
        if started_at > stamp(now - ABANDONED_AFTER):
            raise Conflict(
                f"A request with this {FIELD} is still being processed; retry in a moment to get its result.",
                FIELD,
            )
        return None

    def _claim(self, account_id: int, key: str, fingerprint: str, now: datetime):
        """Record that a request with this key has started; return the earlier answer
        instead when there is one."""
        # A plain read first: it never waits for the write lock, so a request whose
        # twin is still running learns so at once.
        earlier = self._verdict(self._row(self._conn.db, account_id, key), fingerprint, now)
        if earlier is not None:
            return earlier
        with self._conn.write() as db:
            db.execute("DELETE FROM idempotency_keys WHERE started_at < ?", [stamp(now - KEPT_FOR)])
            earlier = self._verdict(self._row(db, account_id, key), fingerprint, now)
            if earlier is None:
                db.execute(
                    "INSERT OR REPLACE INTO idempotency_keys (account_id, key, fingerprint, state, started_at) "
                    "VALUES (?, ?, ?, 'started', ?)",
                    [account_id, key, fingerprint, stamp(now)],
                )
            return earlier

    def _finish(self, db, account_id: int, key: str, fingerprint: str, now: datetime, response: dict) -> None:
        db.execute(
            "INSERT OR REPLACE INTO idempotency_keys (account_id, key, fingerprint, state, started_at, response) "
            "VALUES (?, ?, ?, 'done', ?, ?)",
            [account_id, key, fingerprint, stamp(now), json.dumps(response)],
        )

    def run(self, account_id: int, key: str, fingerprint: str, now: datetime, work: Callable[[], tuple]):
        """`work()` → (body, status, headers), run at most once per key; later calls
        with the same key and fingerprint get the same result (or the same error)."""
        earlier = self._claim(account_id, key, fingerprint, now)
        if earlier is not None:
            return _answer(earlier)
        try:
            with self._conn.write() as db:
                row = self._row(db, account_id, key)
                if not (row and row[1] == "done"):  # else a claim we took over had finished after all
                    body, status, headers = work()
                    self._finish(db, account_id, key, fingerprint, now,
                                 {"body": body, "status": status, "headers": headers})
                    return body, status, headers
        except DomainError as error:
            # The operation ran and refused (404, 409, 422…): that is its answer to this key.
            with self._conn.write() as db:
                self._finish(db, account_id, key, fingerprint, now,
                             {"status": error.status, "error": error.message, "field": error.field})
            raise
        except BaseException:
            # Nothing was done: forget the claim so that a retry runs.
            with self._conn.write() as db:
                db.execute("DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND state = 'started'",
                           [account_id, key])
            raise
        return _answer(row[3])
