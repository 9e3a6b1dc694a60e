"""MCP fixtures: the official client, in memory (fast, no HTTP) and over
Streamable HTTP against a real `jupiter-invoice serve` (the wire)."""

import contextlib
import functools
import inspect
import json
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_tools.server import STATUS_META, build_server
from tests.backends import fresh_db
from tests.live import mint_key, running_server
from workflow.clock import utc_now as now


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run each `async def` test here on an event loop in a thread of its own: the
    browser tests' Playwright (sync API) keeps a loop running in the main thread
    for the rest of the session, and a second loop cannot start there."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(anyio.run, functools.partial(pyfuncitem.obj, **arguments)).result()
    return True


def account(services, email: str) -> int:
    return services.accounts.ensure(email, now())


@pytest.fixture
def tools(app, services):
    """An in-memory MCP client acting for the `auth` fixture's account."""
    sender = account(services, "sender@example.com")
    return Client(build_server(app.state.mcp_tools, lambda ctx: sender))


@pytest.fixture
def other_tools(app, services):
    """The same, for the `other_auth` fixture's account."""
    other = account(services, "someone-else@example.com")
    return Client(build_server(app.state.mcp_tools, lambda ctx: other))


def over_http(url: str, key: str | None, *, mode: str = "auto", **http_options) -> contextlib.AbstractAsyncContextManager:
    """The official client on Streamable HTTP, sending `key` as the bearer token."""

    @contextlib.asynccontextmanager
    async def connected():
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30, **http_options) as http,
            Client(streamable_http_client(url, http_client=http), mode=mode) as client,
        ):
            yield client

    return connected()


async def call(client: Client, name: str, **arguments) -> tuple[int, dict]:
    """(the status REST would answer, the JSON body) of one tool call."""
    result = await client.call_tool(name, arguments)
    status = result.meta[STATUS_META]
    body = json.loads(result.content[0].text)
    assert result.is_error == (status >= 400)
    # An error is text alone: structuredContent must match the tool's outputSchema.
    assert result.structured_content == (None if result.is_error else body)
    return status, body


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """One real server for the wire tests: (MCP URL, a key, the database path).
    Tests share it, so each asserts on what it created, never on totals."""
    db = fresh_db(tmp_path_factory.mktemp("mcp-live"))
    key = mint_key(db)
    with running_server(db) as base_url:
        yield f"{base_url}/mcp", key, db
