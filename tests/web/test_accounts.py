"""Signing up and in: Argon2 hashes, never plaintext; errors shown on the form."""

import io
import sys

import pytest

from app import cli, passwords
from tests.backends import dump
from tests.web.conftest import PASSWORD, post_form, sign_in, sign_up
from workflow.clock import utc_now as now


def test_sign_up_signs_in_and_leads_to_minting_a_key(browser):
    response = sign_up(browser, display_name="Studio Jupiter")
    assert response.status_code == 303 and response.headers["location"] == "/integrations"
    page = browser.get("/integrations")
    assert "Mint a new key" in page.text
    assert "Studio Jupiter" in browser.get("/dashboard").text


def test_passwords_are_argon2id_hashes_never_plaintext(browser, services):
    sign_up(browser)
    stored = dump(services.db)
    assert PASSWORD not in stored
    (_, stored) = services.accounts.password_hash("sender@studio.test")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_sign_in_with_the_right_password_only(browser):
    sign_up(browser)
    post_form(browser, "/signout", {}, from_page="/dashboard")
    wrong = sign_in(browser, password="not the password at all")
    assert wrong.status_code == 400
    assert "do not match" in wrong.text
    assert 'value="sender@studio.test"' in wrong.text, "the email stays filled in"
    assert "not the password at all" not in wrong.text
    assert sign_in(browser, email="Sender@Studio.test").status_code == 303


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(browser):
    response = sign_in(browser, email="nobody@studio.test")
    assert response.status_code == 400 and "do not match" in response.text


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"email": "not-an-email"}, "Enter your email address"),
        ({"password": "short"}, "at least 10 characters"),
        ({"display_name": "x" * 101}, "under 100 characters"),
    ],
)
def test_sign_up_mistakes_show_on_the_form(browser, fields, says):
    response = sign_up(browser, **fields)
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert says in response.text
    assert 'action="/signup"' in response.text


def test_an_email_can_sign_up_once(browser):
    sign_up(browser)
    post_form(browser, "/signout", {}, from_page="/dashboard")
    again = sign_up(browser, email="SENDER@studio.test", password="another password entirely")
    assert again.status_code == 409 and "sign in instead" in again.text
    assert sign_in(browser).status_code == 303, "the first password still works"


def test_an_account_made_by_the_command_line_is_not_claimed_by_signing_up(browser, services):
    """Anyone could type its email; only the server's owner may give it a password."""
    services.accounts.ensure("ops@studio.test", now())
    response = sign_up(browser, email="ops@studio.test")
    assert response.status_code == 409
    assert "jupiter-invoice accounts set-password --email ops@studio.test" in response.text
    assert sign_in(browser, email="ops@studio.test").status_code == 400


def test_set_password_from_the_command_line_lets_that_account_sign_in(browser, services, monkeypatch, capsys):
    account_id = services.accounts.ensure("ops@studio.test", now())
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    cli.main(["accounts", "set-password", "--email", "ops@studio.test", "--db", services.db.url])
    assert "can now sign in" in capsys.readouterr().out
    assert sign_in(browser, email="ops@studio.test").status_code == 303
    assert browser.get("/dashboard").status_code == 200
    assert services.accounts.password_hash("ops@studio.test")[0] == account_id


def test_set_password_refuses_a_short_one(services, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    with pytest.raises(SystemExit, match="at least 10 characters"):
        cli.main(["accounts", "set-password", "--email", "ops@studio.test", "--db", services.db.url])
    assert services.accounts.password_hash("ops@studio.test") is None


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(browser, services):
    from argon2 import PasswordHasher

    account_id = services.accounts.ensure("old@studio.test", now())
    services.accounts.set_password(account_id, PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD))
    assert sign_in(browser, email="old@studio.test").status_code == 303
    assert not passwords.needs_rehash(services.accounts.password_hash("old@studio.test")[1])


def test_sign_out_page_and_the_business_name(signed_in):
    assert "You are signed in as" in signed_in.get("/signout").text
    response = post_form(signed_in, "/account/name", {"display_name": "Studio <Jupiter>"}, from_page="/dashboard")
    assert response.headers["location"] == "/dashboard?saved=name"
    page = signed_in.get("/dashboard?saved=name").text
    assert "Studio &lt;Jupiter&gt;" in page and "Studio <Jupiter>" not in page
