"""/mcp over real HTTP: the official client in both protocol eras, the
2025-06-18 handshake on the wire, and the bearer key checked before any MCP."""

import json

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from mcp_tools import catalog
from tests.conftest import PAGE_EXAMPLE
from tests.mcp.conftest import call, over_http
from web.integrations import mcp_config
from workflow import Services
from workflow.clock import utc_now as now

ACCEPT = {"Accept": "application/json, text/event-stream"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}


def test_a_2025_06_18_client_is_answered_in_its_revision_at_the_exact_path(live):
    url, key, _ = live
    response = httpx.post(url, json=INITIALIZE, headers={**ACCEPT, "Authorization": f"Bearer {key}"})
    assert response.status_code == 200, "no redirect to /mcp/"
    assert response.headers["content-type"] == "application/json", "plain JSON, no event stream"
    assert "mcp-session-id" not in response.headers, "stateless: any worker can take the next request"
    result = response.json()["result"]
    assert result["protocolVersion"] == "2025-06-18"
    assert result["serverInfo"]["name"] == "jupiterinvoice" and "tools" in result["capabilities"]
    assert "integer minor units" in result["instructions"]

    listed = httpx.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                        headers={**ACCEPT, "Authorization": f"Bearer {key}", "MCP-Protocol-Version": "2025-06-18"})
    assert [tool["name"] for tool in listed.json()["result"]["tools"]] == [tool["name"] for tool in catalog.load()]


@pytest.mark.parametrize(("mode", "revision"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_the_official_client_over_streamable_http(live, mode, revision):
    url, key, _ = live
    async with over_http(url, key, mode=mode) as client:
        assert client.protocol_version == revision
        assert [tool.name for tool in (await client.list_tools()).tools] == [tool["name"] for tool in catalog.load()]
        status, invoice = await call(client, "create_invoice", **PAGE_EXAMPLE)
        assert status == 201 and invoice["share_url"].startswith("http://127.0.0.1:")
        assert await call(client, "get_invoice", number=invoice["id"]) == (200, invoice)
        status, error = await call(client, "update_invoice", number=invoice["id"], due_date="June 1st")
        assert (status, error["field"]) == (400, "due_date")


@pytest.mark.parametrize(("authorization", "says"), [
    (None, "Missing API key"),
    ("Bearer jk_live_not-a-key", "unknown or has been revoked"),
    ("Basic dXNlcjpwYXNz", "must be 'Bearer"),
])
def test_without_a_good_key_it_is_a_403_before_any_mcp(live, authorization, says):
    """Not a 401: MCP clients answer any 401 with an OAuth flow this server does not offer."""
    url, _, _ = live
    headers = {**ACCEPT, **({"Authorization": authorization} if authorization else {})}
    response = httpx.post(url, json=INITIALIZE, headers=headers)
    assert response.status_code == 403
    assert "www-authenticate" not in response.headers
    error = response.json()["error"]
    assert says in error["message"]
    assert error["data"] == {"error": error["message"], "field": None}


def test_a_revoked_key_stops_working_at_once(live):
    url, _, db = live
    services = Services.open(db)
    account_id = services.accounts.ensure("revoked@example.com", now())
    key, record = services.accounts.create_key(account_id, "temp", now())
    headers = {**ACCEPT, "Authorization": f"Bearer {key}"}
    assert httpx.post(url, json=INITIALIZE, headers=headers).status_code == 200
    services.accounts.revoke_key(account_id, record["id"], now())
    response = httpx.post(url, json=INITIALIZE, headers=headers)
    assert response.status_code == 403 and "revoked" in response.json()["error"]["message"]


async def test_the_official_client_with_a_bad_key_is_told_why(live):
    url, _, _ = live
    with pytest.raises(ExceptionGroup) as raised:
        async with over_http(url, "jk_live_not-a-key", mode="legacy"):
            pass
    assert raised.group_contains(MCPError, match="This API key is unknown or has been revoked")


def test_only_post_is_served(live):
    url, key, _ = live
    response = httpx.get(url, headers={**ACCEPT, "Authorization": f"Bearer {key}"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert set(response.json()) == {"error", "field"}


async def test_the_config_the_integrations_page_gives_connects(live):
    url, key, _ = live
    server = json.loads(mcp_config(url.removesuffix("/mcp"), key))["mcpServers"]["jupiterinvoice"]
    assert server["type"] == "http"
    async with (
        httpx2.AsyncClient(headers=server["headers"], timeout=30) as http,
        Client(streamable_http_client(server["url"], http_client=http)) as client,
    ):
        assert len((await client.list_tools()).tools) == len(catalog.load())
