"""A new password ends every other session; "Sign out everywhere" ends them all;
the server's `accounts set-password` ends them too."""

import io
import sys

import pytest
from starlette.testclient import TestClient

from app import cli
from tests.web.conftest import EMAIL, PASSWORD, post_form, sign_in
from web import pages, throttle

pytestmark = pytest.mark.usefixtures("fast_hashing")
NEW_PASSWORD = "a brand new passphrase"


def _change(client, current=PASSWORD, new=NEW_PASSWORD):
    return post_form(client, "/account/password", {"current_password": current, "password": new},
                     from_page="/account/security")


@pytest.fixture
def laptop(app, signed_in):
    """A second browser signed in to the same account."""
    with TestClient(app) as other:
        assert sign_in(other).status_code == 303
        yield other


def _signed_in(client) -> bool:
    return client.get("/dashboard", follow_redirects=False).status_code == 200


def test_the_security_page_is_linked_and_for_signed_in_senders(signed_in):
    assert 'href="/account/security"' in signed_in.get("/account").text
    signed_in.cookies.clear()
    assert signed_in.get("/account/security", follow_redirects=False).status_code == 303


def test_a_new_password_ends_every_other_session(signed_in, laptop):
    before = signed_in.cookies[pages.SESSION_COOKIE]
    response = _change(signed_in)
    assert response.status_code == 303 and response.headers["location"] == "/account/security?done=password"
    assert "every other session of the account has ended" in signed_in.get(response.headers["location"]).text
    assert _signed_in(signed_in) and signed_in.cookies[pages.SESSION_COOKIE] != before, "this one, anew"
    assert not _signed_in(laptop)
    assert sign_in(laptop).status_code == 400
    assert sign_in(laptop, password=NEW_PASSWORD).status_code == 303


def test_the_current_password_is_asked(signed_in, laptop):
    wrong = _change(signed_in, current="not the password at all")
    assert wrong.status_code == 400 and "not the current password" in wrong.text
    assert _signed_in(laptop), "nothing changed"
    short = _change(signed_in, new="short")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert sign_in(laptop).status_code == 303


def test_guessing_the_current_password_is_cut_short(signed_in):
    for _ in range(throttle.PASSWORD_CHANGE_PER_ACCOUNT.attempts):
        assert _change(signed_in, current="a wrong guess!").status_code == 400
    refused = _change(signed_in)
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_sign_out_everywhere_ends_every_session_this_one_too(signed_in, laptop):
    response = post_form(signed_in, "/signout/everywhere", {}, from_page="/signout")
    assert response.status_code == 303 and pages.SESSION_COOKIE not in signed_in.cookies
    assert not _signed_in(signed_in) and not _signed_in(laptop)
    assert sign_in(signed_in).status_code == 303, "the password still works"


def test_set_password_on_the_server_ends_every_session(signed_in, laptop, services, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
    cli.main(["accounts", "set-password", "--email", EMAIL, "--db", services.db.url])
    assert not _signed_in(signed_in) and not _signed_in(laptop)
    assert sign_in(laptop, password=NEW_PASSWORD).status_code == 303
    account = services.accounts.get(services.accounts.password_hash(EMAIL)[0])
    assert account["email_verified_at"] is not None, "the operator vouches for the address"
