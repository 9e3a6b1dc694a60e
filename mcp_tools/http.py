"""/mcp over Streamable HTTP, behind the same bearer key as REST.

The key is checked before the transport reads a single MCP message (on PostgreSQL a
plain tool call's beside its operation, and its answer sent once the key is known to
be one). A key over its rate limit is the REST 429; a missing, unknown or revoked key
is a 403, not REST's 401: MCP clients take any 401 as the start of the OAuth flow of
MCP's authorization spec, which a server with API keys does not offer, and show their
user an OAuth failure instead of the reason. Both answer with a JSON-RPC error whose
message is the REST sentence and whose `data` is the REST body, which MCP clients show
as it is. The transport is stateless and answers in plain JSON, so any worker process
can serve any request of a client: nothing is kept between requests. Hence POST only:
there is no session to end (DELETE) and nothing the server would push on a standing
stream (GET), which MCP lets a server refuse with 405. A plain tool call is answered
without the transport (see exchange.py)."""

import contextlib
from typing import Any

from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from app import auth
from app.errors import translate
from billing.errors import TooManyRequests, Unauthenticated
from mcp_tools import exchange
from workflow import Services

# JSON-RPC's range for errors a server defines; this one means "no access".
NO_ACCESS = -32001


def account_of_request(ctx: ServerRequestContext[Any]) -> int | auth.KeyToCheck:
    """The account the endpoint authenticated for the HTTP request behind `ctx`, or
    the key it left to be looked up beside the call's operation."""
    if ctx.request is None:
        raise RuntimeError("an MCP request without the HTTP request that carried it")
    return ctx.request.state.account_id


class McpEndpoint:
    """The ASGI app at /mcp. Serve it only inside `running()`, from the app's lifespan."""

    def __init__(self, server: Server[Any], services: Services):
        self._server = server
        self._services = services  # the REST door's key limiter too: one allowance for both doors
        self._declaring_headers = exchange.declaring_headers(server.get_tool_input_schema)
        self._manager: StreamableHTTPSessionManager | None = None
        self._lifespan_state: Any = None

    @contextlib.asynccontextmanager
    async def running(self):
        # A manager runs only once, so each lifespan (each test client, say) gets its own.
        manager = StreamableHTTPSessionManager(self._server, stateless=True, json_response=True)
        async with manager.run(), self._server.lifespan(self._server) as lifespan_state:
            self._manager, self._lifespan_state = manager, lifespan_state
            try:
                yield
            finally:
                self._manager = self._lifespan_state = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            raise HTTPException(405, headers={"Allow": "POST"})
        manager = self._manager
        if manager is None:
            raise RuntimeError("/mcp is served only while the app's lifespan runs")
        request = Request(scope, receive)
        authorization, state = request.headers.get("authorization"), scope.get("state")
        # On PostgreSQL a plain tool call with a small body looks its key up on the thread
        # that runs the tool's operation, one hop instead of two, and is answered once its
        # key is known to be one. Anything else has its key looked up first.
        key_can_wait = not self._services.db.inline_reads and auth.checked_on_loop(request)
        try:
            user = (auth.KeyToCheck(self._services, authorization, state) if key_can_wait
                    else await auth.account_for_request(self._services, authorization, state))
            body = await request.body()
            direct = exchange.direct_request(request, body, self._declaring_headers)
            if direct is None or direct.message.method != "tools/call":
                user = await auth.settled(user)
        except auth.REFUSED as refused:
            return await _refusal(refused, request.url.path)(scope, receive, send)
        scope = {**scope, "state": {**scope.get("state", {}), "account_id": user}}
        if direct is None:
            return await manager.handle_request(scope, _replaying(body, receive), send)
        response = await exchange.answer(self._server, self._lifespan_state, Request(scope), direct)
        try:
            await auth.settled(user)  # a call refused before its operation looks its key up now
        except auth.REFUSED as refused:
            response = _refusal(refused, request.url.path)
        await response(scope, receive, send)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for a body already read: the body once, then the connection's own messages."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _refusal(refused: Unauthenticated | TooManyRequests, path: str) -> JSONResponse:
    status, body, headers = translate(refused, "POST", path)
    if isinstance(refused, Unauthenticated):
        status, headers = 403, {}
    error = {"code": NO_ACCESS, "message": body["error"], "data": body}
    return JSONResponse({"jsonrpc": "2.0", "id": None, "error": error}, status_code=status, headers=headers)
