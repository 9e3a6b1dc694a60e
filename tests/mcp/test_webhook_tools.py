"""Webhook endpoints and events as MCP tools: the REST operations' names, bodies and answers."""

import pytest

from app.factory import create_app
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL
from tests.mcp.conftest import call


@pytest.fixture
def app(db_url):
    """Deliveries are recorded, not sent: the endpoint here is not ours to call."""
    app = create_app(db_url, PUBLIC_URL, check_responses=True, webhook_senders=0)
    yield app
    app.state.services.close()


async def test_an_agent_manages_endpoints_and_reads_events(tools, other_tools):
    async with tools:
        status, endpoint = await call(tools, "create_webhook_endpoint", url="https://93.184.215.14/hooks",
                                      events=["invoice.created"])
        assert status == 201 and endpoint["secret"].startswith("whsec_")
        status, refused = await call(tools, "create_webhook_endpoint", url="http://localhost/hooks", events=["*"])
        assert (status, refused["field"]) == (422, "url")
        await call(tools, "create_invoice", **PAGE_EXAMPLE)
        status, page = await call(tools, "list_events", type="invoice.created")
        assert status == 200 and page["data"][0]["data"]["id"] == "ACME-0001"
        assert await call(tools, "get_event", id=page["data"][0]["id"]) == (200, page["data"][0])
        status, deliveries = await call(tools, "list_webhook_deliveries", id=endpoint["id"])
        assert [d["event_id"] for d in deliveries["data"]] == [page["data"][0]["id"]]
        status, paused = await call(tools, "update_webhook_endpoint", id=endpoint["id"], enabled=False)
        assert status == 200 and paused["enabled"] is False
        result = await tools.call_tool("delete_webhook_endpoint", {"id": endpoint["id"]})
        assert not result.is_error and result.content == []
        status, listed = await call(tools, "list_webhook_endpoints")
        assert listed == {"data": [], "next_cursor": None}
    async with other_tools:
        assert (await call(other_tools, "get_event", id=page["data"][0]["id"]))[0] == 404
