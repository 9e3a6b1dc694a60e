"""Webhook endpoints and events through the API: per account, secrets shown once,
URLs checked against this server's own network, every change an event."""

import base64

import pytest

from app.factory import create_app
from tests.conftest import PUBLIC_URL, approve

ENDPOINTS = "/api/v1/webhook-endpoints"
PUBLIC = "http://93.184.215.14/hooks"  # an IP literal: public, and needs no DNS


@pytest.fixture
def app(db_url):
    """Deliveries are recorded but not sent: these endpoints are not ours to call."""
    app = create_app(db_url, PUBLIC_URL, check_responses=True, webhook_senders=0)
    yield app
    app.state.services.close()


@pytest.fixture
def endpoint(client):
    response = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["invoice.approved", "invoice.paid"],
                                            "description": "bookkeeping"})
    assert response.status_code == 201, response.text
    return response.json()


def test_creating_an_endpoint_shows_its_secret_once(client, endpoint):
    assert endpoint["secret"].startswith("whsec_")
    assert len(base64.b64decode(endpoint["secret"].removeprefix("whsec_"))) >= 24
    assert {k: endpoint[k] for k in ("url", "events", "enabled", "description")} == {
        "url": PUBLIC, "events": ["invoice.approved", "invoice.paid"], "enabled": True, "description": "bookkeeping"}
    shown = client.get(f"{ENDPOINTS}/{endpoint['id']}").json()
    assert "secret" not in shown and shown == {k: v for k, v in endpoint.items() if k != "secret"}
    assert "secret" not in client.get(ENDPOINTS).json()["data"][0]
    assert endpoint["secret"] not in client.get(ENDPOINTS).text


def test_update_and_delete(client, endpoint):
    path = f"{ENDPOINTS}/{endpoint['id']}"
    changed = client.patch(path, json={"events": ["*"], "enabled": False, "description": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["events"], changed.json()["enabled"], changed.json()["description"]) == (["*"], False, None)
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404
    assert client.get(ENDPOINTS).json() == {"data": [], "next_cursor": None}


def test_another_accounts_endpoint_is_not_found(client, app, other_auth, endpoint):
    path = f"{ENDPOINTS}/{endpoint['id']}"
    for method, kwargs in (("get", {}), ("patch", {"json": {"enabled": False}}), ("delete", {}),):
        assert client.request(method.upper(), path, headers=other_auth, **kwargs).status_code == 404
    assert client.get(f"{path}/deliveries", headers=other_auth).status_code == 404
    assert client.get(ENDPOINTS, headers=other_auth).json()["data"] == []
    assert client.get(path).json()["enabled"] is True


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hooks", "http://localhost/hooks", "http://[::1]/hooks", "http://10.0.0.5/hooks",
    "http://192.168.1.1/hooks", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/hooks",
    "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
])
def test_private_loopback_and_link_local_urls_are_refused(client, url):
    response = client.post(ENDPOINTS, json={"url": url, "events": ["*"]})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "url"
    assert "address" in response.json()["error"]


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/x", "https://user:secret@93.184.215.14/x",
                                 "http://no-such-host.invalid/hooks"])
def test_other_unusable_urls_are_refused(client, url):
    response = client.post(ENDPOINTS, json={"url": url, "events": ["*"]})
    assert (response.status_code, response.json()["field"]) == (422, "url"), response.text


def test_a_new_url_is_checked_too(client, endpoint):
    response = client.patch(f"{ENDPOINTS}/{endpoint['id']}", json={"url": "http://localhost:9/x"})
    assert (response.status_code, response.json()["field"]) == (422, "url")
    assert client.get(f"{ENDPOINTS}/{endpoint['id']}").json()["url"] == PUBLIC


def test_unknown_event_types_are_a_400_and_star_goes_alone(client):
    response = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["invoice.exploded"]})
    assert response.status_code == 400 and response.json()["field"].startswith("events")
    response = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["*", "invoice.sent"]})
    assert (response.status_code, response.json()["field"]) == (422, "events")


# ------------------------------------------------------------ events

