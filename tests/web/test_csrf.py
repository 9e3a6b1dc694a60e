"""Forms are refused unless they carry the token of a page this site served."""

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, emailed_link, mint, post_form, sign_in, sign_up


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_a_form_without_the_right_token_is_refused_and_does_nothing(signed_in, token):
    data = {"name": "forged"} if token is None else {"name": "forged", "csrf": token}
    response = signed_in.post("/integrations/keys", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert "Reload the page" in response.text
    assert "jk_live_" not in response.text
    assert "forged" not in signed_in.get("/integrations").text


def test_the_token_of_another_session_is_refused(app, signed_in):
    with TestClient(app) as attacker:
        sign_up(attacker, email="attacker@evil.test")
        attackers_token = csrf_of(attacker.get("/integrations"))
    assert signed_in.post("/integrations/keys", data={"name": "x", "csrf": attackers_token}).status_code == 403


def test_revoking_and_signing_out_need_the_token_too(signed_in, services):
    _, key = mint(signed_in)
    (record,) = services.accounts.list_keys(services.accounts.password_hash("sender@studio.test")[0])
    assert signed_in.post(f"/integrations/keys/{record['id']}/revoke", follow_redirects=False).status_code == 403
    assert signed_in.post("/signout", follow_redirects=False).status_code == 403
    assert signed_in.get("/api/v1/invoices", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert signed_in.get("/dashboard", follow_redirects=False).status_code == 200


def test_sign_in_and_sign_up_forms_need_the_token(browser):
    """Else another site could sign a visitor into an account of its choosing."""
    sign_up(browser)
    browser.cookies.clear()
    assert browser.post("/signin", data={"email": "sender@studio.test", "password": PASSWORD}).status_code == 403
    assert browser.post("/signup", data={"email": "new@studio.test", "password": PASSWORD}).status_code == 403


def test_the_api_is_cookie_free_and_needs_no_token(client, browser):
    """The JSON API answers Bearer keys alone: no CSRF token, whatever cookies come along."""
    sign_up(browser)
    client.cookies.update(browser.cookies)
    assert client.post("/api/v1/customers", json={"company": "Acme Corp"}).status_code == 201


@pytest.mark.parametrize(("path", "fields"), [
    ("/account/password", {"current_password": PASSWORD, "password": "a forged new password"}),
    ("/signout/everywhere", {}),
    ("/account/verification", {}),
])
def test_the_security_forms_need_the_token(signed_in, services, path, fields):
    for forged in ({}, {"csrf": "0" * 64}):
        response = signed_in.post(path, data={**fields, **forged}, follow_redirects=False)
        assert response.status_code == 403 and "Reload the page" in response.text
    assert signed_in.get("/dashboard", follow_redirects=False).status_code == 200, "still signed in"
    assert len([m for m in services.outbox.messages() if m["kind"] == "verification"]) == 1, "no link sent"
    post_form(signed_in, "/signout", {}, from_page="/dashboard")
    assert sign_in(signed_in).status_code == 303, "the password is unchanged"


def test_the_password_reset_forms_need_the_token(browser, services):
    sign_up(browser)
    browser.cookies.clear()
    assert browser.post("/forgot-password", data={"email": "sender@studio.test"}).status_code == 403
    assert [m for m in services.outbox.messages() if m["kind"] == "password_reset"] == []
    post_form(browser, "/forgot-password", {"email": "sender@studio.test"})
    browser.cookies.clear()
    token = emailed_link(services, "password_reset").split("token=")[1]
    forged = browser.post("/reset-password", data={"token": token, "password": "a forged new password"})
    assert forged.status_code == 403
    assert sign_in(browser).status_code == 303, "the password is unchanged"
