"""The /mcp endpoint in process: the key's rate limit is the REST one, counted
across both doors, and refused before any MCP message is read."""

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PUBLIC_URL, mint

ACCEPT = {"Accept": "application/json, text/event-stream"}
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


@pytest.fixture
def limited(tmp_path):
    """An app allowing one request a second per key (a burst of two)."""
    app = create_app(str(tmp_path / "jupiter.db"), PUBLIC_URL, rate_limit=1)
    with TestClient(app, headers={**mint(app.state.services, "busy@example.com"), **ACCEPT}) as client:
        yield client


def test_a_key_over_its_rate_limit_gets_a_429_with_the_rest_sentence(limited):
    assert limited.get("/api/v1/invoices").status_code == 200
    assert limited.post("/mcp", json=PING, headers={"MCP-Protocol-Version": "2025-06-18"}).status_code == 200
    refused = limited.post("/mcp", json=PING, headers={"MCP-Protocol-Version": "2025-06-18"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    error = refused.json()["error"]
    assert "Too many requests" in error["message"] and error["data"] == {"error": error["message"], "field": None}
