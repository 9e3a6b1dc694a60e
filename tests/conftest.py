"""Shared fixtures: a fresh database file per test, an app over it, keys."""

import copy

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from handlers._clock import now

PUBLIC_URL = "http://invoices.test"

# The page's own curl example, unchanged.
PAGE_EXAMPLE = {
    "currency": "USD",
    "due_date": "2026-06-01",
    "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
    "line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000}],
}


@pytest.fixture
def invoice_body():
    """A fresh copy of the page's example, to change freely."""
    return copy.deepcopy(PAGE_EXAMPLE)


@pytest.fixture
def app(tmp_path):
    return create_app(str(tmp_path / "jupiter.db"), PUBLIC_URL, check_responses=True)


@pytest.fixture
def store(app):
    return app.state.store


def mint(store, email: str) -> dict:
    account_id = store.accounts.ensure(email, now())
    key, _ = store.accounts.create_key(account_id, "test", now())
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def auth(store):
    return mint(store, "sender@example.com")


@pytest.fixture
def other_auth(store):
    return mint(store, "someone-else@example.com")


@pytest.fixture
def client(app, auth):
    """Signed in as the sender. raise_server_exceptions=False: a 500 must be seen as a 500."""
    with TestClient(app, raise_server_exceptions=False, headers=auth) as test_client:
        yield test_client


@pytest.fixture
def anonymous(app):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def create(client, invoice_body):
    """Create an invoice from the example with some fields changed; return its JSON."""

    def _create(**changes):
        response = client.post("/api/v1/invoices", json={**invoice_body, **changes})
        assert response.status_code == 201, response.text
        return response.json()

    return _create
