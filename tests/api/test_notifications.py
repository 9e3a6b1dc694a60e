"""The sender learns of every recipient edit and comment: an email with the diff,
through SMTP when configured, and always recorded in the outbox."""

import socket
import subprocess
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL, approve, mint
from tests.live import BIN
from tests.mail import receiving, wait_for
from workflow.clock import utc_now as now


def test_recipient_edits_comments_and_decisions_are_recorded_for_the_sender(anonymous, client, create, services):
    invoice = create()
    share = f"/api/v1/share/{invoice['share_token']}"
    anonymous.get(share)  # a view is not worth an email
    anonymous.patch(share, json={"po_number": "PO-7781"})
    anonymous.post(f"{share}/comments", json={"body": "Paying Friday.", "author_name": "Jane"})
    approve(anonymous, share)
    client.post(f"/api/v1/invoices/{invoice['id']}/comments", json={"body": "Thanks"})  # the sender's own
    messages = [m for m in services.outbox.messages() if m["kind"] == "notification"]
    assert [m["subject"] for m in messages] == [
        "ACME-0001: Acme Corp edited the invoice",
        "ACME-0001: Acme Corp commented on the invoice",
        "ACME-0001: Acme Corp approved the invoice",
    ]
    assert {m["to_address"] for m in messages} == {"sender@example.com"}
    assert "po_number: — → PO-7781" in messages[0]["body"]
    assert "Comment from Jane:\n    > Paying Friday." in messages[1]["body"]
    assert "status: viewed → approved" in messages[2]["body"]
    assert all(m["sent_at"] is None for m in messages), "no SMTP server is configured: the outbox is the record"
    (to_recipient,) = [m for m in services.outbox.messages() if m["kind"] != "notification"]
    assert (to_recipient["kind"], to_recipient["to_address"]) == ("comment", "ap@acme.com"), "it goes to the recipient"


def test_a_refused_action_notifies_nobody(anonymous, client, create, services):
    invoice = create()
    client.post(f"/api/v1/invoices/{invoice['id']}/void")
    assert approve(anonymous, f"/api/v1/share/{invoice['share_token']}").status_code == 409
    assert services.outbox.messages() == []


@pytest.fixture
def smtp_server():
    with receiving() as server:
        yield server


def app_with_smtp(db_url, smtp_url):
    return create_app(db_url, PUBLIC_URL, smtp_url=smtp_url)


def test_notifications_are_emailed_through_the_configured_smtp_server(db_url, smtp_server):
    controller, inbox = smtp_server
    app = app_with_smtp(db_url, f"smtp://127.0.0.1:{controller.port}?from=billing@jupiter.test")
    try:
        with TestClient(app) as http:
            invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=mint(app.state.services, "me@example.com")).json()
            http.patch(f"/api/v1/share/{invoice['share_token']}", json={"recipient": {"tax_id": "US-1"}})
        wait_for(lambda: app.state.services.outbox.messages()[0]["sent_at"])
    finally:
        app.state.mailer.stop()
    (envelope,) = inbox.messages
    assert (envelope.mail_from, envelope.rcpt_tos) == ("billing@jupiter.test", ["me@example.com"])
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert email["Subject"] == "ACME-0001: Acme Corp edited the invoice"
    assert "recipient.tax_id: — → US-1" in email.get_content()


def test_smtp_being_down_loses_nothing_and_slows_nothing(db_url, smtp_server):
    with socket.socket() as closed:  # a port with nobody listening
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    app = app_with_smtp(db_url, f"smtp://127.0.0.1:{dead_port}")
    try:
        with TestClient(app) as http:
            invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=mint(app.state.services, "me@example.com")).json()
            started = time.perf_counter()
            assert http.post(f"/api/v1/share/{invoice['share_token']}/comments", json={"body": "hi"}).status_code == 201
            assert time.perf_counter() - started < 1, "sending is off the request path"
        wait_for(lambda: app.state.services.outbox.messages()[0]["attempts"] == 1)
    finally:
        app.state.mailer.stop()
    (message,) = app.state.services.outbox.messages()
    assert message["sent_at"] is None and message["last_error"]
    assert message["next_attempt_at"] > message["created_at"], "it will be retried later"

    # An hour later the server is back (here: the next start, pointed at a working one).
    controller, inbox = smtp_server
    revived = app_with_smtp(db_url, f"smtp://127.0.0.1:{controller.port}")
    revived.state.services.clock.freeze(now() + timedelta(hours=1))
    with TestClient(revived):  # its start delivers what the outbox holds
        wait_for(lambda: revived.state.services.outbox.messages()[0]["sent_at"])
    assert len(inbox.messages) == 1 and revived.state.services.outbox.messages()[0]["attempts"] == 2


def test_a_malformed_smtp_url_is_refused_at_start(db_url):
    with pytest.raises(ValueError, match="SMTP URL"):
        app_with_smtp(db_url, "mail.example.com:25")


def test_serve_refuses_a_malformed_smtp_url_before_starting(tmp_path):
    result = subprocess.run([BIN, "serve", "--db", tmp_path / "x.db", "--smtp-url", "mail.example.com"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--smtp-url" in result.stderr and "SMTP URL" in result.stderr
    assert not (tmp_path / "x.db").exists()
