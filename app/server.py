"""The HTTP server's guards against clients that hold connections hostage.

uvicorn bounds idle keep-alive connections but not a request that arrives
slowly: a client trickling header bytes (slow-loris) or a body would hold its
connection forever, and headers may grow without limit. This protocol gives
every request a deadline to arrive in full and a cap on its header size;
beyond either, the connection is answered (431) or closed."""

import asyncio
import json
import os

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Seconds a client has, from its first byte (or from connecting), to finish sending a request.
REQUEST_TIMEOUT = float(os.environ.get("JUPITER_REQUEST_TIMEOUT", "20"))
MAX_HEADER_BYTES = 64 * 1024

_TOO_LARGE = json.dumps({"error": "The request headers are larger than 64 KiB.", "field": None}).encode()
HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: " + str(len(_TOO_LARGE)).encode() + b"\r\n\r\n" + _TOO_LARGE
)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(REQUEST_TIMEOUT, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > MAX_HEADER_BYTES and not self.transport.is_closing():
            self.transport.write(HEADERS_TOO_LARGE)
            self.transport.close()

    def on_message_begin(self) -> None:
        self._header_bytes = 0
        self._arm()
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value))
        super().on_header(name, value)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)
