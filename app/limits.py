"""Request limits: nothing larger than MAX_BODY_BYTES is read, and at most
MAX_IN_FLIGHT requests are worked on at once per process."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import starlette_handler
from billing.errors import InvalidRequest, PayloadTooLarge, ServiceBusy

MAX_BODY_BYTES = 1024 * 1024
# Requests being worked on at once, per process: beyond it a 503 at once rather
# than a queue without end. Connections are not counted, only requests: an idle
# or trickling socket costs a file descriptor, never a legitimate request's turn
# (the server's guard closes it when its time is up, see app/server.py).
MAX_IN_FLIGHT = 512
TOO_LARGE = "The request body is larger than 1 MiB; invoices are far smaller than that."
# Bodies larger than this are parsed and checked in a worker thread, not on the event loop.
THREADED_BODY_BYTES = 64 * 1024


def _refusal(declared: bytes | None, max_bytes: int) -> Exception | None:
    if declared is None:
        return None
    if not declared.isdigit():
        return InvalidRequest("The Content-Length header is not a number.")
    return PayloadTooLarge(TOO_LARGE) if int(declared) > max_bytes else None


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refusal = _refusal(dict(scope["headers"]).get(b"content-length"), self.max_bytes)
        if refusal:
            response = await starlette_handler(Request(scope), refusal)
            return await response(scope, receive, send)

        received = 0

        async def counted() -> Message:
            # Chunked bodies declare no length: count them as they arrive.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise PayloadTooLarge(TOO_LARGE)
            return message

        await self.app(scope, counted, send)


class InFlightLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_IN_FLIGHT):
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.in_flight >= self.limit:
            response = await starlette_handler(Request(scope), ServiceBusy(
                "The server is at capacity; retry in a moment.", retry_after=1))
            return await response(scope, receive, send)
        self.in_flight += 1  # one event loop per process: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
