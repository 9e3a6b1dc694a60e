"""Sending delivers: the invoice is emailed to its recipient, with its PDF,
through the outbox and the configured SMTP server; the sender's comments and
reminders too. Real SMTP (aiosmtpd) on a loopback port."""

import socket
from email import message_from_bytes, policy

import pytest
from starlette.testclient import TestClient

from tests.api.test_notifications import app_with_smtp, wait_for
from tests.conftest import PAGE_EXAMPLE, mint
from tests.mail import Inbox, receiving

SELLER = {"display_name": "Studio Nord", "contact_email": "billing@nord.example"}


class Refusing(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"


@pytest.fixture
def mailing(db_url, smtp):
    """(an HTTP client signed in as the sender, the app, the inbox) with SMTP configured."""
    url, inbox = smtp
    app = app_with_smtp(db_url, url)
    with TestClient(app, headers=mint(app.state.services, "me@example.com")) as http:
        http.patch("/api/v1/account", json=SELLER)
        yield http, app, inbox
    app.state.mailer.stop()
    app.state.services.close()


def _parsed(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def _delivered(app, count=1):
    wait_for(lambda: sum(1 for m in app.state.services.outbox.messages() if m["sent_at"]) >= count)


def test_send_emails_the_invoice_with_its_pdf_to_the_recipient_and_the_cc(mailing):
    http, app, inbox = mailing
    http.post("/api/v1/customers", json={"company": "Acme Corp", "cc_emails": ["books@acme.com", "AP@acme.com"]})
    invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    assert invoice["delivery"] is None and invoice["overdue"] is not None
    sent = http.post(f"/api/v1/invoices/{invoice['id']}/send", json={"message": "Thanks for the project!"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "sent"
    assert sent.json()["delivery"] == {"channel": "email", "to": ["ap@acme.com"], "cc": ["books@acme.com"],
                                       "status": "queued"}
    _delivered(app)
    assert http.get(f"/api/v1/invoices/{invoice['id']}").json()["delivery"]["status"] == "sent"

    (envelope,) = inbox.messages
    assert envelope.mail_from == "billing@jupiter.test"
    assert sorted(envelope.rcpt_tos) == ["ap@acme.com", "books@acme.com"]
    email = _parsed(envelope)
    assert email["Subject"] == "Invoice ACME-0001 from Studio Nord"
    assert (email["To"], email["Cc"], email["Reply-To"]) == ("ap@acme.com", "books@acme.com", "billing@nord.example")
    text = email.get_body(("plain",)).get_content()
    for words in ("$2,500.00", "2026-06-01", "Thanks for the project!", invoice["share_url"]):
        assert words in text, words
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "ACME-0001.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert "me@example.com" not in envelope.content.decode(errors="replace"), "never the sign-in email"


def test_to_replaces_the_default_addresses_and_the_body_stays_optional(mailing):
    http, app, inbox = mailing
    first = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    second = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    replaced = http.post(f"/api/v1/invoices/{first['id']}/send", json={"to": ["jane@acme.com", "JANE@acme.com"]})
    assert replaced.json()["delivery"]["to"] == ["jane@acme.com"] and replaced.json()["delivery"]["cc"] == []
    assert http.post(f"/api/v1/invoices/{second['id']}/send").status_code == 200, "no body at all"
    _delivered(app, 2)
    assert sorted(tuple(envelope.rcpt_tos) for envelope in inbox.messages) == [("ap@acme.com",), ("jane@acme.com",)]


def test_without_any_address_it_is_only_marked_sent(mailing):
    http, app, inbox = mailing
    invoice = http.post("/api/v1/invoices", json={**PAGE_EXAMPLE, "recipient": {"company": "Initech"}}).json()
    sent = http.post(f"/api/v1/invoices/{invoice['id']}/send").json()
    assert (sent["status"], sent["delivery"]) == ("sent", {"channel": "none"})
    assert http.get(f"/api/v1/invoices/{invoice['id']}").json()["delivery"] == {"channel": "none"}
    assert app.state.services.outbox.messages() == []


def test_no_header_can_be_smuggled_in(mailing):
    http, app, inbox = mailing
    http.patch("/api/v1/account", json={"display_name": "Studio\r\nBcc: victim@example.com"})
    bad = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    refused = http.post(f"/api/v1/invoices/{bad['id']}/send", json={"to": ["x@acme.com\r\nBcc: victim@example.com"]})
    assert (refused.status_code, refused.json()["field"]) == (422, "to[0]")
    assert http.get(f"/api/v1/invoices/{bad['id']}").json()["status"] == "draft", "nothing was sent"
    http.post(f"/api/v1/invoices/{bad['id']}/send")
    _delivered(app)
    (envelope,) = inbox.messages
    email = _parsed(envelope)
    assert email["Subject"] == "Invoice ACME-0001 from Studio Bcc: victim@example.com"
    assert email["Bcc"] is None and envelope.rcpt_tos == ["ap@acme.com"]


def test_a_mail_server_refusing_the_address_shows_as_failed(db_url):
    with receiving(Refusing()) as (controller, _):
        app = app_with_smtp(db_url, f"smtp://127.0.0.1:{controller.port}")
        try:
            with TestClient(app, headers=mint(app.state.services, "me@example.com")) as http:
                invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
                http.post(f"/api/v1/invoices/{invoice['id']}/send")
                wait_for(lambda: app.state.services.outbox.messages()[0]["attempts"] == 1)
                assert http.get(f"/api/v1/invoices/{invoice['id']}").json()["delivery"]["status"] == "failed"
        finally:
            app.state.mailer.stop()


def test_the_mail_server_being_down_loses_nothing(db_url, smtp):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    down = app_with_smtp(db_url, f"smtp://127.0.0.1:{dead_port}")
    try:
        with TestClient(down, headers=mint(down.state.services, "me@example.com")) as http:
            invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
            sent = http.post(f"/api/v1/invoices/{invoice['id']}/send")
            assert sent.status_code == 200 and sent.json()["delivery"]["status"] == "queued"
            wait_for(lambda: down.state.services.outbox.messages()[0]["attempts"] == 1)
            assert http.get(f"/api/v1/invoices/{invoice['id']}").json()["delivery"]["status"] == "queued"
    finally:
        down.state.mailer.stop()
    url, inbox = smtp
    revived = app_with_smtp(db_url, url)
    (message,) = revived.state.services.outbox.messages()
    revived.state.services.clock.freeze(down.state.services.clock.now().replace(year=2030))
    with TestClient(revived):
        wait_for(lambda: revived.state.services.outbox.messages()[0]["sent_at"])
    revived.state.mailer.stop()
    (envelope,) = inbox.messages
    (attachment,) = list(_parsed(envelope).iter_attachments())
    assert attachment.get_content().startswith(b"%PDF")


def test_the_senders_comment_emails_the_recipient(mailing):
    http, app, inbox = mailing
    invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    commented = http.post(f"/api/v1/invoices/{invoice['id']}/comments", json={"body": "Line 2 is\nfixed."})
    assert commented.status_code == 201
    _delivered(app)
    (envelope,) = inbox.messages
    email = _parsed(envelope)
    assert envelope.rcpt_tos == ["ap@acme.com"]
    assert email["Subject"] == "New comment on invoice ACME-0001 from Studio Nord"
    assert email["Reply-To"] == "billing@nord.example"
    text = email.get_content().replace("\r\n", "\n")
    assert "    Line 2 is\n    fixed." in text and invoice["share_url"] in text


def test_remind_emails_a_reminder_now(mailing):
    http, app, inbox = mailing
    invoice = http.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()
    number = invoice["id"]
    assert http.post(f"/api/v1/invoices/{number}/remind").status_code == 409, "a draft is not reminded"
    http.post(f"/api/v1/invoices/{number}/send")
    reminded = http.post(f"/api/v1/invoices/{number}/remind", json={"message": "Friendly nudge."})
    assert reminded.status_code == 200, reminded.text
    assert reminded.json() | {"created_at": None} == {"invoice": number, "channel": "email", "to": ["ap@acme.com"],
                                                      "cc": [], "status": "queued", "created_at": None}
    _delivered(app, 2)
    email = _parsed(inbox.messages[-1])
    assert email["Subject"].startswith(f"Overdue: invoice {number} from Studio Nord was due on 2026-06-01") \
        or email["Subject"].startswith(f"Reminder: invoice {number} from Studio Nord")
    assert "Friendly nudge." in email.get_body(("plain",)).get_content()
    assert [a.get_content_type() for a in email.iter_attachments()] == ["application/pdf"]


def test_remind_refuses_settled_invoices_and_invoices_without_an_address(client, create):
    for action in ("void", "mark-paid"):
        number = create()["id"]
        client.post(f"/api/v1/invoices/{number}/send")
        client.post(f"/api/v1/invoices/{number}/{action}")
        refused = client.post(f"/api/v1/invoices/{number}/remind")
        assert refused.status_code == 409 and "only sent, viewed" in refused.json()["error"]
    nobody = create(recipient={"company": "Initech"})["id"]
    client.post(f"/api/v1/invoices/{nobody}/send")
    refused = client.post(f"/api/v1/invoices/{nobody}/remind")
    assert (refused.status_code, refused.json()["field"]) == (422, "to")
    assert client.post(f"/api/v1/invoices/{nobody}/remind", json={"to": ["ap@initech.example"]}).status_code == 200
