"""Credit notes: their own gapless CODE-CN-NNNN numbers, never more than the invoice's
total, allowed once an invoice went out; and the compliance check and exports that
say what an invoice lacks before it can be an e-invoice."""

import pytest


@pytest.fixture
def sent(client, create):
    invoice = create()
    assert client.post(f"/api/v1/invoices/{invoice['id']}/send").status_code == 200
    return invoice


def test_a_whole_invoice_credited_and_numbered_per_customer(client, sent):
    response = client.post(f"/api/v1/invoices/{sent['id']}/credit-notes", json={"reason": "Cancelled"})
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["id"] == "ACME-CN-0001" and note["invoice"] == sent["id"]
    assert note["total_cents"] == sent["total_cents"]
    assert response.headers["location"] == "/api/v1/credit-notes/ACME-CN-0001"
    assert client.get("/api/v1/credit-notes/acme-cn-0001").json() == note
    assert client.get("/api/v1/credit-notes").json()["data"] == [note]


def test_credits_never_exceed_the_invoice_total(client, sent):
    line = {"description": "Refund", "quantity": 1, "unit_price_cents": 200000}
    first = client.post(f"/api/v1/invoices/{sent['id']}/credit-notes", json={"reason": "Part", "line_items": [line]})
    assert first.status_code == 201
    second = client.post(f"/api/v1/invoices/{sent['id']}/credit-notes", json={"reason": "More", "line_items": [line]})
    assert second.status_code == 422 and "left to credit" in second.json()["error"]
    rest = {**line, "unit_price_cents": 50000}
    third = client.post(f"/api/v1/invoices/{sent['id']}/credit-notes", json={"reason": "Rest", "line_items": [rest]})
    assert third.json()["id"] == "ACME-CN-0002", "a refusal took no number"


def test_a_draft_cannot_be_credited(client, create):
    draft = create()
    response = client.post(f"/api/v1/invoices/{draft['id']}/credit-notes", json={"reason": "x"})
    assert response.status_code == 409 and "Edit the draft" in response.json()["error"]


def test_another_accounts_credit_notes_are_404(client, sent, app, other_auth):
    client.post(f"/api/v1/invoices/{sent['id']}/credit-notes", json={"reason": "Cancelled"})
    assert client.get("/api/v1/credit-notes/ACME-CN-0001", headers=other_auth).status_code == 404


def test_the_compliance_check_names_rules_and_fields(client, sent):
    report = client.get(f"/api/v1/invoices/{sent['id']}/compliance").json()
    assert report["exportable"] is False
    assert {"rule": "BR-06", "field": "account.legal_name"} in [
        {"rule": p["rule"], "field": p["field"]} for p in report["problems"]]


@pytest.mark.parametrize("suffix", ["ubl", "cii"])
def test_an_export_of_an_incomplete_invoice_is_a_422_listing_what_is_missing(client, sent, suffix):
    response = client.get(f"/api/v1/invoices/{sent['id']}/{suffix}")
    assert response.status_code == 422
    assert "legal_name" in response.json()["error"]


def test_the_plain_pdf_still_works(client, anonymous, sent):
    mine = client.get(f"/api/v1/invoices/{sent['id']}/pdf")
    theirs = anonymous.get(f"/api/v1/share/{sent['share_token']}/pdf")
    assert mine.status_code == theirs.status_code == 200
    assert mine.content.startswith(b"%PDF") and theirs.headers["content-type"] == "application/pdf"
