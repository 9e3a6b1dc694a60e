"""Request body size limit: nothing larger than MAX_BODY_BYTES is read."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import starlette_handler
from billing.errors import InvalidRequest, PayloadTooLarge

MAX_BODY_BYTES = 1024 * 1024
TOO_LARGE = "The request body is larger than 1 MiB; invoices are far smaller than that."


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
