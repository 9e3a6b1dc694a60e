"""Test mode: a jk_test_ key works on test data only, which live keys never see;
its email is kept, never delivered; its events go only to endpoints made with
test keys. Real SMTP and a real webhook receiver on loopback."""

import json

import pytest
from starlette.testclient import TestClient

from app.cli import main as cli
from app.factory import create_app
from tests.api.test_notifications import wait_for
from tests.api.test_webhook_delivery import settled, subscribe
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL, mint_unverified, now
from tests.receiver import Receiver

SELLER = {"display_name": "Studio Nord", "legal_name": "Studio Nord GmbH", "contact_email": "billing@nord.example"}


def keys(services, email: str = "sender@example.com") -> tuple[dict, dict]:
    """(live, test) Authorization headers of one account."""
    account_id = services.accounts.ensure(email, now())
    live, _ = services.accounts.create_key(account_id, "live", now())
    test, _ = services.accounts.create_key(account_id, "test", now(), test=True)
    assert live.startswith("jk_live_") and test.startswith("jk_test_")
    return {"Authorization": f"Bearer {live}"}, {"Authorization": f"Bearer {test}"}


@pytest.fixture
def app(db_url, smtp):
    """SMTP configured, loopback webhook receivers allowed, retries fast."""
    app = create_app(db_url, PUBLIC_URL, check_responses=True, smtp_url=smtp[0], allow_private_webhooks=True,
                     webhook_retry_base=0.2)
    yield app
    app.state.mailer.stop()
    app.state.services.close()


@pytest.fixture
def modes(app):
    """(a client with the live key, a client with the test key) of one account."""
    live, test = keys(app.state.services)
    with TestClient(app, headers=live) as live_client, TestClient(app, headers=test) as test_client:
        yield live_client, test_client


def test_test_data_and_live_data_never_meet(modes, app):
    live, test = modes
    made = test.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    assert made["id"] == "ACME-0001"
    assert live.get("/api/v1/invoices").json()["data"] == []
    assert live.get("/api/v1/customers").json()["data"] == []
    assert live.get("/api/v1/invoices/ACME-0001").status_code == 404
    assert live.get("/api/v1/events").json()["data"] == []

    # Live numbering is its own: the first live invoice is ACME-0001 too.
    assert live.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()["id"] == "ACME-0001"
    assert [invoice["id"] for invoice in test.get("/api/v1/invoices").json()["data"]] == ["ACME-0001"]
    assert test.get("/api/v1/invoices/ACME-0001").json()["share_token"] == made["share_token"]
    other_live, other_test = keys(app.state.services, "someone-else@example.com")
    assert test.get("/api/v1/invoices", headers=other_test).json()["data"] == []


def test_the_seller_profile_is_shared_and_changed_with_live_keys_only(modes):
    live, test = modes
    assert live.patch("/api/v1/account", json=SELLER).status_code == 200
    seen = test.get("/api/v1/account").json()
    assert seen["livemode"] is False and live.get("/api/v1/account").json()["livemode"] is True
    assert {name: seen[name] for name in SELLER} == SELLER
    assert seen["email"] == "sender@example.com"

    refused = test.patch("/api/v1/account", json={"legal_name": "Someone Else Ltd"})
    assert refused.status_code == 403
    assert "live key" in refused.json()["error"]
    assert live.get("/api/v1/account").json()["legal_name"] == "Studio Nord GmbH"
    # Test invoices are issued by that same seller.
    invoice = test.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    assert test.get(f"/api/v1/share/{invoice['share_token']}").json()["sender"]["legal_name"] == "Studio Nord GmbH"


