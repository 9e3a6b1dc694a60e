"""Sends webhook deliveries (storage.webhooks) from the stored rows, beside the
request path: the request that caused an event only wrote rows, so a slow or dead
endpoint never slows it.

A few sender threads, started and stopped with the app, each claim one due
delivery at a time with a lease (SKIP LOCKED where the engine has it), so any
number of threads, worker processes and servers share the work and never attempt
one delivery at once. Each attempt POSTs the event, signed the Standard Webhooks
way, to an address that was resolved and checked just before (the connection goes
to that very address, so a DNS answer that changes in between cannot redirect it);
a 2xx within 10 s delivers it, anything else is retried with a doubling delay, up
to 8 attempts, across restarts: the next attempt's time is a row too."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from standardwebhooks import Webhook

from billing.errors import UnprocessableEntity
from billing.webhooks import TIMEOUT_SECONDS, Target, retry_delay, shown
from delivery.addresses import checked, resolve
from storage import webhooks as rows
from storage.stamps import stamp

log = logging.getLogger("jupiter.webhooks")

DEFAULT_RETRY_BASE_SECONDS = 30.0
# Longer than an attempt can take, so a lease never runs out under a live sender;
# a crashed sender's lease simply runs out and another takes the delivery over.
LEASE_MS = (TIMEOUT_SECONDS + 50) * 1000
# How often an idle sender looks for work another server queued (or a lease that ran out).
POLL_SECONDS = 1.0
SENDERS = 4
USER_AGENT = "JupiterInvoice-Webhooks/1.0"


def now_ms() -> int:
    return int(time.time() * 1000)


def body_of(event: dict) -> str:
    """The request body: the event as GET /api/v1/events/{id} returns it."""
    return json.dumps(shown(event), ensure_ascii=False, separators=(",", ":"))


def signed_headers(secret: str, event_id: str, body: str, at: float) -> dict:
    moment = datetime.fromtimestamp(int(at), UTC)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at)),
        "webhook-signature": Webhook(secret).sign(event_id, moment, body),
    }


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to one checked address, whatever the host name says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to one checked address; the certificate is still checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


def post(where: Target, address: str, body: str, headers: dict) -> Outcome:
    """POST `body` to `where`, connected to `address`; at most TIMEOUT_SECONDS in all."""
    started = time.monotonic()
    connection_class = _PinnedHTTPS if where.scheme == "https" else _PinnedHTTP
    connection = connection_class(where.host, where.port, address, TIMEOUT_SECONDS)
    status_code, error = None, None
    try:
        connection.request("POST", where.path, body=body.encode(), headers={
            **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT,
        })
        remaining = TIMEOUT_SECONDS - (time.monotonic() - started)
        if connection.sock is not None and remaining > 0:
            connection.sock.settimeout(remaining)
        response = connection.getresponse()
        status_code = response.status
        response.read(64 * 1024)  # politely, a little of the answer; it is not kept
    except (OSError, http.client.HTTPException) as failure:
        error = _describe(failure)
    finally:
        connection.close()
    duration = time.monotonic() - started
    if error is None and duration > TIMEOUT_SECONDS:
        error = f"no complete answer within {TIMEOUT_SECONDS} s"
    elif error is None and not 200 <= status_code < 300:
        error = f"answered {status_code}, not 2xx"
    return Outcome(status_code, error, int(duration * 1000))


def _describe(failure: Exception) -> str:
    if isinstance(failure, (socket.timeout, TimeoutError)):
        return f"no answer within {TIMEOUT_SECONDS} s"
    return f"{type(failure).__name__}: {failure}"[:500] if str(failure) else type(failure).__name__


class WebhookSender:
    """The background senders of one process."""

    def __init__(self, db, *, allow_private: bool = False, retry_base: float = DEFAULT_RETRY_BASE_SECONDS,
                 senders: int = SENDERS, lookup=resolve):
        self._db = db
        self._allow_private = allow_private
        self._retry_base = retry_base
        self._senders = senders
        self._lookup = lookup
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._stopping.clear()
        self._threads = [threading.Thread(target=self._run, name=f"jupiter-webhooks-{n}", daemon=True)
                         for n in range(self._senders)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=TIMEOUT_SECONDS + 5)
        self._threads = []

    # ------------------------------------------------------------ one delivery

    def attempt_one(self) -> bool:
        """Claim one due delivery and attempt it; False when none was due."""
        with self._db.write() as tx:
            claimed = rows.claim_due(tx, now_ms(), LEASE_MS)
        if claimed is None:
            return False
        outcome = self._attempt(claimed)
        attempts = claimed["attempts"] + 1
        if outcome.delivered:
            status, due = "delivered", None
        else:
            delay = retry_delay(attempts, self._retry_base)
            status, due = ("failed", None) if delay is None else ("pending", now_ms() + int(delay * 1000))
            log.warning("webhook delivery %s not delivered (attempt %s): %s", claimed["id"], attempts, outcome.error)
        attempt = {"at": stamp(datetime.now(UTC)), "status_code": outcome.status_code,
                   "error": outcome.error, "duration_ms": outcome.duration_ms}
        with self._db.write() as tx:
            rows.record_attempt(tx, claimed["id"], attempt, status, due)
        return True

    def _attempt(self, claimed: dict) -> Outcome:
        started = time.monotonic()
        try:
            where, addresses = checked(claimed["url"], allow_private=self._allow_private, lookup=self._lookup)
        except UnprocessableEntity as refused:
            return Outcome(None, f"not sent: {refused.message}", int((time.monotonic() - started) * 1000))
        event = claimed["event"]
        body = body_of(event)
        headers = signed_headers(claimed["secret"], event["id"], body, time.time())
        return post(where, addresses[0], body, headers)

    # ------------------------------------------------------------ the loop

    def _seconds_to_next(self) -> float:
        with self._db.read() as tx:
            due = rows.next_due_ms(tx)
        if due is None:
            return POLL_SECONDS
        return min(max((due - now_ms()) / 1000, 0.01), POLL_SECONDS)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self.attempt_one():
                    continue
                wait = self._seconds_to_next()
            except Exception:  # the database may be busy or gone: try again later, never die silently
                log.exception("the webhook sender could not read its deliveries")
                wait = POLL_SECONDS * 5
            self._wake.wait(wait)
            self._wake.clear()
