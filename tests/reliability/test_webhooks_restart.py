"""Webhooks survive a SIGKILL: deliveries pending when the server dies arrive
once it is back, each exactly once although two workers share the work."""

import json
import time

import httpx
from standardwebhooks import Webhook

from delivery.webhooks import LEASE_MS
from tests.backends import fresh_db
from tests.live import LiveServer, free_port, mint_key
from tests.receiver import Receiver

ARGS = ("--allow-private-webhooks", "--webhook-retry-base", "0.3", "--rate-limit", "0")
BODY = {"due_date": "2026-06-01", "recipient": {"company": "Acme Corp"},
        "line_items": [{"description": "Design", "quantity": 1, "unit_price_cents": 100000}]}


def _deliveries(base_url: str, headers: dict, endpoint_id: int) -> list[dict]:
    response = httpx.get(f"{base_url}/api/v1/webhook-endpoints/{endpoint_id}/deliveries", headers=headers,
                         params={"limit": 100})
    return response.json()["data"]


def test_pending_deliveries_arrive_after_a_sigkill_and_restart(tmp_path):
    db = fresh_db(tmp_path)
    headers = {"Authorization": f"Bearer {mint_key(db)}"}
    port = free_port()  # the receiver is down at first
    server = LiveServer(db, workers=2, extra_args=ARGS)
    try:
        server.wait_until_ready()
        endpoint = httpx.post(f"{server.base_url}/api/v1/webhook-endpoints", headers=headers,
                              json={"url": f"http://127.0.0.1:{port}/hooks", "events": ["*"]}).json()
        for _ in range(10):
            assert httpx.post(f"{server.base_url}/api/v1/invoices", headers=headers, json=BODY).status_code == 201
        deadline = time.monotonic() + 20
        found = _deliveries(server.base_url, headers, endpoint["id"])
        while len(found) < 11 or not all(d["attempts"] for d in found):
            assert time.monotonic() < deadline, found
            time.sleep(0.1)
            found = _deliveries(server.base_url, headers, endpoint["id"])
        assert len(found) == 11 and {d["status"] for d in found} == {"pending"}
        server.kill()
    finally:
        server.stop()

    with Receiver(port=port) as receiver:
        restarted = LiveServer(db, workers=2, extra_args=ARGS)
        try:
            restarted.wait_until_ready()
            # One a sender was attempting as it died waits out its lease, then goes.
            requests = receiver.wait_for(11, seconds=LEASE_MS / 1000 + 30)
            deadline = time.monotonic() + 20
            while {d["status"] for d in _deliveries(restarted.base_url, headers, endpoint["id"])} != {"delivered"}:
                assert time.monotonic() < deadline
                time.sleep(0.1)
            time.sleep(1)  # anything sent twice would have arrived by now
            events = httpx.get(f"{restarted.base_url}/api/v1/events", headers=headers, params={"limit": 100}).json()
        finally:
            restarted.stop()
    received = [request["headers"]["webhook-id"] for request in receiver.received]
    assert sorted(received) == sorted(event["id"] for event in events["data"]), "each event once, none lost"
    for request in requests:
        assert Webhook(endpoint["secret"]).verify(request["body"], request["headers"])["id"] == \
            request["headers"]["webhook-id"]
    assert sum(json.loads(r["body"])["type"] == "invoice.created" for r in receiver.received) == 10
