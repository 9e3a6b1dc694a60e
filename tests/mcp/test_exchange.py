"""A plain tool call is answered without the SDK's transport (mcp_tools/exchange.py):
every answer is the one the transport gives, and what is not plain still goes to it."""

import logging

import pytest
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from mcp_tools import catalog, exchange
from mcp_tools.server import build_server

HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}


def rpc(method: str, params: dict | None = None, request_id: int | str = 7) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, **({"params": params} if params else {})}


def get_invoice(**arguments) -> dict:
    return rpc("tools/call", {"name": "get_invoice", "arguments": arguments})


@pytest.fixture
def transport_only(monkeypatch):
    """Every request through the SDK's transport, as before the direct path."""
    def answered_by_transport(*_):
        return None
    return lambda: monkeypatch.setattr(exchange, "direct_request", answered_by_transport)


@pytest.fixture
def no_transport(monkeypatch):
    async def refuse(*_):
        raise AssertionError("the transport was asked")
    monkeypatch.setattr(StreamableHTTPSessionManager, "handle_request", refuse)


CASES = {
    "a found invoice": lambda number: get_invoice(number=number),
    "a missing invoice (isError, 404)": lambda number: get_invoice(number="INV-9999"),
    "arguments the schema refuses": lambda number: get_invoice(number=number, extra=1),
    "a tool that does not exist": lambda number: rpc("tools/call", {"name": "steal_invoices"}),
    "params that are not CallToolRequestParams": lambda number: rpc("tools/call", {"arguments": []}),
    "the tool list": lambda number: rpc("tools/list"),
    "ping, with a string id": lambda number: rpc("ping", request_id="abc"),
    "a progress token asked for": lambda number: rpc("tools/call", {
        "name": "get_invoice", "arguments": {"number": number}, "_meta": {"progressToken": 3}}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_direct_answer_is_the_transports(client, create, transport_only, case):
    message = CASES[case](create()["id"])
    direct = client.post("/mcp", json=message, headers=HEADERS)
    transport_only()
    by_transport = client.post("/mcp", json=message, headers=HEADERS)
    assert (direct.status_code, direct.headers["content-type"]) == (by_transport.status_code, "application/json")
    assert direct.json() == by_transport.json()


def test_a_plain_tool_call_never_reaches_the_transport(client, create, no_transport):
    invoice = create()
    answer = client.post("/mcp", json=get_invoice(number=invoice["id"]), headers=HEADERS).json()
    assert answer["result"]["structuredContent"] == invoice


@pytest.mark.parametrize(("message", "headers"), [
    (rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "raw", "version": "0"}}), HEADERS),
    ({"jsonrpc": "2.0", "method": "notifications/initialized"}, HEADERS),
    ([rpc("ping")], HEADERS),
    (rpc("tools/call", {"name": "get_invoice"}, request_id=True), HEADERS),
    (rpc("ping"), {**HEADERS, "Accept": "text/html"}),
    (rpc("ping"), {**HEADERS, "MCP-Protocol-Version": "1999-01-01"}),
    (rpc("ping"), {**HEADERS, "MCP-Protocol-Version": "2026-07-28"}),
])
def test_what_is_not_a_plain_request_goes_to_the_transport(client, monkeypatch, message, headers):
    asked = []

    async def transport(self, scope, receive, send):
        asked.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    monkeypatch.setattr(StreamableHTTPSessionManager, "handle_request", transport)
    assert client.post("/mcp", json=message, headers=headers).status_code == 204
    assert len(asked) == 1 and asked[0], "the transport reads the body the endpoint read"


def test_malformed_json_is_the_transports_parse_error(client):
    answer = client.post("/mcp", content=b'{"jsonrpc": "2.0", "id": 1,', headers={
        **HEADERS, "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == -32700


def test_a_failure_nobody_translated_tells_the_client_nothing_of_it(client, monkeypatch, caplog):
    async def broken(*_):
        raise RuntimeError("secret internals")

    dispatcher = client.app.state.mcp_tools
    monkeypatch.setattr(dispatcher, "call_operation", broken)
    with caplog.at_level(logging.ERROR, logger="mcp_tools.exchange"):
        answer = client.post("/mcp", json=get_invoice(number="INV-0001"), headers=HEADERS)
    assert answer.status_code == 200
    assert answer.json() == {"jsonrpc": "2.0", "id": 7, "error": {"code": -32603, "message": "Internal error"}}
    assert "secret internals" in caplog.text


def test_the_2026_07_28_transport_finds_a_tools_schema_without_listing_the_tools(app):
    """Without the lookup, the SDK runs tools/list for every call of that revision."""
    server = build_server(app.state.mcp_tools, lambda ctx: 1)
    tools = {tool["name"]: tool for tool in catalog.load()}
    assert server.get_tool_input_schema is not None
    assert server.get_tool_input_schema("get_invoice") == tools["get_invoice"]["inputSchema"]
    assert server.get_tool_input_schema("steal_invoices") is None
