"""The /mcp endpoint in process: the key's rate limit is the REST one, counted
across both doors; a bad key is refused before anything of MCP is answered (on
PostgreSQL a plain tool call's key is looked up beside its operation, one hop)."""

import pytest
from starlette.testclient import TestClient

from app import spec, threads
from app.factory import create_app
from mcp_tools import catalog
from tests.api.test_auth_and_isolation import CountingPool, last_use_recorded
from tests.backends import ON_POSTGRES
from tests.conftest import PUBLIC_URL, mint
from tests.mcp.test_exchange import REVISIONS, get_invoice, rpc

ACCEPT = {"Accept": "application/json, text/event-stream"}
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
SAYS_WHY = {"error": "This API key is unknown or has been revoked.", "field": None}


@pytest.fixture
def limited(db_url):
    """An app allowing one request a second per key (a burst of two)."""
    app = create_app(db_url, PUBLIC_URL, rate_limit=1)
    with TestClient(app, headers={**mint(app.state.services, "busy@example.com"), **ACCEPT}) as client:
        yield client
    app.state.services.close()


@pytest.mark.parametrize("message", [PING, get_invoice(number="INV-0001")], ids=["ping", "a tool call"])
def test_a_key_over_its_rate_limit_gets_a_429_with_the_rest_sentence(limited, message):
    assert limited.get("/api/v1/invoices").status_code == 200
    assert limited.post("/mcp", json=PING, headers={"MCP-Protocol-Version": "2025-06-18"}).status_code == 200
    refused = limited.post("/mcp", json=message, headers={"MCP-Protocol-Version": "2025-06-18"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    error = refused.json()["error"]
    assert "Too many requests" in error["message"] and error["data"] == {"error": error["message"], "field": None}


BAD_KEY_CALLS = {
    "a tool call": lambda: get_invoice(number="INV-0001"),
    "arguments the schema refuses": lambda: get_invoice(number="INV-0001", extra=1),
    "a tool that does not exist": lambda: rpc("tools/call", {"name": "steal_invoices"}),
    "params that are not CallToolRequestParams": lambda: rpc("tools/call", {"arguments": []}),
    "the tool list": lambda: rpc("tools/list"),
}


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("case", BAD_KEY_CALLS)
def test_a_bad_key_is_refused_whatever_it_calls(anonymous, case, revision):
    message, headers = REVISIONS[revision](BAD_KEY_CALLS[case]())
    refused = anonymous.post("/mcp", json=message, headers={**headers, "Authorization": "Bearer jk_live_unknown"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["data"] == SAYS_WHY


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_tool_call_makes_one_hop_on_postgresql_and_none_on_sqlite(client, services, create, monkeypatch,
                                                                     revision):
    number = create()["id"]
    assert last_use_recorded(services), "else the call below records it, on a hop of its own"
    pool = CountingPool(threads._pool)
    monkeypatch.setattr(threads, "_pool", pool)
    message, headers = REVISIONS[revision](get_invoice(number=number))
    answer = client.post("/mcp", json=message, headers=headers)
    assert answer.json()["result"]["structuredContent"]["id"] == number
    assert pool.sent == (1 if ON_POSTGRES else 0)


def test_every_tool_needs_a_key_so_none_runs_before_its_key_is_looked_up():
    """A tool call's key may be looked up beside its operation, which looks it up before
    anything else: that holds only while every tool's operation takes a key."""
    for tool in catalog.load():
        _, _, operation = spec.operation(tool["name"])
        assert spec.needs_key(spec.resolved(), operation), tool["name"]
