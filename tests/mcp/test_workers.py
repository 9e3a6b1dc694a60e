"""`jupiter-invoice serve --workers 2`: one client's requests land on either
worker process, and nothing breaks, because the transport keeps no sessions."""

import httpx2

from tests.backends import fresh_db
from tests.conftest import PAGE_EXAMPLE
from tests.live import mint_key, running_server
from tests.mcp.conftest import call, over_http


async def test_one_client_across_two_worker_processes(tmp_path):
    db = fresh_db(tmp_path)
    key = mint_key(db)
    # No keep-alive: every request opens a new connection, which either worker may accept.
    fresh_connections = {"limits": httpx2.Limits(max_keepalive_connections=0)}
    with running_server(db, workers=2) as base_url:
        async with over_http(f"{base_url}/mcp", key, mode="legacy", **fresh_connections) as client:
            created = [await call(client, "create_invoice", **PAGE_EXAMPLE) for _ in range(6)]
            assert [invoice["id"] for _, invoice in created] == [f"ACME-{n:04d}" for n in range(1, 7)]
            status, sent = await call(client, "send_invoice", number="ACME-0003")
            assert (status, sent["status"]) == (200, "sent")
            status, page = await call(client, "list_invoices", limit=100)
            assert [invoice["id"] for invoice in page["data"]] == [f"ACME-{n:04d}" for n in range(6, 0, -1)]