def test_test_email_is_kept_never_delivered(modes, app, smtp):
    live, test = modes
    _, inbox = smtp
    live.patch("/api/v1/account", json=SELLER)
    invoice = test.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    sent = test.post(f"/api/v1/invoices/{invoice['id']}/send").json()
    assert sent["delivery"] == {"channel": "email", "to": ["ap@acme.com"], "cc": [], "status": "kept"}
    reminded = test.post(f"/api/v1/invoices/{invoice['id']}/remind")
    assert reminded.status_code == 200 and reminded.json()["status"] == "kept"
    test.post(f"/api/v1/invoices/{invoice['id']}/comments", json={"body": "Any questions?"})

    live_invoice = live.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    live.post(f"/api/v1/invoices/{live_invoice['id']}/send")
    wait_for(lambda: live.get(f"/api/v1/invoices/{live_invoice['id']}").json()["delivery"]["status"] == "sent")
    app.state.mailer.deliver_due()
    assert [envelope.rcpt_tos for envelope in inbox.messages] == [["ap@acme.com"]]  # the live one alone

    services = app.state.services
    test_account = services.accounts.test_account(services.accounts.ensure("sender@example.com", now()))
    kept = services.outbox.kept(test_account, 20)
    assert [message["kind"] for message in kept] == ["comment", "reminder", "invoice"]
    assert all(message["sent_at"] is None for message in kept)
    assert test.get(f"/api/v1/invoices/{invoice['id']}").json()["delivery"]["status"] == "kept"


def test_test_events_go_only_to_endpoints_made_with_test_keys(modes):
    live, test = modes
    with Receiver() as live_receiver, Receiver() as test_receiver:
        live_endpoint = subscribe(live, live_receiver.url)
        test_endpoint = subscribe(test, test_receiver.url)
        assert [endpoint["id"] for endpoint in live.get("/api/v1/webhook-endpoints").json()["data"]] == \
            [live_endpoint["id"]]
        test.post("/api/v1/invoices", json=PAGE_EXAMPLE)
        live.post("/api/v1/invoices", json=PAGE_EXAMPLE)
        assert {delivery["status"] for delivery in settled(test, test_endpoint)} == {"delivered"}
        assert {delivery["status"] for delivery in settled(live, live_endpoint)} == {"delivered"}
        assert {json.loads(request["body"])["livemode"] for request in test_receiver.received} == {False}
        assert {json.loads(request["body"])["livemode"] for request in live_receiver.received} == {True}
        assert len(test_receiver.received) == len(live_receiver.received) == 2, "customer.created, invoice.created"
        assert live.get(f"/api/v1/webhook-endpoints/{test_endpoint['id']}").status_code == 404


def test_a_key_of_either_mode_is_listed_and_revoked_by_its_account(app):
    services = app.state.services
    live, test = keys(services)
    account_id = services.accounts.ensure("sender@example.com", now())
    listed = services.accounts.list_keys(account_id)
    assert [(key["name"], key["livemode"]) for key in listed] == [("test", False), ("live", True)]
    services.accounts.revoke_key(account_id, listed[0]["id"], now())
    with TestClient(app) as http:
        assert http.get("/api/v1/invoices", headers=test).status_code == 401
        assert http.get("/api/v1/invoices", headers=live).status_code == 200
    # Another account cannot reach this account's test key.
    other = services.accounts.ensure("someone-else@example.com", now())
    with pytest.raises(Exception, match="No API key"):
        services.accounts.revoke_key(other, listed[1]["id"], now())


def test_keys_create_test_prints_a_test_key(db_url, capsys):
    cli(["keys", "create", "--email", "ops@example.com", "--test", "--db", db_url])
    assert capsys.readouterr().out.strip().startswith("jk_test_")


def test_test_mode_sends_before_the_address_is_verified(app):
    """Nothing leaves in test mode, so an unverified account may try it out; live it may not."""
    services = app.state.services
    live = mint_unverified(services, "new@studio.test")
    account_id = services.accounts.live_id(services.accounts.find_key(live["Authorization"][7:], now())[0])
    test_key, _ = services.accounts.create_key(account_id, "sandbox", now(), test=True)
    with TestClient(app) as http:
        test = {"Authorization": f"Bearer {test_key}"}
        invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=test).json()
        assert http.post(f"/api/v1/invoices/{invoice['id']}/send", headers=test).json()["delivery"]["status"] == "kept"
        live_invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=live).json()
        assert http.post(f"/api/v1/invoices/{live_invoice['id']}/send", headers=live).status_code == 403
