"""A forgotten password is reset by a single-use link emailed to the account's
address; the answer is the same whether or not an account has that address; the
reset ends every session, and wins an address back from a stranger who signed up
with it."""

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from billing.account_security import LIFETIMES, PASSWORD_RESET
from tests.backends import dump
from tests.web.conftest import EMAIL, emailed_link, mint, post_form, sign_in, sign_up, verify_email
from web import throttle
from workflow.clock import utc_now as now

pytestmark = pytest.mark.usefixtures("fast_hashing")
NEW_PASSWORD = "a brand new passphrase"


def _ask(client, email=EMAIL):
    return post_form(client, "/forgot-password", {"email": email})


def _resets(services, email=EMAIL):
    return [m for m in services.outbox.messages() if m["kind"] == PASSWORD_RESET and m["to_address"] == email]


def _choose(client, path, password=NEW_PASSWORD):
    """Post the new password with the link's token (the page's CSRF token is the browser's
    own, the same on every page: a dead link's page has no form to take it from)."""
    return post_form(client, "/reset-password", {"token": path.split("token=")[1], "password": password},
                     from_page="/forgot-password")


@pytest.fixture
def owner(browser, services):
    """A verified account whose owner has forgotten the password (and signed out)."""
    sign_up(browser)
    verify_email(browser, services)
    post_form(browser, "/signout", {}, from_page="/dashboard")
    return browser


def test_the_sign_in_page_leads_to_the_reset(browser):
    assert 'href="/forgot-password"' in browser.get("/signin").text
    assert 'action="/forgot-password"' in browser.get("/forgot-password").text


def test_the_answer_is_the_same_whether_or_not_the_account_exists(owner, services):
    known, unknown = _ask(owner, EMAIL), _ask(owner, "nobody@studio.test")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(EMAIL, "X") == unknown.text.replace("nobody@studio.test", "X")
    assert len(_resets(services)) == 1 and _resets(services, "nobody@studio.test") == []
    (message,) = _resets(services)
    assert message["subject"] == "Reset your JupiterInvoice password" and "within an hour" in message["body"]
    assert dump(services.db).count(emailed_link(services, PASSWORD_RESET).split("token=")[1]) == 1, \
        "only a hash is kept, besides the email waiting to leave"


def test_the_link_sets_a_new_password_ends_every_session_and_signs_this_browser_in(app, owner, services):
    with TestClient(app) as laptop:
        sign_in(laptop)
        _ask(owner)
        path = emailed_link(services, PASSWORD_RESET)
        assert 'name="password"' in owner.get(path).text
        done = _choose(owner, path)
        assert done.status_code == 303 and done.headers["location"] == "/account/security?done=reset"
        assert "Your new password is set" in owner.get(done.headers["location"]).text
        assert laptop.get("/dashboard", follow_redirects=False).status_code == 303, "the other session ended"
    assert owner.get("/dashboard", follow_redirects=False).status_code == 200
    post_form(owner, "/signout", {}, from_page="/dashboard")
    assert sign_in(owner).status_code == 400
    assert sign_in(owner, password=NEW_PASSWORD).status_code == 303


def test_a_link_works_once(owner, services):
    _ask(owner)
    path = emailed_link(services, PASSWORD_RESET)
    assert _choose(owner, path).status_code == 303
    for response in (owner.get(path), _choose(owner, path, "yet another passphrase")):
        assert response.status_code == 410 and "used already" in response.text
    post_form(owner, "/signout", {}, from_page="/dashboard")
    assert sign_in(owner, password=NEW_PASSWORD).status_code == 303


def test_a_link_expires_after_an_hour(owner, services):
    _ask(owner)
    path = emailed_link(services, PASSWORD_RESET)
    services.clock.freeze(now() + LIFETIMES[PASSWORD_RESET] + timedelta(seconds=1))
    for response in (owner.get(path), _choose(owner, path)):
        assert response.status_code == 410 and "expired" in response.text
    services.clock.freeze(None)
    assert sign_in(owner).status_code == 303, "the password is unchanged"


