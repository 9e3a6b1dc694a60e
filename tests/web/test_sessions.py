"""Browser sessions: safe cookies, held server-side, ended by signing out or by age."""

from datetime import timedelta

from starlette.testclient import TestClient

from app.factory import create_app
from tests.backends import dump
from tests.web.conftest import post_form, sign_in, sign_up
from web import pages
from workflow.clock import utc_now as now


def _set_cookie(response, name):
    return next(header for header in response.headers.get_list("set-cookie") if header.startswith(name + "="))


def test_the_session_cookie_is_httponly_samesite_and_not_readable_by_scripts(browser):
    cookie = _set_cookie(sign_up(browser), pages.SESSION_COOKIE).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie, "over plain http a Secure cookie would never come back"


def test_over_https_the_cookies_are_secure(tmp_path):
    app = create_app(str(tmp_path / "j.db"), "https://invoices.example")
    with TestClient(app, base_url="https://invoices.example") as browser:
        form_cookie = _set_cookie(browser.get("/signup"), pages.FORM_COOKIE).lower()
        session_cookie = _set_cookie(sign_up(browser), pages.SESSION_COOKIE).lower()
    assert "secure" in form_cookie and "secure" in session_cookie


def test_only_a_hash_of_the_session_token_is_stored(browser, services):
    sign_up(browser)
    token = browser.cookies[pages.SESSION_COOKIE]
    stored = dump(services.db)
    assert token not in stored
    assert "web_sessions" in stored


def test_signed_out_visits_go_to_sign_in_and_come_back_after(browser):
    sign_up(browser)
    post_form(browser, "/signout", {})
    response = browser.get("/integrations?tab=keys", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fintegrations%3Ftab%3Dkeys"
    assert browser.get("/dashboard", follow_redirects=False).headers["location"] == "/signin?next=%2Fdashboard"
    signed_in = sign_in(browser, next_path="/integrations?tab=keys")
    assert signed_in.headers["location"] == "/integrations?tab=keys"
    assert browser.get("/integrations").status_code == 200


def test_sign_up_from_a_redirect_keeps_the_way_back(browser):
    assert 'href="/signup?next=/dashboard"' in browser.get("/signin?next=/dashboard").text
    assert 'href="/signup"' in browser.get("/signin").text
    token = browser.get("/signup?next=/dashboard")
    assert 'name="next" value="/dashboard"' in token.text
    assert sign_up(browser, next="/dashboard").headers["location"] == "/dashboard"


def test_sign_in_never_sends_the_browser_to_another_site(browser):
    sign_up(browser)
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"):
        assert sign_in(browser, next_path=target).headers["location"] == "/dashboard"


def test_sign_out_ends_the_session_on_the_server(browser):
    sign_up(browser)
    stolen = browser.cookies[pages.SESSION_COOKIE]
    response = post_form(browser, "/signout", {}, from_page="/dashboard")
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert pages.SESSION_COOKIE not in browser.cookies
    # A copy of the cookie kept from before is worth nothing now.
    browser.cookies.set(pages.SESSION_COOKIE, stolen)
    assert browser.get("/dashboard", follow_redirects=False).status_code == 303


def test_sign_out_holds_across_worker_processes(app, browser):
    sign_up(browser)
    cookie = browser.cookies[pages.SESSION_COOKIE]
    # A second app over the same database stands in for a second worker process.
    other_worker = create_app(app.state.services.db.url, "http://invoices.test")
    with TestClient(other_worker, cookies={pages.SESSION_COOKIE: cookie}) as elsewhere:
        assert elsewhere.get("/dashboard", follow_redirects=False).status_code == 200
        post_form(browser, "/signout", {}, from_page="/dashboard")
        assert elsewhere.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_session_expires(browser, services):
    sign_up(browser)
    assert browser.get("/dashboard", follow_redirects=False).status_code == 200
    services.clock.freeze(now() + pages.SESSION_LIFETIME + timedelta(seconds=1))
    assert browser.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_session_cookie_lasts_as_long_as_the_session(browser):
    cookie = _set_cookie(sign_up(browser), pages.SESSION_COOKIE).lower()
    assert f"max-age={int(pages.SESSION_LIFETIME.total_seconds())}" in cookie


def test_signing_in_again_replaces_the_old_session(browser, services):
    sign_up(browser)
    first = browser.cookies[pages.SESSION_COOKIE]
    sign_in(browser)
    assert browser.cookies[pages.SESSION_COOKIE] != first
    assert services.sessions.account(first, now()) is None


def test_a_session_cookie_never_authorises_the_api(browser):
    sign_up(browser)
    assert browser.get("/dashboard").status_code == 200
    response = browser.get("/api/v1/invoices")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert browser.post("/api/v1/customers", json={"company": "Acme"}).status_code == 401


def test_pages_are_not_cacheable_and_not_frameable(browser):
    for path in ("/", "/signin", "/signup"):
        headers = browser.get(path).headers
        assert headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
