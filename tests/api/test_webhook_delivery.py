"""Webhooks as a consumer sees them: a real HTTP receiver on loopback, each request
verified with the standardwebhooks package; retries, a receiver down then up."""

import http.server
import json
import threading
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PUBLIC_URL, approve, mint
from tests.live import free_port
from tests.receiver import Receiver

ENDPOINTS = "/api/v1/webhook-endpoints"
RETRY_BASE = 0.2


@pytest.fixture
def app(db_url):
    """Loopback receivers are allowed here, and retries come fast."""
    app = create_app(db_url, PUBLIC_URL, check_responses=True, allow_private_webhooks=True,
                     webhook_retry_base=RETRY_BASE)
    yield app
    app.state.services.close()


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


def subscribe(client, url: str, events=("*",)) -> dict:
    response = client.post(ENDPOINTS, json={"url": url, "events": list(events)})
    assert response.status_code == 201, response.text
    return response.json()


def deliveries(client, endpoint: dict) -> list[dict]:
    return client.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries").json()["data"]


def settled(client, endpoint: dict, seconds: float = 15) -> list[dict]:
    """The endpoint's deliveries once none is pending."""
    deadline = time.monotonic() + seconds
    while True:
        found = deliveries(client, endpoint)
        if found and all(d["status"] != "pending" for d in found):
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.05)


def test_each_event_arrives_signed_as_standard_webhooks_verifies_it(client, anonymous, create, receiver):
    endpoint = subscribe(client, receiver.url, ["invoice.approved"])
    invoice = create()
    approve(anonymous, f"/api/v1/share/{invoice['share_token']}")
    (request,) = receiver.wait_for(1)
    payload = Webhook(endpoint["secret"]).verify(request["body"], request["headers"])
    event = client.get("/api/v1/events", params={"type": "invoice.approved"}).json()["data"][0]
    assert payload == event
    assert request["headers"]["webhook-id"] == event["id"]
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["path"] == "/hooks"
    assert abs(int(request["headers"]["webhook-timestamp"]) - time.time()) < 30
    assert payload["data"]["status"] == "approved" and payload["data"]["id"] == invoice["id"]
    (delivery,) = settled(client, endpoint)
    assert delivery["status"] == "delivered" and delivery["next_attempt_at"] is None
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] == 204 and attempt["error"] is None and attempt["duration_ms"] >= 0


def test_a_signature_made_with_another_secret_does_not_verify(client, create, receiver):
    subscribe(client, receiver.url)
    other = subscribe(client, receiver.url)
    create()
    for request in receiver.wait_for(4):
        body = json.loads(request["body"])
        assert body["type"] in ("customer.created", "invoice.created")
    verified = 0
    for request in receiver.received:
        try:
            Webhook(other["secret"]).verify(request["body"], request["headers"])
            verified += 1
        except WebhookVerificationError:  # the first endpoint's requests
            pass
    assert verified == 2


def test_failures_are_retried_with_a_doubling_delay_under_one_event_id(client, create):
    with Receiver(statuses=(500, 503, 429)) as receiver:
        endpoint = subscribe(client, receiver.url, ["invoice.created"])
        create()
        requests = receiver.wait_for(4)
        (delivery,) = settled(client, endpoint)
    assert len({r["headers"]["webhook-id"] for r in requests}) == 1
    gaps = [later["at"] - earlier["at"] for earlier, later in zip(requests, requests[1:], strict=False)]
    assert gaps[0] >= RETRY_BASE * 0.9 and gaps[1] >= 2 * RETRY_BASE * 0.9 and gaps[2] >= 4 * RETRY_BASE * 0.9, gaps
    assert delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 429, 204]
    assert "500" in delivery["attempts"][0]["error"]


def test_a_receiver_down_then_up_gets_the_event(client, create):
    port = free_port()
    endpoint = subscribe(client, f"http://127.0.0.1:{port}/hooks", ["invoice.created"])
    create()
    deadline = time.monotonic() + 10
    while not (found := deliveries(client, endpoint)[0])["attempts"] or len(found["attempts"]) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert found["status"] == "pending" and found["attempts"][0]["status_code"] is None
    assert "refused" in found["attempts"][0]["error"].lower()
    with Receiver(port=port) as receiver:
        (request,) = receiver.wait_for(1)
        (delivery,) = settled(client, endpoint)
    assert json.loads(request["body"])["type"] == "invoice.created"
    assert delivery["status"] == "delivered" and delivery["attempts"][-1]["status_code"] == 204


def test_after_eight_failed_attempts_a_delivery_has_failed(db_url, invoice_body):
    quick = create_app(db_url, PUBLIC_URL, allow_private_webhooks=True, webhook_retry_base=0.02)
    with Receiver(statuses=(500,) * 8) as receiver, TestClient(quick, headers=mint(quick.state.services, "s@x.io")) as client:
        endpoint = subscribe(client, receiver.url, ["invoice.created"])
        client.post("/api/v1/invoices", json=invoice_body)
        (delivery,) = settled(client, endpoint, seconds=30)
        assert len(receiver.received) == 8
    quick.state.services.close()
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    assert len(delivery["attempts"]) == 8


def test_a_slow_endpoint_never_slows_the_request(client, create):
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            time.sleep(3)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subscribe(client, f"http://127.0.0.1:{server.server_address[1]}/", ["invoice.updated"])
        number = create()["id"]
        started = time.monotonic()
        for n in range(3):
            assert client.patch(f"/api/v1/invoices/{number}", json={"po_number": f"PO-{n}"}).status_code == 200
        assert time.monotonic() - started < 1.5
    finally:
        server.shutdown()
        server.server_close()


def test_a_disabled_endpoint_hears_nothing_and_a_deleted_one_no_more(client, create, receiver):
    endpoint = subscribe(client, receiver.url, ["invoice.created"])
    client.patch(f"{ENDPOINTS}/{endpoint['id']}", json={"enabled": False})
    create()
    assert deliveries(client, endpoint) == []
    client.patch(f"{ENDPOINTS}/{endpoint['id']}", json={"enabled": True})
    number = create()["id"]
    (request,) = receiver.wait_for(1)
    assert json.loads(request["body"])["data"]["id"] == number
    client.delete(f"{ENDPOINTS}/{endpoint['id']}")
    create()
    time.sleep(1.5)
    assert len(receiver.received) == 1


def test_at_delivery_time_a_private_address_is_refused_again(db_url, create):
    """The URL was accepted by a server that allows private addresses; one that does
    not never sends to it, however it was stored."""
    with Receiver() as receiver:
        lenient = create_app(db_url, PUBLIC_URL, allow_private_webhooks=True, webhook_senders=0)
        auth = mint(lenient.state.services, "sender@example.com")
        with TestClient(lenient, headers=auth) as client:
            endpoint = subscribe(client, receiver.url, ["customer.created"])
            client.post("/api/v1/customers", json={"company": "Initech"})
        lenient.state.services.close()
        strict = create_app(db_url, PUBLIC_URL, webhook_retry_base=RETRY_BASE)
        with TestClient(strict, headers=auth) as client:
            deadline = time.monotonic() + 10
            while not (found := deliveries(client, endpoint)[0])["attempts"]:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        strict.state.services.close()
        assert receiver.received == []
    assert found["attempts"][0]["status_code"] is None
    assert "loopback address" in found["attempts"][0]["error"]
