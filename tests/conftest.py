"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL with
JUPITER_TEST_BACKEND=postgresql), an app over it, keys."""

import copy
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.backends import fresh_db
from tests.mail import receiving
from workflow.clock import utc_now as now

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
def db_url(tmp_path):
    """A fresh, empty database on the backend under test."""
    return fresh_db(tmp_path)


@pytest.fixture
def app(db_url):
    app = create_app(db_url, PUBLIC_URL, check_responses=True)
    yield app
    app.state.services.close()


@pytest.fixture
def services(app):
    return app.state.services


def approve(http, share_path: str):
    """Approve as a recipient does: the version they were shown (`share_path` is /api/v1/share/{token})."""
    return http.post(f"{share_path}/approve", json={"version": http.get(share_path).json()["version"]})


def mint(services, email: str) -> dict:
    account_id = services.accounts.ensure(email, now())
    key, _ = services.accounts.create_key(account_id, "test", now())
    return {"Authorization": f"Bearer {key}"}


def mint_unverified(services, email: str) -> dict:
    """A key of an account signed up on the web whose email address was never verified
    (accounts made like `mint`'s, on the command line, are verified)."""
    account_id = services.security.sign_up(email, "$argon2id$never-checked-here", None, PUBLIC_URL)
    key, _ = services.accounts.create_key(account_id, "test", now())
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def auth(services):
    return mint(services, "sender@example.com")


@pytest.fixture
def other_auth(services):
    return mint(services, "someone-else@example.com")


@pytest.fixture
def smtp():
    """(the URL of a real SMTP server on loopback, the inbox of what it accepts)."""
    with receiving() as (controller, inbox):
        yield f"smtp://127.0.0.1:{controller.port}?from=billing@jupiter.test", inbox


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


# The checkout's parent holds shared/ (here and in CI, where the checkout is a fresh clone).
EINVOICE = Path(__file__).resolve().parents[1].parent / "shared" / "einvoice"


@pytest.fixture(scope="session")
def fatal():
    """The fatal assertions of the official rules for a document. saxonche is in the
    test extras: without it this fails, it does not skip."""
    import saxonche  # noqa: F401

    sys.path.insert(0, str(EINVOICE))
    try:
        import validate
    finally:
        sys.path.remove(str(EINVOICE))
    for stylesheet in set(validate.STYLESHEETS.values()):
        validate._executable(stylesheet)  # compile each once for the whole session

    def check(document: bytes) -> list[dict]:
        return [failed for failed in validate.check(document) if failed["flag"] == "fatal"]

    return check
