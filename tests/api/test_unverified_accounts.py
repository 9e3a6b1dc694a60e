"""An account whose email address is not verified may use the API, but emails
nobody: each operation that would is a 403 (documented, and checked against the
spec here) saying how to verify; what emails nobody still works."""

import pytest

from storage import migrations
from storage.engine import open_database
from tests.backends import fresh_db
from tests.conftest import PUBLIC_URL, mint_unverified


@pytest.fixture
def unverified(services):
    return mint_unverified(services, "owner@studio.test")


@pytest.fixture
def invoice(anonymous, unverified, invoice_body):
    def _invoice(**recipient):
        body = {**invoice_body, "recipient": {"company": "Acme Corp", **recipient}}
        return anonymous.post("/api/v1/invoices", json=body, headers=unverified).json()

    return _invoice


def _refused(response):
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["field"] is None
    assert "owner@studio.test, is verified" in body["error"] and f"{PUBLIC_URL}/account/security" in body["error"]


def test_sending_reminding_and_commenting_by_email_are_refused(anonymous, unverified, invoice, services):
    number = invoice(email="ap@acme.com")["id"]
    _refused(anonymous.post(f"/api/v1/invoices/{number}/send", headers=unverified))
    _refused(anonymous.post(f"/api/v1/invoices/{number}/send", json={"to": ["boss@acme.com"]}, headers=unverified))
    _refused(anonymous.post(f"/api/v1/invoices/{number}/comments", json={"body": "Hi"}, headers=unverified))
    assert anonymous.get(f"/api/v1/invoices/{number}/comments", headers=unverified).json()["data"] == []
    assert [m["kind"] for m in services.outbox.messages()] == ["verification"]


def test_what_emails_nobody_still_works(anonymous, unverified, invoice, services):
    number = invoice()["id"]
    assert anonymous.post(f"/api/v1/invoices/{number}/comments", json={"body": "Note"},
                          headers=unverified).status_code == 201
    sent = anonymous.post(f"/api/v1/invoices/{number}/send", headers=unverified)
    assert sent.status_code == 200 and sent.json()["delivery"] == {"channel": "none"}
    anonymous.patch(f"/api/v1/invoices/{number}", json={"recipient": {"email": "ap@acme.com"}}, headers=unverified)
    _refused(anonymous.post(f"/api/v1/invoices/{number}/remind", headers=unverified))
    assert [m["kind"] for m in services.outbox.messages()] == ["verification"]


def test_old_databases_count_their_accounts_as_verified_and_keep_their_mail(tmp_path, monkeypatch):
    names = [step.__name__ for step in migrations.MIGRATIONS]
    before = names.index("m011_account_security")
    db = open_database(fresh_db(tmp_path))
    try:
        monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        migrations.migrate(db)
        with db.write() as tx:
            account = tx.insert("accounts", {"email": "old@studio.test", "created_at": "2025-01-01T00:00:00Z"})
            invoice = tx.insert("invoices", {
                "account_id": account["id"], "customer_id": tx.insert("customers", {
                    "account_id": account["id"], "code": "ACME", "fields": "{}", "created_at": "2025-01-01T00:00:00Z",
                    "updated_at": "2025-01-01T00:00:00Z"})["id"],
                "number": "ACME-0001", "status": "sent", "content": "{}", "subtotal_cents": 0, "discount_cents": 0,
                "tax_cents": 0, "total_cents": 0, "share_token": "t", "version": 1,
                "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"})
            tx.insert("outbox", {"account_id": account["id"], "invoice_id": invoice["id"], "created_at": "2025-01-01",
                                 "to_address": "old@studio.test", "subject": "s", "body": "b",
                                 "next_attempt_at": "2025-01-01"})
        monkeypatch.undo()
        assert migrations.migrate(db) == names[before:]
        with db.read() as tx:
            assert tx.value("SELECT email_verified_at FROM accounts") == "2025-01-01T00:00:00Z"
            assert tx.one("SELECT invoice_id, kind, body FROM outbox") == {
                "invoice_id": invoice["id"], "kind": "notification", "body": "b"}
        with db.write() as tx:  # mail about the account itself has no invoice
            tx.insert("outbox", {"account_id": account["id"], "created_at": "2025-01-02", "kind": "verification",
                                 "to_address": "old@studio.test", "subject": "s", "body": "b",
                                 "next_attempt_at": "2025-01-02"})
        assert migrations.is_current(db)
    finally:
        db.close()
