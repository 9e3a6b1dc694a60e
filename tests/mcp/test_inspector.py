"""A second, independent MCP client: the MCP Inspector's CLI (TypeScript SDK),
which also checks results against the tools' output schemas. `make test`
installs it into .cache/; without it this test is skipped."""

import json
import subprocess
from pathlib import Path

import pytest

from mcp_tools import catalog

INSPECTOR = Path(__file__).resolve().parents[2] / ".cache/mcp-inspector/node_modules/.bin/mcp-inspector"

pytestmark = pytest.mark.skipif(not INSPECTOR.exists(), reason="the MCP Inspector is not installed; `make test` installs it")


def inspector(url: str, key: str, *arguments: str) -> dict:
    """Run one Inspector CLI command; its first line of output (stdout, or stderr
    for a failure) is the JSON result."""
    command = [INSPECTOR, "--cli", url, "--transport", "http", "--header", f"Authorization: Bearer {key}", *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    decoder = json.JSONDecoder()
    result, _ = decoder.raw_decode((completed.stdout or completed.stderr).lstrip())
    return result


def tool_call(url: str, key: str, name: str, **arguments) -> dict:
    flags = [f"{name}={json.dumps(value) if not isinstance(value, str) else value}" for name, value in arguments.items()]
    return inspector(url, key, "--method", "tools/call", "--tool-name", name,
                     *(part for flag in flags for part in ("--tool-arg", flag)))


def test_the_inspector_lists_and_calls_the_tools(live):
    url, key, _ = live
    listed = inspector(url, key, "--method", "tools/list")
    assert [tool["name"] for tool in listed["tools"]] == [tool["name"] for tool in catalog.load()]

    created = tool_call(url, key, "create_invoice", due_date="2026-06-01", recipient={"company": "Initech"},
                        line_items=[{"description": "TPS reports", "quantity": 1.5, "unit_price_cents": 10000}])
    assert "error" not in created, "the result passed the Inspector's own outputSchema check"
    assert created["isError"] is False
    assert created["structuredContent"]["total_cents"] == 15000

    failed = tool_call(url, key, "get_invoice", number="INITECH-9999")
    assert failed["isError"] is True
    assert json.loads(failed["content"][0]["text"]) == {"error": "There is no invoice INITECH-9999.", "field": "number"}


def test_the_inspector_shows_a_bad_key_as_a_bad_key(live):
    """Not as an OAuth flow to start: the server offers none."""
    url, _, _ = live
    refused = inspector(url, "jk_live_not-a-key", "--method", "tools/list")
    assert "This API key is unknown or has been revoked." in refused["error"]["message"]
    assert "OAuth" not in json.dumps(refused)
