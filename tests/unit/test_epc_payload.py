"""The EPC (SEPA) payment QR code: exactly what it says, and that a reader gets it back."""

from io import BytesIO

import pytest
import zxingcpp
from PIL import Image

from documents import epc

IBAN = "DE89370400440532013000"
SHARED = {"number": "ACME-0001", "currency": "EUR", "amount_due_cents": 297500,
          "pay_to": {"account_name": "Lumen Studio GmbH", "iban": IBAN, "bic": "COBADEFFXXX"}}


def test_the_payload_follows_epc069_12_line_by_line():
    assert epc.epc_payload("Lumen Studio GmbH", IBAN, "COBADEFFXXX", 1234, "EUR", "ACME-0001") == (
        "BCD\n002\n1\nSCT\nCOBADEFFXXX\nLumen Studio GmbH\nDE89370400440532013000\nEUR12.34\n\n\nACME-0001"
    )


def test_the_bic_may_be_left_out_and_long_names_and_texts_are_cut_to_the_limits():
    payload = epc.epc_payload("A" * 90, IBAN, None, 5, "EUR", "R" * 200)
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "", "A" * 70, IBAN, "EUR0.05", "", "", "R" * 140]
    assert epc.epc_payload("Jörg Müller", IBAN, "cobadeff", 99_999_999_999, "EUR", "X-1").split("\n")[4:8] == [
        "COBADEFF", "Jörg Müller", IBAN, "EUR999999999.99"]


@pytest.mark.parametrize(("changes", "reason"), [
    ({"currency": "USD"}, "euros"), ({"amount_cents": 0}, "0.01"), ({"amount_cents": 10**11}, "999"),
    ({"iban": "DE89370400440532013001"}, "IBAN"), ({"bic": "COBA"}, "BIC"), ({"name": "  "}, "name"),
])
def test_what_a_code_cannot_say_is_refused(changes, reason):
    arguments = {"name": "Lumen", "iban": IBAN, "bic": None, "amount_cents": 100, "currency": "EUR",
                 "reference": "ACME-0001", **changes}
    with pytest.raises(ValueError, match=reason):
        epc.epc_payload(**arguments)


def test_a_shared_invoice_pays_what_is_left_due():
    assert epc.payload_for(SHARED).split("\n")[7] == "EUR2975.00"
    assert epc.payload_for({**SHARED, "amount_due_cents": 100}).split("\n")[7] == "EUR1.00"


@pytest.mark.parametrize("changes", [
    {"pay_to": None}, {"currency": "USD"}, {"amount_due_cents": 0},
    {"pay_to": {"account_name": None, "iban": IBAN, "bic": None}},
    {"pay_to": {"account_name": "Lumen", "iban": "DE00", "bic": None}},
])
def test_no_code_without_euros_an_iban_a_name_or_something_due(changes):
    invoice = {**SHARED, **changes}
    assert epc.payload_for(invoice) is None and epc.svg_data_uri(invoice) is None and epc.png(invoice) is None


def _decoded(png: bytes):
    found = zxingcpp.read_barcodes(Image.open(BytesIO(png)).convert("L"))
    assert len(found) == 1
    return found[0]


def test_the_code_reads_back_as_the_payload_at_level_m():
    code = _decoded(epc.png(SHARED))
    assert code.text == epc.payload_for(SHARED) and code.ec_level == "M"
    accented = {**SHARED, "pay_to": {**SHARED["pay_to"], "account_name": "Jörg Müller Design"}}
    assert _decoded(epc.png(accented)).text.split("\n")[5] == "Jörg Müller Design"


def test_the_share_page_gets_an_svg_data_uri():
    uri = epc.svg_data_uri(SHARED)
    assert uri.startswith("data:image/svg+xml;base64,")