def _events(client, **query):
    response = client.get("/api/v1/events", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_change_is_an_event_with_the_object_as_get_shows_it(client, anonymous, create):
    invoice = create()
    number = invoice["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"po_number": "PO-1"})
    client.post(f"/api/v1/invoices/{number}/comments", json={"body": "Thanks!"})
    client.post(f"/api/v1/invoices/{number}/send")
    token = invoice["share_token"]
    anonymous.get(f"/api/v1/share/{token}")
    anonymous.patch(f"/api/v1/share/{token}", json={"recipient": {"tax_id": "DE123456789"}})
    approve(anonymous, f"/api/v1/share/{token}")
    client.post(f"/api/v1/invoices/{number}/mark-paid")
    types = [event["type"] for event in _events(client, limit=100)["data"]]
    assert types == ["invoice.paid", "invoice.payment_received", "invoice.approved", "customer.updated", "invoice.amended", "invoice.viewed",
                     "invoice.sent", "invoice.commented", "invoice.updated", "invoice.created", "customer.created"]
    latest = _events(client, limit=1)["data"][0]
    assert latest["id"].startswith("evt_")
    assert latest["data"] == client.get(f"/api/v1/invoices/{number}").json()
    assert client.get(f"/api/v1/events/{latest['id']}").json() == latest
    customer = _events(client, type="customer.updated")["data"][0]["data"]
    assert customer == client.get(f"/api/v1/customers/{invoice['customer_id']}").json()
    assert customer["tax_id"] == "DE123456789"


def test_void_revert_changes_requested_and_customer_events(client, anonymous, create):
    first, second = create(), create()
    client.post(f"/api/v1/invoices/{first['id']}/void")
    client.patch(f"/api/v1/invoices/{second['id']}", json={"po_number": "PO-9"})
    client.post(f"/api/v1/invoices/{second['id']}/versions/2/revert")
    anonymous.post(f"/api/v1/share/{second['share_token']}/request-changes", json={"body": "Split it"})
    made = client.post("/api/v1/customers", json={"company": "Globex"}).json()
    client.patch(f"/api/v1/customers/{made['id']}", json={"notes": "Pays on time"})
    for kind in ("invoice.voided", "invoice.reverted", "invoice.changes_requested"):
        (event,) = _events(client, type=kind)["data"]
        assert event["data"]["id"] in (first["id"], second["id"])
    assert [e["data"]["company"] for e in _events(client, type="customer.created")["data"]] == ["Globex", "Acme Corp"]
    assert _events(client, type="customer.updated")["data"][0]["data"]["notes"] == "Pays on time"


def test_events_are_listed_per_type_newest_first_with_a_cursor(client, create):
    numbers = [create()["id"] for _ in range(3)]
    page = _events(client, type="invoice.created", limit=2)
    assert [event["data"]["id"] for event in page["data"]] == numbers[:0:-1]
    rest = _events(client, type="invoice.created", limit=2, cursor=page["next_cursor"])
    assert [event["data"]["id"] for event in rest["data"]] == numbers[:1] and rest["next_cursor"] is None
    assert client.get("/api/v1/events", params={"cursor": "made-up"}).json()["field"] == "cursor"
    assert client.get("/api/v1/events", params={"type": "invoice.exploded"}).status_code == 400


def test_events_belong_to_their_account(client, other_auth, create):
    create()
    event = _events(client)["data"][0]
    assert client.get(f"/api/v1/events/{event['id']}", headers=other_auth).status_code == 404
    assert client.get("/api/v1/events", headers=other_auth).json()["data"] == []
    assert client.get("/api/v1/events/evt_000000000000000000000000").status_code == 404


def test_a_subscribed_endpoint_gets_a_delivery_per_event_and_others_none(client, anonymous, create, endpoint):
    everything = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["*"]}).json()
    paused = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["*"]}).json()
    client.patch(f"{ENDPOINTS}/{paused['id']}", json={"enabled": False})
    invoice = create()
    approve(anonymous, f"/api/v1/share/{invoice['share_token']}")
    deliveries = client.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries").json()["data"]
    assert [d["event_type"] for d in deliveries] == ["invoice.approved"]
    assert deliveries[0]["event_id"] == _events(client, type="invoice.approved")["data"][0]["id"]
    every = client.get(f"{ENDPOINTS}/{everything['id']}/deliveries").json()["data"]
    assert [d["event_type"] for d in every] == ["invoice.approved", "invoice.viewed", "invoice.created", "customer.created"]
    assert all(d["status"] == "pending" and d["attempts"] == [] and d["next_attempt_at"] for d in every)
    assert client.get(f"{ENDPOINTS}/{paused['id']}/deliveries").json()["data"] == []


def test_an_attempt_finished_after_its_endpoint_was_removed_is_dropped(client, services, create, endpoint):
    from storage import webhooks as rows

    everything = client.post(ENDPOINTS, json={"url": PUBLIC, "events": ["*"]}).json()
    create()
    with services.db.write() as tx:
        claimed = rows.claim_due(tx, 2**62, 60_000)
    assert claimed["url"] == PUBLIC and claimed["event"]["type"] == "customer.created"
    assert client.delete(f"{ENDPOINTS}/{everything['id']}").status_code == 204
    with services.db.write() as tx:
        rows.record_attempt(tx, claimed["id"], {"at": "2026-05-01T12:00:00Z", "status_code": 204, "error": None,
                                                "duration_ms": 3}, "delivered", None)
        assert tx.value("SELECT count(*) AS n FROM webhook_attempts") == 0


def test_a_credit_note_is_an_event_with_the_credit_note_as_get_shows_it(client, create):
    number = create()["id"]
    client.post(f"/api/v1/invoices/{number}/send")
    response = client.post(f"/api/v1/invoices/{number}/credit-notes", json={"reason": "Cancelled workshop"})
    assert response.status_code == 201, response.text
    (event,) = _events(client, type="credit_note.created")["data"]
    assert event["data"] == client.get(f"/api/v1/credit-notes/{response.json()['id']}").json()
    assert event["data"]["invoice"] == number


def test_payments_are_events_and_the_one_that_leaves_nothing_due_makes_it_paid(client, create):
    number = create()["id"]
    client.post(f"/api/v1/invoices/{number}/send")
    for amount in (100000, 150000):
        response = client.post(f"/api/v1/invoices/{number}/payments", json={"amount_cents": amount, "method": "card"})
        assert response.status_code == 201, response.text
    types = [event["type"] for event in _events(client, limit=3)["data"]]
    assert types == ["invoice.paid", "invoice.payment_received", "invoice.payment_received"]
    paid, received, first = _events(client, limit=3)["data"]
    assert paid["data"] == received["data"] == client.get(f"/api/v1/invoices/{number}").json()
    assert paid["data"]["status"] == "paid" and first["data"]["amount_paid_cents"] == 100000


def test_mark_paid_records_the_payment_and_the_invoice_paid(client, create):
    number = create()["id"]
    client.post(f"/api/v1/invoices/{number}/send")
    client.post(f"/api/v1/invoices/{number}/mark-paid")
    assert [event["type"] for event in _events(client, limit=2)["data"]] == ["invoice.paid", "invoice.payment_received"]
