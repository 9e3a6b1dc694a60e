"""Sign-in guessing is cut short, per account and per address, in every worker."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.web.conftest import post_form, sign_in, sign_up
from web import throttle
from workflow.clock import utc_now as now

pytestmark = pytest.mark.usefixtures("fast_hashing")
PER_EMAIL = throttle.SIGN_IN_PER_EMAIL.attempts
PER_ADDRESS = throttle.SIGN_IN_PER_ADDRESS.attempts


@pytest.fixture
def account(browser):
    sign_up(browser)
    post_form(browser, "/signout", {}, from_page="/dashboard")
    return browser


def _fail(client, times, email="sender@studio.test"):
    for _ in range(times):
        assert sign_in(client, email=email, password="wrong password!").status_code == 400


def test_after_too_many_failures_even_the_right_password_waits(account):
    _fail(account, PER_EMAIL)
    response = sign_in(account)
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins for this account" in response.text
    assert "15 minutes" in response.text
    assert 'action="/signin"' in response.text, "the message is on the form"


def test_the_limit_lifts_when_the_window_passes(account, services):
    _fail(account, PER_EMAIL)
    services.clock.freeze(now() + throttle.SIGN_IN_PER_EMAIL.window + timedelta(seconds=1))
    assert sign_in(account).status_code == 303


def test_signing_in_forgives_earlier_failures(account):
    _fail(account, PER_EMAIL - 1)
    assert sign_in(account).status_code == 303
    post_form(account, "/signout", {}, from_page="/dashboard")
    _fail(account, PER_EMAIL - 1)
    assert sign_in(account).status_code == 303


def test_one_address_guessing_across_many_accounts_is_stopped(account):
    for attempt in range(PER_ADDRESS):
        _fail(account, 1, email=f"guess{attempt}@studio.test")
    response = sign_in(account)
    assert response.status_code == 429
    assert "from your network" in response.text
    assert int(response.headers["retry-after"]) > 0


def test_the_count_is_shared_by_worker_processes(account, app):
    other_worker = create_app(app.state.services.db.url, "http://invoices.test")
    with TestClient(other_worker) as elsewhere:
        _fail(elsewhere, PER_EMAIL - 1)
        _fail(account, 1)
        assert sign_in(elsewhere).status_code == 429


def test_sign_ups_are_limited_per_address(browser):
    for attempt in range(throttle.SIGN_UP_PER_ADDRESS.attempts):
        assert sign_up(browser, email=f"new{attempt}@studio.test").status_code == 303
    response = sign_up(browser, email="one-more@studio.test")
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_an_attacker_failing_cannot_lock_the_owner_out(app, account):
    """Five wrong passwords from one client lock that client out of the account,
    not the owner signing in from elsewhere with the right password."""
    with TestClient(app, client=("203.0.113.7", 40000)) as attacker:
        _fail(attacker, PER_EMAIL)
        assert sign_in(attacker).status_code == 429
    assert sign_in(account).status_code == 303


def test_concurrent_guesses_are_counted_before_any_is_hashed(services):
    """The count and the check are one unit of work: a burst cannot all slip past it."""
    barrier = threading.Barrier(20)

    def guess(_):
        barrier.wait()
        try:
            throttle.take(services, [(throttle.SIGN_IN_PER_EMAIL_FROM_ADDRESS, "owner@studio.test 198.51.100.1")])
            return True
        except throttle.Throttled:
            return False

    with ThreadPoolExecutor(20) as pool:
        admitted = sum(pool.map(guess, range(20)))
    assert admitted == throttle.SIGN_IN_PER_EMAIL_FROM_ADDRESS.attempts
