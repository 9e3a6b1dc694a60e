"""The MCP server: lists the tools of tools.json and answers tools/call through
the dispatcher. A call's result is the JSON the REST call returns, both as
`structuredContent` and as text; a failure is `isError: true` with the REST
error body {"error", "field"} as text, so an agent reads the sentence and fixes
its call."""

from collections.abc import Callable
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from app import spec
from app.auth import KeyToCheck
from mcp_tools.dispatch import Dispatcher, Outcome
from storage import stored_json

NAME = "jupiterinvoice"
# The HTTP status the REST call would have answered, for clients that want it.
STATUS_META = "com.jupiterinvoice/http_status"

AccountOf = Callable[[ServerRequestContext[Any]], "int | KeyToCheck"]


def tool_result(outcome: Outcome) -> types.CallToolResult:
    text: list[types.ContentBlock] = []
    if outcome.body is not None:
        text.append(types.TextContent(text=stored_json.written(outcome.body)))  # orjson, as REST writes it
    return types.CallToolResult(
        content=text,
        # An error body is text only: clients check structuredContent against the
        # tool's outputSchema, some even on errors, and an error is not an invoice.
        structured_content=None if outcome.is_error else outcome.body,
        is_error=outcome.is_error,
        _meta={STATUS_META: outcome.status},
    )


def build_server(dispatcher: Dispatcher, account_of: AccountOf) -> Server[Any]:
    """A server whose tool calls act for the account `account_of(ctx)` names."""
    info = spec.load()["info"]
    listing = types.ListToolsResult(tools=[types.Tool.model_validate(tool) for tool in dispatcher.tools])

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listing

    async def call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name not in dispatcher.operations:
            # Not a failed call but a wrong request: the protocol's own error, as MCP asks.
            known = ", ".join(dispatcher.operations)
            message = f"There is no tool '{params.name}'. The tools are: {known}."
            raise MCPError(code=types.INVALID_PARAMS, message=message)
        return tool_result(await dispatcher.call_operation(params.name, params.arguments, account_of(ctx)))

    def input_schema(name: str) -> dict | None:
        operation = dispatcher.operations.get(name)
        return operation.input_schema if operation else None

    server = Server(
        NAME,
        version=info["version"],
        title=info["title"],
        instructions=info["description"],
        # Where the 2026-07-28 transport checks a call's Mcp-Param-* headers: without it
        # the SDK runs tools/list and validates every tool's model on each call (18 ms).
        get_tool_input_schema=input_schema,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
    # The SDK wraps each message in an OpenTelemetry span, a no-op until an exporter is
    # installed, at a sixth of a get_invoice call's CPU; the REST door emits none, nor does MCP.
    server.middleware.clear()
    return server
