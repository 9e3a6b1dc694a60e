"""Every response carries X-Request-Id (the client's, when it sent a sane one, else
a new one), and the access log is one JSON line per request with it, so a line in
a sender's logs and a line in ours can be matched."""

import json
import logging
import re
import secrets
import sys
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth import ALLOWANCE

log = logging.getLogger("jupiter.access")
HEADER = b"x-request-id"
# Letters, digits and a little punctuation, as request ids are (UUIDs, ULIDs, …).
SANE = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    given = next((value for name, value in headers if name == HEADER), None)
    if given is not None and SANE.fullmatch(given):
        return given.decode()
    return "req_" + secrets.token_hex(12)


def _allowance(scope: Scope) -> list[tuple[bytes, bytes]]:
    """X-RateLimit-Limit and -Remaining, on responses to requests made with a key."""
    allowance = (scope.get("state") or {}).get(ALLOWANCE)
    if allowance is None:
        return []
    limit, remaining = allowance
    return [(b"x-ratelimit-limit", str(limit).encode()), (b"x-ratelimit-remaining", str(remaining).encode())]


def log_to_stderr() -> None:
    """One JSON line per request on standard error (`serve` without --no-access-log)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class RequestLog:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = request_id(scope["headers"])
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before it answers

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode()), *_allowance(scope)]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            if log.isEnabledFor(logging.INFO):
                log.info(json.dumps({
                    "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "request_id": rid,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": scope["client"][0] if scope.get("client") else None,
                }))
