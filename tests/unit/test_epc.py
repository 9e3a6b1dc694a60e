"""The EPC (SEPA) payment QR code: when there is one, and what it says."""

from decimal import Decimal

import pytest

from documents.epc import epc_fields, epc_qr_png, epc_qr_svg
from tests.unit.einvoice_data import invoice, seller


def test_a_euro_invoice_with_an_iban_has_a_code_for_the_amount_due():
    data = invoice()  # 2500.00 + 19% VAT
    assert epc_fields(data, seller()) == {
        "name": "Lumen Studio GmbH", "iban": "DE89370400440532013000", "amount": Decimal("2975.00"),
        "text": "ACME-0001", "bic": "COBADEFFXXX",
    }
    assert epc_fields({**data, "amount_due_cents": 1234}, seller())["amount"] == Decimal("12.34")


@pytest.mark.parametrize(
    ("changes", "payment"),
    [
        ({"currency": "USD"}, None),
        ({"amount_due_cents": 0}, None),
        ({"amount_due_cents": 10**11}, None),
        ({}, {"iban": None}),
        ({}, {"iban": "  "}),
    ],
)
def test_no_code_without_euros_an_iban_or_something_due(changes, payment):
    account = seller(payment=payment) if payment else seller()
    assert epc_fields({**invoice(), **changes}, account) is None
    assert epc_qr_svg({**invoice(), **changes}, account) is None


def test_the_name_falls_back_to_the_legal_name_and_fits_the_limit():
    account = seller(payment={"iban": "DE89 3704 0044 0532 0130 00", "bic": None, "account_name": None},
                     legal_name="A" * 90)
    fields = epc_fields(invoice(), account)
    assert fields["name"] == "A" * 70 and fields["iban"] == "DE89370400440532013000" and fields["bic"] is None


def test_the_code_renders_as_svg_and_png():
    svg = epc_qr_svg(invoice(), seller())
    assert svg.startswith("<svg") and "Pay with a banking app" in svg
    assert epc_qr_png(invoice(), seller()).startswith(b"\x89PNG")
