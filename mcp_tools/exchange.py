"""One plain JSON-RPC request answered in the HTTP request's own task.

The SDK's stateless transport builds, for every POST, a transport, a JSON-RPC
dispatcher task and memory streams between them, then tears them down: most of
what an MCP tool call costs beyond the REST call it wraps. A well-formed
`tools/call`, `tools/list` or `ping` needs none of it: it is handed to the SDK's
own request kernel (`serve_one`: the same method and parameter validation,
handlers and result shaping the transport's dispatcher runs) and its answer
written back. Anything else (`initialize`, notifications, batches, bodies that
are not one JSON-RPC request, headers the transport would refuse, and the
2026-07-28 revision, which the SDK already answers in the request's task) is not
decided here: `direct_request` says None and the transport answers it as before."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import orjson
from mcp.server.connection import Connection
from mcp.server.lowlevel import Server
from mcp.server.runner import serve_one
from mcp.server.streamable_http import check_accept_headers
from mcp.shared.dispatcher import CallOptions
from mcp.shared.exceptions import NoBackChannelError
from mcp.shared.inbound import MCP_PROTOCOL_VERSION_HEADER
from mcp.shared.jsonrpc_dispatcher import handler_exception_to_error_data
from mcp.shared.message import ServerMessageMetadata
from mcp.shared.transport_context import TransportContext
from mcp_types import DEFAULT_NEGOTIATED_VERSION, INTERNAL_ERROR, ErrorData, JSONRPCRequest
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

logger = logging.getLogger(__name__)

DIRECT_METHODS = frozenset({"tools/call", "tools/list", "ping"})
_TRANSPORT = TransportContext(kind="streamable-http", can_send_request=False)


@dataclass
class _OneExchange:
    """The SDK's dispatch context for a request whose answer is the HTTP response:
    no back channel, and nowhere for a notification or progress to go."""

    request_id: str | int
    message_metadata: ServerMessageMetadata
    transport: TransportContext = _TRANSPORT
    cancel_requested: anyio.Event = field(default_factory=anyio.Event)
    can_send_request: bool = False

    async def send_raw_request(
        self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None
    ) -> dict[str, Any]:
        raise NoBackChannelError(method)

    async def notify(self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None) -> None:
        return None

    async def progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        return None


def direct_request(request: Request, body: bytes) -> JSONRPCRequest | None:
    """The request to answer here, or None for the transport to answer."""
    version = request.headers.get(MCP_PROTOCOL_VERSION_HEADER)
    if version is not None and version not in HANDSHAKE_PROTOCOL_VERSIONS:
        return None
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    if media_type != "application/json" or not check_accept_headers(request)[0]:
        return None
    try:
        message = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(message, dict) or message.get("method") not in DIRECT_METHODS or "id" not in message:
        return None
    try:
        return JSONRPCRequest.model_validate(message, by_name=False)
    except ValidationError:
        return None


async def answer(server: Server[Any], lifespan_state: Any, request: Request, message: JSONRPCRequest) -> Response:
    """Run `message` through the server's request kernel; its JSON-RPC answer."""
    version = request.headers.get(MCP_PROTOCOL_VERSION_HEADER, DEFAULT_NEGOTIATED_VERSION)
    # Born ready, as the stateless transport's connection is: no handshake to wait for.
    connection = Connection.from_envelope(version, None, None)
    context = _OneExchange(message.id, ServerMessageMetadata(request_context=request))
    reply: dict[str, Any] = {"jsonrpc": "2.0", "id": message.id}
    try:
        reply["result"] = await serve_one(
            server, context, message.method, message.params, connection=connection, lifespan_state=lifespan_state)
    except Exception as failure:
        error = handler_exception_to_error_data(failure)
        if error is None:
            logger.exception("MCP %s failed", message.method)
            error = ErrorData(code=INTERNAL_ERROR, message="Internal error")
        reply["error"] = error.model_dump(mode="json", by_alias=True, exclude_none=True)
    return Response(orjson.dumps(reply), media_type="application/json")
