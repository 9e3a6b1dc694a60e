"""Keys: 401s that say why, revocation at once, and accounts that never see each other."""


import time

import pytest
from starlette.testclient import TestClient

from app import threads, validation
from tests.backends import ON_POSTGRES, dump
from workflow.clock import utc_now as now


@pytest.mark.parametrize(
    ("header", "says"),
    [
        (None, "Missing API key"),
        ("Basic dXNlcjpwYXNz", "must be 'Bearer"),
        ("Bearer", "must be 'Bearer"),
        ("Bearer jk_live_unknown", "unknown or has been revoked"),
        ("Bearer sk_test_123", "unknown or has been revoked"),
        ("Bearer jk_live_" + "x" * 10_000, "unknown or has been revoked"),
    ],
)
def test_missing_or_bad_keys_are_401_with_www_authenticate(anonymous, header, says):
    headers = {"Authorization": header} if header else {}
    response = anonymous.get("/api/v1/invoices", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert says in response.json()["error"]
    assert set(response.json()) == {"error", "field"}


@pytest.mark.parametrize("path", [
    "/api/v1/invoices?limit=0", "/api/v1/invoices?no_such_parameter=1", "/api/v1/invoices/ACME%000001",
])
def test_a_bad_key_is_refused_before_a_bad_parameter(anonymous, client, path):
    """On PostgreSQL a read's key is looked up beside its handler: whatever refuses the
    request before that looks it up first."""
    refused = anonymous.get(path, headers={"Authorization": "Bearer jk_live_unknown"})
    assert refused.status_code == 401, refused.text
    assert "unknown or has been revoked" in refused.json()["error"]
    assert client.get(path).status_code in (400, 404)


@pytest.mark.parametrize(("method", "path", "sent"), [
    ("POST", "/api/v1/invoices", {"json": {}}),
    ("POST", "/api/v1/invoices", {"content": b"{", "headers": {"Content-Type": "application/json"}}),
    ("POST", "/api/v1/invoices", {"content": b"", "headers": {"Content-Type": "application/json"}}),
    ("POST", "/api/v1/invoices", {"content": b"<invoice/>", "headers": {"Content-Type": "application/xml"}}),
    ("POST", "/api/v1/invoices", {"json": {"currency": "USD\u0000"}}),
    ("PATCH", "/api/v1/invoices/ACME-0001?no_such_parameter=1", {"json": {"notes": "x"}}),
    ("POST", "/api/v1/invoices/ACME-0001/send", {}),
])
def test_a_bad_key_is_refused_before_a_bad_body(anonymous, client, method, path, sent):
    """On PostgreSQL a write's key is looked up beside its handler too, when its body is
    checked on the event loop: whatever refuses the request before that looks it up first."""
    refused = anonymous.request(method, path, **{**sent, "headers": {
        **sent.get("headers", {}), "Authorization": "Bearer jk_live_unknown"}})
    assert refused.status_code == 401, refused.text
    assert "unknown or has been revoked" in refused.json()["error"]
    assert client.request(method, path, **sent).status_code in (400, 404, 415)


def test_a_body_longer_than_it_said_is_not_read_before_its_key(anonymous, monkeypatch):
    """A write's key waits for its handler's thread only when its body is declared small
    enough to be checked on the event loop: a bigger one, checked in a thread, is not
    worked on for a bad key, even when it is bigger than it said."""
    parsed = []
    monkeypatch.setattr(validation, "parse_json", lambda raw: parsed.append(raw) or {})
    big = b'{"line_items": [' + b"1," * 40_000 + b'1]}'
    refused = anonymous.post("/api/v1/invoices", content=big, headers={
        "Authorization": "Bearer jk_live_unknown", "Content-Type": "application/json", "Content-Length": "100"})
    assert (refused.status_code, parsed) == (401, [])


class CountingPool:
    """The worker threads' pool, counting the calls sent to it."""

    def __init__(self, pool):
        self.pool, self.sent = pool, 0

    def submit(self, *args, **kwargs):
        self.sent += 1
        return self.pool.submit(*args, **kwargs)


def test_a_read_makes_one_hop_on_postgresql_and_none_on_sqlite(client, services, create, monkeypatch):
    create()
    assert last_use_recorded(services), "else the read below records it, on a hop of its own"
    pool = CountingPool(threads._pool)
    monkeypatch.setattr(threads, "_pool", pool)
    assert client.get("/api/v1/invoices/ACME-0001").status_code == 200
    assert pool.sent == (1 if ON_POSTGRES else 0)


def test_a_revoked_key_is_refused_on_the_next_request(app, services):
    account_id = services.accounts.ensure("revoker@example.com", now())
    key, record = services.accounts.create_key(account_id, "temp", now())
    with TestClient(app, headers={"Authorization": f"Bearer {key}"}) as client:
        assert client.get("/api/v1/invoices").status_code == 200
        services.accounts.revoke_key(account_id, record["id"], now())
        assert client.get("/api/v1/invoices").status_code == 401


def test_keys_are_stored_only_as_hashes(app, services, auth):
    key = auth["Authorization"].split()[1]
    stored = dump(services.db)
    assert key not in stored
    assert key[:14] in stored, "the display prefix is kept"


def last_use_recorded(services) -> bool:
    """Whether the sender's key has its last use recorded, waiting a moment for it: it is
    written off the request's path."""
    account = services.accounts.ensure("sender@example.com", now())
    deadline = time.monotonic() + 5
    while services.accounts.list_keys(account)[0]["last_used_at"] is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return services.accounts.list_keys(account)[0]["last_used_at"] is not None


def test_last_used_is_recorded(client, services):
    client.get("/api/v1/invoices")
    assert last_use_recorded(services)


def test_another_accounts_invoices_and_customers_are_404(app, client, create, other_auth):
    invoice = create()
    with TestClient(app, headers=other_auth, raise_server_exceptions=False) as other:
        assert other.get("/api/v1/invoices/ACME-0001").status_code == 404
        assert other.patch("/api/v1/invoices/ACME-0001", json={"po_number": "x"}).status_code == 404
        assert other.post("/api/v1/invoices/ACME-0001/void").status_code == 404
        assert other.get(f"/api/v1/customers/{invoice['customer_id']}").status_code == 404
        assert other.get("/api/v1/invoices").json()["data"] == []
        assert other.get("/api/v1/customers").json()["data"] == []
        # Their own numbering starts afresh.
        response = other.post("/api/v1/invoices", json={
            "due_date": "2026-06-01", "recipient": {"company": "Acme Corp"},
            "line_items": [{"description": "x", "quantity": 1, "unit_price_cents": 1}]})
        assert response.json()["id"] == "ACME-0001"
    assert client.get("/api/v1/invoices/ACME-0001").json()["po_number"] is None
