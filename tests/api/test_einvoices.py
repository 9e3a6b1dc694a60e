"""E-invoices through the API, as a sender in the EU would make them: a seller
profile, per-line VAT, then UBL, CII and Factur-X that the official CEN EN 16931
rules accept, with the JSON's amounts; the recipient downloads the same files."""

import io

import pytest
from facturx import get_xml_from_pdf
from lxml import etree

SELLER = {
    "legal_name": "Lumen Studio GmbH", "display_name": "Lumen Studio", "tax_id": "DE123456789",
    "company_id": "HRB 123456",
    "address": {"line1": "Torstraße 12", "city": "Berlin", "postal_code": "10119", "country": "DE"},
    "payment": {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "account_name": "Lumen Studio GmbH"},
}
BUYER = {"company": "Acme SARL", "email": "ap@acme.example", "tax_id": "FR12345678901",
         "address": {"line1": "12 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"}}


@pytest.fixture
def seller(client):
    response = client.patch("/api/v1/account", json=SELLER)
    assert response.status_code == 200, response.text


def _invoice(client, **changes):
    body = {"currency": "EUR", "due_date": "2026-12-31", "recipient": BUYER,
            "tax": {"name": "MwSt", "rate": 19, "category": "S"},
            "line_items": [{"description": "Design", "quantity": 10, "unit_price_cents": 9500},
                           {"description": "Books", "quantity": 2, "unit_price_cents": 2499,
                            "tax": {"name": "MwSt", "rate": 7, "category": "S"}}],
            "discount": {"type": "flat", "value_cents": 1000}, **changes}
    response = client.post("/api/v1/invoices", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _amount(xml: bytes, name: str) -> str:
    found = etree.fromstring(xml).xpath(f"//*[local-name()='{name}']")
    return found[0].text


def test_several_rates_with_a_flat_discount_export_as_valid_ubl_and_cii(client, seller, fatal):
    invoice = _invoice(client)
    assert client.get(f"/api/v1/invoices/{invoice['id']}/compliance").json() == {"exportable": True, "problems": []}
    assert [group["rate"] for group in invoice["tax_breakdown"]] == [19, 7]
    ubl = client.get(f"/api/v1/invoices/{invoice['id']}/ubl")
    cii = client.get(f"/api/v1/invoices/{invoice['id']}/cii")
    assert ubl.headers["content-type"].startswith("application/xml")
    assert fatal(ubl.content) == [] and fatal(cii.content) == []
    total = f"{invoice['total_cents'] / 100:.2f}"
    assert _amount(ubl.content, "TaxInclusiveAmount") == total
    assert _amount(cii.content, "GrandTotalAmount") == total


def test_reverse_charge_to_an_eu_buyer(client, seller, fatal):
    reverse = {"name": "VAT", "rate": 0, "category": "AE", "exemption_reason": "Reverse charge"}
    invoice = _invoice(client, tax=reverse, discount=None,
                       line_items=[{"description": "Consulting", "quantity": 3, "unit_price_cents": 120000}])
    assert invoice["tax_cents"] == 0
    assert fatal(client.get(f"/api/v1/invoices/{invoice['id']}/ubl").content) == []
    assert fatal(client.get(f"/api/v1/invoices/{invoice['id']}/cii").content) == []


def test_the_pdf_is_factur_x_carrying_the_cii(client, anonymous, seller, fatal):
    invoice = _invoice(client)
    for pdf in (client.get(f"/api/v1/invoices/{invoice['id']}/pdf").content,
                anonymous.get(f"/api/v1/share/{invoice['share_token']}/pdf").content):
        name, xml = get_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
        assert name == "factur-x.xml" and fatal(xml) == []


def test_the_recipient_downloads_the_same_documents(client, anonymous, seller):
    invoice = _invoice(client)
    for kind in ("ubl", "cii"):
        mine = client.get(f"/api/v1/invoices/{invoice['id']}/{kind}").content
        theirs = anonymous.get(f"/api/v1/share/{invoice['share_token']}/{kind}").content
        assert mine == theirs


def test_a_credit_note_exports_as_a_valid_creditnote(client, seller, fatal):
    invoice = _invoice(client)
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    note = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", json={
        "reason": "One day billed twice", "line_items": [{"description": "Design", "quantity": 1,
                                                           "unit_price_cents": 9500}]}).json()
    ubl = client.get(f"/api/v1/credit-notes/{note['id']}/ubl")
    assert ubl.status_code == 200 and b"CreditNote" in ubl.content
    assert fatal(ubl.content) == [] and fatal(client.get(f"/api/v1/credit-notes/{note['id']}/cii").content) == []
    after = client.get(f"/api/v1/invoices/{invoice['id']}").json()
    assert after["amount_credited_cents"] == note["total_cents"]
    assert after["amount_due_cents"] == invoice["total_cents"] - note["total_cents"]
    assert client.get(f"/api/v1/credit-notes/{note['id']}/pdf").content.startswith(b"%PDF")


def test_a_three_decimal_currency_is_not_exportable_and_says_why(client, seller):
    invoice = _invoice(client, currency="KWD")
    report = client.get(f"/api/v1/invoices/{invoice['id']}/compliance").json()
    assert report["exportable"] is False and any(p["field"] == "currency" for p in report["problems"])


def test_the_share_page_shows_the_seller_each_rate_and_the_e_invoice_links(client, anonymous, seller):
    invoice = _invoice(client)
    page = anonymous.get(f"/i/{invoice['share_token']}").text
    assert "Lumen Studio GmbH" in page and "Torstraße 12" in page and "DE123456789" in page
    assert page.count("data-tax-group") == 2
    assert f"/api/v1/share/{invoice['share_token']}/ubl" in page and "data-cii" in page
    shown = anonymous.get(f"/api/v1/share/{invoice['share_token']}").json()
    assert shown["exportable"] is True and shown["sender"]["legal_name"] == "Lumen Studio GmbH"


def test_no_e_invoice_links_while_the_invoice_is_not_exportable(anonymous, create):
    invoice = create()
    page = anonymous.get(f"/i/{invoice['share_token']}").text
    assert "data-ubl" not in page and "Download PDF" in page