def test_a_newer_link_replaces_older_ones(owner, services):
    _ask(owner)
    older = emailed_link(services, PASSWORD_RESET)
    _ask(owner)
    assert owner.get(older).status_code == 404
    assert _choose(owner, emailed_link(services, PASSWORD_RESET)).status_code == 303


def test_the_new_password_follows_the_sign_up_rules(owner, services):
    _ask(owner)
    path = emailed_link(services, PASSWORD_RESET)
    short = _choose(owner, path, "short")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert _choose(owner, path).status_code == 303, "a refused password does not use up the link"


def test_an_unknown_link_changes_nothing(owner):
    for path in ("/reset-password?token=made-up", "/reset-password"):
        assert owner.get(path).status_code == 404
    assert _choose(owner, "/reset-password?token=made-up").status_code == 404
    assert sign_in(owner).status_code == 303


def test_links_are_limited_per_address_silently_and_per_client(owner, services):
    for _ in range(throttle.RESET_EMAIL_PER_EMAIL.attempts + 1):
        assert _ask(owner).status_code == 200, "the same answer, whatever the count"
    assert len(_resets(services)) == throttle.RESET_EMAIL_PER_EMAIL.attempts, "no more mail to that address"
    for attempt in range(throttle.RESET_EMAIL_PER_ADDRESS.attempts - throttle.RESET_EMAIL_PER_EMAIL.attempts - 1):
        assert _ask(owner, f"guess{attempt}@studio.test").status_code == 200
    refused = _ask(owner, "one-more@studio.test")
    assert refused.status_code == 429 and "Retry-After" in refused.headers and "from your network" in refused.text


def test_an_account_made_on_the_server_without_a_password_gets_no_link(browser, services):
    services.accounts.ensure("ops@studio.test", now())
    assert _ask(browser, "ops@studio.test").status_code == 200
    assert _resets(services, "ops@studio.test") == []


def test_the_owner_wins_back_an_address_a_stranger_signed_up_with(app, services):
    """The stranger's session, keys and webhook endpoints end; the address is verified."""
    with TestClient(app, client=("203.0.113.7", 40000)) as stranger:
        sign_up(stranger)
        _, key = mint(stranger)
        _, test_key = mint(stranger, "sandbox", mode="test")
        bearer = {"Authorization": f"Bearer {key}"}
        hook = stranger.post("/api/v1/webhook-endpoints", headers=bearer,
                             json={"url": "https://93.184.216.34/hooks", "events": ["*"]})
        assert hook.status_code == 201, hook.text
        with TestClient(app) as owner:
            assert sign_up(owner).status_code == 409, "the address is taken"
            assert "Forgot your password?" in sign_up(owner).text
            _ask(owner)
            done = _choose(owner, emailed_link(services, PASSWORD_RESET))
            assert done.headers["location"] == "/account/security?done=claimed"
            page = owner.get(done.headers["location"]).text
            assert "its API keys are revoked" in page and "verified on" in page
        assert stranger.get("/dashboard", follow_redirects=False).status_code == 303, "the stranger is signed out"
        assert stranger.get("/api/v1/invoices", headers=bearer).status_code == 401, "and their key revoked"
        assert stranger.get("/api/v1/invoices", headers={"Authorization": f"Bearer {test_key}"}).status_code == 401, \
            "their test key too"
        assert sign_in(stranger).status_code == 400
    account_id = services.accounts.password_hash(EMAIL)[0]
    assert services.accounts.get(account_id)["email_verified_at"] is not None
    assert not services.webhooks.get(account_id, hook.json()["id"])["enabled"]


def test_a_reset_of_a_verified_account_keeps_its_keys(app, owner, services):
    with TestClient(app) as elsewhere:
        sign_in(elsewhere)
        _, key = mint(elsewhere)
    _ask(owner)
    assert _choose(owner, emailed_link(services, PASSWORD_RESET)).headers["location"].endswith("done=reset")
    assert owner.get("/api/v1/invoices", headers={"Authorization": f"Bearer {key}"}).status_code == 200
