"""A plain tool call is answered without the SDK's transport (mcp_tools/exchange.py):
every answer is the one the transport gives, and what is not plain still goes to it."""

import json
import logging

import pytest
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.requests import Request

from mcp_tools import catalog, exchange
from mcp_tools.server import build_server

HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
MODERN = "2026-07-28"  # no handshake: each request carries its envelope in _meta, its routing in headers
ENVELOPE = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"}}


def rpc(method: str, params: dict | None = None, request_id: int | str = 7) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, **({"params": params} if params else {})}


def get_invoice(**arguments) -> dict:
    return rpc("tools/call", {"name": "get_invoice", "arguments": arguments})


def modern(message: dict) -> tuple[dict, dict]:
    """`message` as a 2026-07-28 client sends it: its envelope added, and the headers that route it."""
    params = message.get("params", {})
    headers = {**HEADERS, "MCP-Protocol-Version": MODERN, "Mcp-Method": message["method"]}
    if isinstance(params.get("name"), str):
        headers["Mcp-Name"] = params["name"]
    return {**message, "params": {**params, "_meta": {**params.get("_meta", {}), **ENVELOPE}}}, headers


def handshake_era(message: dict) -> tuple[dict, dict]:
    return message, HEADERS


REVISIONS = {"2025-06-18": handshake_era, MODERN: modern}


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
    # orjson reads an integer past 64 bits as a float: the id echoed back, the limit refused, must be exact.
    "an id past 64 bits": lambda number: get_invoice(number=number) | {"id": 2**70 + 1},
    "an argument past 64 bits": lambda number: rpc("tools/call", {
        "name": "list_invoices", "arguments": {"limit": 2**64 + 1}}),
}


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("case", CASES)
def test_the_direct_answer_is_the_transports(client, create, transport_only, case, revision):
    message, headers = REVISIONS[revision](CASES[case](create()["id"]))
    direct = client.post("/mcp", json=message, headers=headers)
    transport_only()
    by_transport = client.post("/mcp", json=message, headers=headers)
    assert (direct.status_code, direct.headers["content-type"]) == (by_transport.status_code, "application/json")
    assert direct.json() == by_transport.json()


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_plain_tool_call_never_reaches_the_transport(client, create, no_transport, revision):
    invoice = create()
    message, headers = REVISIONS[revision](get_invoice(number=invoice["id"]))
    answer = client.post("/mcp", json=message, headers=headers).json()
    assert answer["result"]["structuredContent"] == invoice


def _misrouted(message: dict, headers: dict, **changed) -> tuple[dict, dict]:
    return message, {**headers, **changed}


def _unsupported(message: dict, headers: dict) -> tuple[dict, dict]:
    meta = {**message["params"]["_meta"], "io.modelcontextprotocol/protocolVersion": "2099-01-01"}
    return {**message, "params": {**message["params"], "_meta": meta}}, {**headers, "MCP-Protocol-Version": "2099-01-01"}


# 2026-07-28 requests the transport refuses: they are left to it, and it refuses them.
REFUSED_ENVELOPES = {
    "no envelope": lambda message, headers: (get_invoice(number="INV-0001"), headers),
    "Mcp-Name unlike the tool called": lambda message, headers: _misrouted(message, headers, **{"Mcp-Name": "x"}),
    "Mcp-Method unlike the method": lambda message, headers: _misrouted(message, headers, **{"Mcp-Method": "ping"}),
    "a version header unlike the envelope's": lambda message, headers: _misrouted(
        message, headers, **{"MCP-Protocol-Version": "2099-01-01"}),
    "a version nobody serves": _unsupported,
}


@pytest.mark.parametrize("case", REFUSED_ENVELOPES)
def test_a_refused_2026_07_28_envelope_is_the_transports_refusal(client, create, monkeypatch, case):
    message, headers = REFUSED_ENVELOPES[case](*modern(get_invoice(number=create()["id"])))
    refused = client.post("/mcp", json=message, headers=headers)
    assert refused.status_code == 400 and refused.json()["error"]["message"]
    asked = []
    real = StreamableHTTPSessionManager.handle_request

    async def transport(self, scope, receive, send):
        asked.append(1)
        await real(self, scope, receive, send)

    monkeypatch.setattr(StreamableHTTPSessionManager, "handle_request", transport)
    again = client.post("/mcp", json=message, headers=headers)
    assert asked and (again.status_code, again.json()) == (refused.status_code, refused.json())


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


def test_at_2026_07_28_such_a_failure_is_the_transports_too(client, monkeypatch, transport_only, caplog):
    async def broken(*_):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.mcp_tools, "call_operation", broken)
    message, headers = modern(get_invoice(number="INV-0001"))
    with caplog.at_level(logging.ERROR):
        direct = client.post("/mcp", json=message, headers=headers)
        transport_only()
        by_transport = client.post("/mcp", json=message, headers=headers)
    assert (direct.status_code, direct.json()) == (by_transport.status_code, by_transport.json())
    assert direct.json()["error"]["code"] == -32603 and "secret" not in direct.text
    assert "secret internals" in caplog.text


def test_the_2026_07_28_transport_finds_a_tools_schema_without_listing_the_tools(app):
    """Without the lookup, the SDK runs tools/list for every call of that revision."""
    server = build_server(app.state.mcp_tools, lambda ctx: 1)
    tools = {tool["name"]: tool for tool in catalog.load()}
    assert server.get_tool_input_schema is not None
    assert server.get_tool_input_schema("get_invoice") == tools["get_invoice"]["inputSchema"]
    assert server.get_tool_input_schema("steal_invoices") is None


DECLARING = {"type": "object", "properties": {"number": {"type": "string", "x-mcp-header": "Number"}}}


def _posted(headers: dict) -> Request:
    raw = [(name.lower().encode(), value.encode()) for name, value in
           {**headers, "Content-Type": "application/json"}.items()]
    return Request({"type": "http", "method": "POST", "path": "/mcp", "headers": raw})


@pytest.mark.parametrize(("sent", "direct"), [({}, False), ({"Mcp-Param-Number": "INV-0001"}, True),
                                              ({"Mcp-Param-Number": "INV-0002"}, False)])
def test_a_tool_declaring_mcp_param_headers_has_them_checked_first(sent, direct):
    """The SDK's check, as its transport runs it: what it refuses is left to the transport."""
    message, headers = modern(get_invoice(number="INV-0001"))
    request = _posted({**headers, **sent})
    answer = exchange.direct_request(request, json.dumps(message).encode(), lambda name: DECLARING)
    assert (answer is not None) == direct


def test_only_schemas_declaring_headers_are_looked_at_and_only_tools_remembered():
    asked = []

    def input_schema(name):
        asked.append(name)
        return {"declares": DECLARING, "plain": {"type": "object"}}.get(name)

    lookup = exchange.declaring_headers(input_schema)
    assert [lookup("declares"), lookup("plain"), lookup("made-up")] == [DECLARING, None, None]
    assert [lookup("declares"), lookup("plain"), lookup("made-up")] == [DECLARING, None, None]
    assert asked == ["declares", "plain", "made-up", "made-up"], "tools once; a made-up name is never kept"
