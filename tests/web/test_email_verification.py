"""Signing up emails a link that verifies the address; until it is opened the account
emails nobody, so a stranger who signs up with someone else's address cannot mail
in their name."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from starlette.testclient import TestClient

from app import cli
from app.factory import create_app
from billing.account_security import LIFETIMES, VERIFICATION
from tests.backends import dump
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL
from tests.mail import receiving, wait_for
from tests.web.conftest import EMAIL, emailed_link, link_in, mint, post_form, sign_up, verify_email
from workflow.clock import utc_now as now


def _account(services, email=EMAIL):
    return services.accounts.get(services.accounts.password_hash(email)[0])


def test_sign_up_emails_a_link_to_verify_the_address_and_stores_only_its_hash(signed_in, services):
    (message,) = [m for m in services.outbox.messages() if m["kind"] == VERIFICATION]
    assert message["to_address"] == EMAIL and message["invoice_id"] is None
    assert message["subject"] == "Confirm your email address for JupiterInvoice"
    path = emailed_link(services)
    assert f"{PUBLIC_URL}{path}" in message["body"] and "within 24 hours" in message["body"]
    assert f"{PUBLIC_URL}/forgot-password" in message["body"], "an owner who never signed up learns how to take over"
    token = path.split("token=")[1]
    assert dump(services.db).count(token) == 1, "only its hash is kept, and the email waiting to leave"
    assert _account(services)["email_verified_at"] is None


def test_the_pages_say_the_address_is_not_verified_until_it_is(signed_in, services):
    assert "Verify your email address" in signed_in.get("/dashboard").text
    assert "not verified yet" in signed_in.get("/account/security").text
    verify_email(signed_in, services)
    assert "Verify your email address" not in signed_in.get("/dashboard").text
    assert "verified on" in signed_in.get("/account/security").text


def test_the_link_verifies_once_and_only_once(signed_in, services):
    path = emailed_link(services)
    assert signed_in.head(path).status_code == 200, "a mail scanner's HEAD only looks"
    assert _account(services)["email_verified_at"] is None
    first = signed_in.get(path)
    assert first.status_code == 200 and "Your email address is verified" in first.text
    verified_at = _account(services)["email_verified_at"]
    assert verified_at is not None
    again = signed_in.get(path)
    assert again.status_code == 410 and "used already" in again.text
    assert _account(services)["email_verified_at"] == verified_at


def test_an_expired_link_is_refused(signed_in, services):
    path = emailed_link(services)
    services.clock.freeze(now() + LIFETIMES[VERIFICATION] + timedelta(seconds=1))
    response = signed_in.get(path)
    assert response.status_code == 410 and "expired" in response.text and "Send the link again" in response.text
    assert _account(services)["email_verified_at"] is None


def test_an_unknown_link_verifies_nothing(browser, services):
    sign_up(browser)
    for path in ("/verify-email?token=made-up", "/verify-email", emailed_link(services) + "x"):
        assert browser.get(path).status_code == 404
    assert _account(services)["email_verified_at"] is None


def test_a_new_link_replaces_the_old_one_and_asking_is_rate_limited(signed_in, services):
    first = emailed_link(services)
    sent = post_form(signed_in, "/account/verification", {}, from_page="/dashboard")
    assert sent.headers["location"] == "/account/security?done=verification"
    assert "A new link is on its way" in signed_in.get(sent.headers["location"]).text
    assert emailed_link(services) != first
    assert signed_in.get(first).status_code == 404, "the older link stops working"
    for _ in range(2):
        assert post_form(signed_in, "/account/verification", {}, from_page="/dashboard").status_code == 303
    refused = post_form(signed_in, "/account/verification", {}, from_page="/dashboard")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert len([m for m in services.outbox.messages() if m["kind"] == VERIFICATION]) == 4
    verify_email(signed_in, services)


def test_accounts_made_on_the_command_line_are_verified(services, capsys):
    cli.main(["keys", "create", "--email", "ops@studio.test", "--db", services.db.url])
    assert _account(services, "ops@studio.test")["email_verified_at"] is not None
    assert services.outbox.messages() == [], "the operator vouches for the address: no link to open"


def _invoice(client, bearer, company="Acme Corp", **recipient) -> str:
    body = {**PAGE_EXAMPLE, "due_date": "2020-01-01", "recipient": {"company": company, **recipient}}
    response = client.post("/api/v1/invoices", json=body, headers=bearer)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_strangers_sign_up_cannot_email_anyone_until_the_owner_verifies(db_url):
    """Sending, reminders (by hand and on schedule), comments to recipients and the
    notifications to the sender: nothing reaches the mail server but the link."""
    with receiving() as (controller, inbox):
        app = create_app(db_url, PUBLIC_URL, smtp_url=f"smtp://127.0.0.1:{controller.port}")
        services = app.state.services
        try:
            with TestClient(app) as browser:
                sign_up(browser)  # with the address of someone who never asked for it
                _, key = mint(browser)
                bearer = {"Authorization": f"Bearer {key}"}
                browser.patch("/api/v1/account", json={"reminders": {"after_due_days": [1]}}, headers=bearer)
                emailed = _invoice(browser, bearer, email="ap@acme.com")
                refused = browser.post(f"/api/v1/invoices/{emailed}/send", headers=bearer)
                assert refused.status_code == 403
                assert refused.json() == {"error": (
                    f"Nothing is emailed for this account until its email address, {EMAIL}, is verified. Open the "
                    "link in the email sent to that address when the account was made (a new one can be sent from "
                    f"{PUBLIC_URL}/account/security), then retry."), "field": None}
                assert browser.get(f"/api/v1/invoices/{emailed}", headers=bearer).json()["status"] == "draft"
                assert browser.post(f"/api/v1/invoices/{emailed}/comments", json={"body": "Hi"},
                                    headers=bearer).status_code == 403
                # With no address it is only marked sent, which emails nobody; then an address is added.
                quiet = _invoice(browser, bearer, "Globex Corporation")
                sent = browser.post(f"/api/v1/invoices/{quiet}/send", headers=bearer).json()
                assert sent["delivery"] == {"channel": "none"}
                browser.patch(f"/api/v1/invoices/{quiet}", json={"recipient": {"email": "ap@acme.com"}},
                              headers=bearer)
                assert browser.post(f"/api/v1/invoices/{quiet}/remind", headers=bearer).status_code == 403
                assert app.state.scheduler.run_once() == 0, "scheduled reminders wait too"
                browser.post(f"/api/v1/share/{sent['share_token']}/comments", json={"body": "Paying Friday."})
                wait_for(lambda: len(inbox.messages) == 1)
                app.state.mailer.deliver_due()
                (link,) = inbox.messages
                assert link.rcpt_tos == [EMAIL]
                held = [m for m in services.outbox.messages() if m["kind"] == "notification"]
                assert len(held) == 1 and held[0]["sent_at"] is None, "the sender's notification is held"

                # The owner opens the link: the held notification leaves, and sending works.
                path = link_in(message_from_bytes(link.content, policy=policy.default).get_content())
                assert browser.get(path).status_code == 200
                wait_for(lambda: len(inbox.messages) == 2)
                assert app.state.scheduler.run_once() == 1
                assert browser.post(f"/api/v1/invoices/{emailed}/send", headers=bearer).status_code == 200
                wait_for(lambda: len(inbox.messages) == 4)
                (sent_link,) = [m for m in services.outbox.messages() if m["kind"] == VERIFICATION]
                assert sent_link["sent_at"] and path.split("token=")[1] not in sent_link["body"], \
                    "a link that left is not kept"
        finally:
            app.state.mailer.stop()
            services.close()
    subjects = [message_from_bytes(m.content, policy=policy.default)["Subject"] for m in inbox.messages]
    assert subjects[1] == f"{quiet}: Globex Corporation commented on the invoice"
    assert subjects[2].startswith(f"Overdue: invoice {quiet}") and subjects[3].startswith(f"Invoice {emailed}")
    assert {m.rcpt_tos[0] for m in inbox.messages[2:]} == {"ap@acme.com"}


@pytest.fixture
def unverified_key(signed_in):
    _, key = mint(signed_in)
    return {"Authorization": f"Bearer {key}"}


def test_a_refusal_is_not_kept_for_the_idempotency_key(signed_in, services, unverified_key):
    """Verifying lifts it: the same request, key and all, then runs."""
    number = _invoice(signed_in, unverified_key, email="ap@acme.com")
    again = {**unverified_key, "Idempotency-Key": "send-after-verifying"}
    assert signed_in.post(f"/api/v1/invoices/{number}/send", headers=again).status_code == 403
    verify_email(signed_in, services)
    response = signed_in.post(f"/api/v1/invoices/{number}/send", headers=again)
    assert response.status_code == 200 and "idempotent-replayed" not in response.headers
