"""Helpers for the sender's pages, driven in-process like a browser would."""

import re

import pytest
from argon2 import PasswordHasher

from app import passwords
from billing.account_security import PATHS, VERIFICATION
from tests.conftest import PUBLIC_URL

PASSWORD = "correct horse battery staple"
EMAIL = "sender@studio.test"


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)


def post_form(client, path: str, data: dict, *, from_page: str | None = None):
    """Post a form the way a browser does: with the CSRF token of the page it is on."""
    token = csrf_of(client.get(from_page or path))
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def sign_up(client, email: str = EMAIL, password: str = PASSWORD, **fields):
    return post_form(client, "/signup", {"email": email, "password": password, **fields})


def sign_in(client, email: str = EMAIL, password: str = PASSWORD, next_path: str = ""):
    return post_form(client, "/signin", {"email": email, "password": password, "next": next_path})


def link_in(text: str, kind: str = VERIFICATION) -> str:
    """The path of the link of `kind` (verification, password_reset) in an email's text."""
    return re.search(re.escape(PUBLIC_URL + PATHS[kind]) + r"\?token=\S+", text).group(0)[len(PUBLIC_URL):]


def emailed_link(services, kind: str = VERIFICATION, email: str = EMAIL) -> str:
    """The link in the newest email of `kind` to `email` waiting in the outbox (no SMTP server)."""
    bodies = [m["body"] for m in services.outbox.messages() if m["kind"] == kind and m["to_address"] == email]
    assert bodies, f"no {kind} email to {email}"
    return link_in(bodies[-1], kind)


def verify_email(client, services, email: str = EMAIL) -> None:
    """Open the verification link emailed to `email`, as its owner would."""
    response = client.get(emailed_link(services, VERIFICATION, email))
    assert response.status_code == 200 and "is verified" in response.text, response.text


def mint(client, name: str = "billing script", mode: str = "live"):
    """Mint a key on the Integrations page; (response, the key it shows)."""
    response = post_form(client, "/integrations/keys", {"name": name, "mode": mode}, from_page="/integrations")
    keys = re.findall(rf"jk_{mode}_[A-Za-z0-9_-]{{32,}}", response.text)
    return response, (keys[0] if keys else None)


@pytest.fixture
def browser(anonymous):
    """A client with no API key: only cookies, like a browser."""
    return anonymous


@pytest.fixture
def signed_in(browser):
    assert sign_up(browser).status_code == 303
    return browser


@pytest.fixture
def verified(signed_in, services):
    """Signed up, and the email address verified: the account may email its recipients."""
    verify_email(signed_in, services)
    return signed_in


@pytest.fixture
def fast_hashing(monkeypatch):
    """Cheap Argon2 parameters, for tests that sign in many times."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._decoy.cache_clear()
    yield
    passwords._decoy.cache_clear()
