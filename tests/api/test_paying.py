"""How the recipient pays: what was paid and what is left, and the seller's bank
details with the EPC code on the share page and in the PDF."""

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from documents import epc

IBAN = "DE89370400440532013000"
PAYMENT = {"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX", "account_name": "Lumen Studio GmbH"}


@pytest.fixture
def with_bank_details(services, monkeypatch):
    """The seller's account as it reads once it has payment details (PATCH /api/v1/account)."""
    seen = services.invoices.seen_by_recipient

    def seen_with_payment(record):
        account, customer, thread = seen(record)
        return {**account, "payment": PAYMENT}, customer, thread

    monkeypatch.setattr(services.invoices, "seen_by_recipient", seen_with_payment)


@pytest.fixture
def euro_invoice(client, create):
    invoice = create(currency="EUR")
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    client.post(f"/api/v1/invoices/{invoice['id']}/payments", json={"amount_cents": 50000, "method": "bank_transfer"})
    return invoice


def test_the_share_api_shows_what_is_left_and_where_to_pay_it(anonymous, euro_invoice, with_bank_details):
    shared = anonymous.get(f"/api/v1/share/{euro_invoice['share_token']}").json()
    assert (shared["amount_paid_cents"], shared["amount_credited_cents"], shared["amount_due_cents"]) == (50000, 0, 200000)
    assert shared["pay_to"] == {"account_name": "Lumen Studio GmbH", "iban": IBAN, "bic": "COBADEFFXXX"}


def test_the_share_page_shows_paid_left_the_bank_details_and_a_code_for_what_is_left(anonymous, euro_invoice,
                                                                                      with_bank_details):
    response = anonymous.get(f"/i/{euro_invoice['share_token']}")
    html = response.text
    for text in ("How to pay", "Lumen Studio GmbH", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX",
                 "-€500.00", "€2,000.00 left to pay", "Left to pay"):
        assert text in html, text
    assert "img-src 'self' data:" in response.headers["content-security-policy"]
    uri = re.search(r'<img src="(data:image/svg\+xml;base64,[^"]+)"[^>]*data-epc-qr', html).group(1)
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<script" not in svg


def test_no_bank_details_no_how_to_pay(anonymous, euro_invoice):
    html = anonymous.get(f"/i/{euro_invoice['share_token']}").text
    assert "How to pay" not in html and "data-epc-qr" not in html
    assert "€2,000.00 left to pay" in html


def test_dollars_get_the_bank_details_but_no_epc_code(anonymous, client, create, with_bank_details):
    invoice = create()
    html = anonymous.get(f"/i/{invoice['share_token']}").text
    assert "How to pay" in html and "DE89 3704" in html and "data-epc-qr" not in html


def test_a_paid_invoice_asks_for_nothing_more(anonymous, client, euro_invoice, with_bank_details):
    client.post(f"/api/v1/invoices/{euro_invoice['id']}/mark-paid")
    html = anonymous.get(f"/i/{euro_invoice['share_token']}").text
    assert "How to pay" not in html and "€0.00" in html


def _pdf(anonymous, invoice) -> PdfReader:
    response = anonymous.get(f"/api/v1/share/{invoice['share_token']}/pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def test_the_pdf_shows_the_bank_details_and_an_epc_code_that_reads_back(anonymous, euro_invoice, with_bank_details):
    reader = _pdf(anonymous, euro_invoice)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Paid", "-€500.00", "Left to pay", "€2,000.00", "How to pay", "DE89 3704 0044 0532 0130 00",
                     "COBADEFFXXX", "Lumen Studio GmbH"):
        assert expected in text, expected
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)).convert("L"))
    assert [code.text for code in found] == [
        epc.epc_payload("Lumen Studio GmbH", IBAN, "COBADEFFXXX", 200000, "EUR", euro_invoice["id"])]


def test_the_pdf_without_bank_details_has_no_how_to_pay(anonymous, euro_invoice):
    reader = _pdf(anonymous, euro_invoice)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "How to pay" not in text and "Left to pay" in text
    assert not [image for page in reader.pages for image in page.images]
