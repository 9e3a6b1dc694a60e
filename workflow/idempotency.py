"""Idempotency keys, Stripe's way: a retried request with the same key and the
same content gets the first answer again instead of running twice, whichever
server either request reached.

The answer is recorded in the same unit of work as the work it describes, so a
crash can never leave work done without its record (a retry would redo it) nor
a record without its work."""

from collections.abc import Callable
from datetime import timedelta

from billing.errors import Conflict, DomainError, UnprocessableEntity
from storage import idempotency as rows
from storage.stamps import stamp
from workflow.clock import Clock

KEPT_FOR = timedelta(hours=24)
# A request still "started" after this long died with its process: let a retry take over.
ABANDONED_AFTER = timedelta(seconds=60)
FIELD = "Idempotency-Key"


class ReplayedError(DomainError):
    """The error the first request with this key received, given again."""

    def __init__(self, status: int, message: str, field: str | None):
        super().__init__(message, field)
        self.status = status


def _answer(recorded: dict):
    if "error" in recorded:
        raise ReplayedError(recorded["status"], recorded["error"], recorded["field"])
    return recorded["body"], recorded["status"], {**recorded["headers"], "Idempotent-Replayed": "true"}


class IdempotencyKeys:
    def __init__(self, db, clock: Clock):
        self._db = db
        self._clock = clock

    def _verdict(self, row: dict | None, fingerprint: str) -> dict | None:
        """None when the request may run; the earlier response when there is one."""
        now = self._clock.now()
        if row is None or row["started_at"] < stamp(now - KEPT_FOR):
            return None
        if row["fingerprint"] != fingerprint:
            raise UnprocessableEntity(
                f"This {FIELD} was already used for a different request; "
                "use a new key for a new request, or resend the first one unchanged.",
                FIELD,
            )
        if row["state"] == "done":
            return row["response"]
        if row["started_at"] > stamp(now - ABANDONED_AFTER):
            raise Conflict(
                f"A request with this {FIELD} is still being processed; retry in a moment to get its result.",
                FIELD,
            )
        return None

    def _claim(self, account_id: int, key: str, fingerprint: str) -> dict | None:
        """Record that a request with this key has started; return the earlier answer
        instead when there is one."""
        started = stamp(self._clock.now())
        # A plain read first: it never waits for a lock, so a request whose twin is
        # still running learns so at once.
        with self._db.read() as tx:
            earlier = self._verdict(rows.get(tx, account_id, key), fingerprint)
        if earlier is not None:
            return earlier
        with self._db.write() as tx:
            rows.sweep(tx, stamp(self._clock.now() - KEPT_FOR))
            if rows.claim(tx, account_id, key, fingerprint, started):
                return None
            earlier = self._verdict(rows.get(tx, account_id, key, lock=True), fingerprint)
            if earlier is None:  # expired or abandoned: this request takes it over
                rows.restart(tx, account_id, key, fingerprint, started)
            return earlier

    def run(self, account_id: int, key: str, fingerprint: str, work: Callable[[], tuple]):
        """`work()` → (body, status, headers), run at most once per key; later calls
        with the same key and fingerprint get the same result (or the same error)."""
        earlier = self._claim(account_id, key, fingerprint)
        if earlier is not None:
            return _answer(earlier)
        try:
            with self._db.write() as tx:
                row = rows.get(tx, account_id, key, lock=True)
                if not (row and row["state"] == "done"):  # else a claim we took over had finished after all
                    body, status, headers = work()
                    rows.finish(tx, account_id, key, stamp(self._clock.now()),
                                {"body": body, "status": status, "headers": headers})
                    return body, status, headers
        except DomainError as error:
            # The operation ran and refused (404, 409, 422…): that is its answer to this key,
            # unless the account can lift the refusal itself (403: verify the address), when
            # the claim is forgotten so that the retry runs.
            with self._db.write() as tx:
                if error.final:
                    rows.finish(tx, account_id, key, stamp(self._clock.now()),
                                {"status": error.status, "error": error.message, "field": error.field})
                else:
                    rows.forget_started(tx, account_id, key)
            raise
        except BaseException:
            # Nothing was done: forget the claim so that a retry runs.
            with self._db.write() as tx:
                rows.forget_started(tx, account_id, key)
            raise
        return _answer(row["response"])
