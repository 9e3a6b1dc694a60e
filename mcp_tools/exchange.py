"""One plain JSON-RPC request answered in the HTTP request's own task.

The SDK's stateless transport builds, for every POST at a handshake-era revision,
a transport, a JSON-RPC dispatcher task and memory streams between them, then
tears them down: most of what an MCP tool call costs beyond the REST call it
wraps. At 2026-07-28 it answers in the request's task, but its wrappers (a body
limit, security checks) and the pydantic round trip of its answer cost about as
much again. A well-formed `tools/call`, `tools/list` or `ping` needs none of it:
it is handed to the SDK's own request kernel (`serve_one`: the same method and
parameter validation, handlers and result shaping the transport runs) and its
answer written back, at 2026-07-28 once the SDK's own checks of the envelope and
routing headers (those its transport runs, in its order) have passed it.
Anything else (`initialize`, notifications, batches, bodies that are not one
JSON-RPC request, headers or envelopes the transport would refuse) is not
decided here: `direct_request` says None and the transport answers it as before."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import anyio
import orjson
from mcp.server.connection import Connection
from mcp.server.lowlevel import Server
from mcp.server.runner import modern_error_data, serve_one
from mcp.server.streamable_http import check_accept_headers
from mcp.shared.dispatcher import CallOptions
from mcp.shared.exceptions import NoBackChannelError
from mcp.shared.inbound import (
    ERROR_CODE_HTTP_STATUS,
    MCP_PROTOCOL_VERSION_HEADER,
    InboundModernRoute,
    classify_inbound_request,
    find_duplicated_routing_header,
    validate_mcp_param_headers,
    x_mcp_header_map,
)
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

InputSchema = Callable[[str], Mapping[str, Any] | None]  # a tool's input schema by its name


def declaring_headers(input_schema: InputSchema) -> InputSchema:
    """`input_schema` for the tools whose schema declares Mcp-Param headers (x-mcp-header),
    None for the others: the SDK's check of a call's headers can refuse nothing there, and
    walks the schema twice to find that out. Only tools are remembered, never a name a
    client makes up."""
    declaring: dict[str, Mapping[str, Any] | None] = {}

    def lookup(name: str) -> Mapping[str, Any] | None:
        if name not in declaring:
            schema = input_schema(name)
            if schema is None:
                return None
            declaring[name] = schema if x_mcp_header_map(schema) else None
        return declaring[name]

    return lookup


@dataclass(frozen=True)
class Direct:
    """A request to answer here and, at a 2026-era revision, the envelope it carries."""

    message: JSONRPCRequest
    envelope: InboundModernRoute | None = None  # None: a handshake-era revision


@dataclass
class _OneExchange:
    """The SDK's dispatch context for a request whose answer is the HTTP response:
    no back channel, and nowhere for a notification or progress to go."""

    request_id: str | int
    message_metadata: ServerMessageMetadata
    transport: TransportContext = _TRANSPORT
    can_send_request: bool = False

    @cached_property
    def cancel_requested(self) -> anyio.Event:
        # Made only if a handler asks (ours never do): nothing can cancel a request
        # here, as a cancellation would come on a back channel.
        return anyio.Event()

    async def send_raw_request(
        self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None
    ) -> dict[str, Any]:
        raise NoBackChannelError(method)

    async def notify(self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None) -> None:
        return None

    async def progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        return None


def direct_request(request: Request, body: bytes, input_schema: InputSchema) -> Direct | None:
    """The request to answer here, or None for the transport to answer."""
    version = request.headers.get(MCP_PROTOCOL_VERSION_HEADER)
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
        request_message = JSONRPCRequest.model_validate(message, by_name=False)
    except ValidationError:
        return None
    if version is None or version in HANDSHAKE_PROTOCOL_VERSIONS:
        return Direct(request_message)
    envelope = _envelope(request, message, input_schema)
    return None if envelope is None else Direct(request_message, envelope)


def _envelope(request: Request, message: dict, input_schema: InputSchema) -> InboundModernRoute | None:
    """A 2026-era request's envelope, if the transport's checks pass it (in the transport's
    order): None for anything they refuse, for the transport to refuse in its own words."""
    if find_duplicated_routing_header(request.headers.items()) is not None:
        return None
    verdict = classify_inbound_request(message, headers=dict(request.headers))
    if not isinstance(verdict, InboundModernRoute):
        return None
    params = message.get("params") or {}
    name, arguments = params.get("name"), params.get("arguments") or {}
    if message["method"] == "tools/call" and isinstance(name, str) and isinstance(arguments, Mapping):
        schema = input_schema(name)
        if schema is not None and validate_mcp_param_headers(schema, arguments, request.headers) is not None:
            return None
    return verdict


async def answer(server: Server[Any], lifespan_state: Any, request: Request, direct: Direct) -> Response:
    """Run the request through the server's request kernel; its JSON-RPC answer, with
    the HTTP status the transport gives it at its revision."""
    message, envelope = direct.message, direct.envelope
    # Born ready, as the transport's connections are: no handshake to wait for.
    if envelope is None:
        version = request.headers.get(MCP_PROTOCOL_VERSION_HEADER, DEFAULT_NEGOTIATED_VERSION)
        connection = Connection.from_envelope(version, None, None)
        transport = _TRANSPORT
    else:
        connection = Connection.from_envelope(
            envelope.protocol_version, envelope.client_info, envelope.client_capabilities)
        transport = replace(_TRANSPORT, headers=request.headers)
    context = _OneExchange(message.id, ServerMessageMetadata(request_context=request), transport)
    reply: dict[str, Any] = {"jsonrpc": "2.0", "id": message.id}
    status = 200
    try:
        reply["result"] = await serve_one(
            server, context, message.method, message.params, connection=connection, lifespan_state=lifespan_state)
    except Exception as failure:
        if envelope is not None:
            error = modern_error_data(failure)
            status = ERROR_CODE_HTTP_STATUS.get(error.code, status)
        else:
            error = handler_exception_to_error_data(failure)
            if error is None:
                logger.exception("MCP %s failed", message.method)
                error = ErrorData(code=INTERNAL_ERROR, message="Internal error")
        reply["error"] = error.model_dump(mode="json", by_alias=True, exclude_none=True)
    return Response(orjson.dumps(reply), status_code=status, media_type="application/json")
