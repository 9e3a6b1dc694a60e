"""Helpers for the sender's pages, driven in-process like a browser would."""

import re

import pytest
from argon2 import PasswordHasher

from app import passwords

PASSWORD = "correct horse battery staple"


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)


def post_form(client, path: str, data: dict, *, from_page: str | None = None):
    """Post a form the way a browser does: with the CSRF token of the page it is on."""
    token = csrf_of(client.get(from_page or path))
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def sign_up(client, email: str = "sender@studio.test", password: str = PASSWORD, **fields):
    return post_form(client, "/signup", {"email": email, "password": password, **fields})


def sign_in(client, email: str = "sender@studio.test", password: str = PASSWORD, next_path: str = ""):
    return post_form(client, "/signin", {"email": email, "password": password, "next": next_path})


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
def fast_hashing(monkeypatch):
    """Cheap Argon2 parameters, for tests that sign in many times."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._decoy.cache_clear()
    yield
    passwords._decoy.cache_clear()
