"""What an invoice lacks to be an EN 16931 e-invoice, by rule and by field."""

import pytest

from billing.compliance import (
    credit_note_problems,
    ensure_exportable,
    exportable,
    problems,
    report,
)
from billing.errors import UnprocessableEntity
from tests.unit.einvoice_data import (
    REVERSE_CHARGE,
    VAT7,
    VAT19,
    credit_note,
    invoice,
    line,
    recipient,
    seller,
)


def found(invoice_, seller_=None):
    return [(p["rule"], p["field"]) for p in problems(invoice_, seller_ or seller())]


def test_a_complete_invoice_is_exportable():
    assert problems(invoice(), seller()) == []
    assert exportable(invoice(), seller())
    assert report(problems(invoice(), seller())) == {"exportable": True, "problems": []}
    assert report(problems(invoice(tax=None), seller()))["exportable"] is False


def test_every_problem_has_a_rule_a_field_and_a_sentence():
    bare = invoice(tax=None, recipient={"company": None, "email": "x@y.z"}, currency="KWD")
    listed = problems(bare, {"email": "me@example.com"})
    assert len(listed) >= 6
    for item in listed:
        assert set(item) == {"rule", "field", "message"}
        assert item["rule"].startswith("BR-") and item["field"]
        assert item["message"][0].isupper() and item["message"].endswith(".")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"legal_name": None}, ("BR-06", "account.legal_name")),
        ({"legal_name": "  "}, ("BR-06", "account.legal_name")),
        ({"address": None}, ("BR-08", "account.address")),
        ({"address": {"line1": "Torstraße 12", "city": "Berlin"}}, ("BR-09", "account.address.country")),
        ({"address": {"line1": "x", "country": "XX"}}, ("BR-CL-14", "account.address.country")),
        ({"tax_id": None, "company_id": None}, ("BR-CO-26", "account.tax_id")),
        ({"tax_id": "XX999"}, ("BR-CO-09", "account.tax_id")),
    ],
)
def test_seller_problems_name_the_account_field(changes, expected):
    assert expected in found(invoice(), seller(**changes))


def test_a_seller_charging_vat_needs_a_tax_id_not_only_a_company_id():
    assert found(invoice(), seller(tax_id=None)) == [("BR-S-02", "account.tax_id")]


def test_a_national_tax_number_stands_in_for_the_vat_id_on_standard_rated_invoices():
    assert found(invoice(), seller(tax_id="201/113/40209")) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"company": None}, ("BR-07", "recipient.company")),
        ({"address": None}, ("BR-10", "recipient.address")),
        ({"address": {"line1": "1 Main St", "city": "Springfield"}}, ("BR-11", "recipient.address.country")),
    ],
)
def test_buyer_problems_name_the_recipient_field(changes, expected):
    assert expected in found(invoice(recipient=recipient(**changes)))


def test_the_billing_entity_is_a_buyer_name():
    assert found(invoice(recipient=recipient(company=None, billing_entity="Acme Holding SA"))) == []


@pytest.mark.parametrize("currency", ["KWD", "BHD", "OMR"])
def test_three_decimal_currencies_cannot_be_exported(currency):
    listed = problems(invoice(currency=currency), seller())
    assert [(p["rule"], p["field"]) for p in listed] == [("BR-DEC-09", "currency")]
    assert "at most 2" in listed[0]["message"]


def test_zero_decimal_currencies_can():
    assert found(invoice(currency="JPY")) == []


def test_no_tax_anywhere_is_one_problem_on_the_invoice_tax():
    assert found(invoice(tax=None)) == [("BR-CO-04", "tax")]


def test_a_line_without_a_tax_beside_taxed_ones_is_named():
    items = [line("a", 1, 100, VAT7), line("b", 1, 100), line("c", 1, 100, VAT7)]
    assert found(invoice(items, tax=None)) == [("BR-CO-04", "line_items[1].tax.category")]


def test_a_missing_exemption_reason_names_the_tax_that_lacks_it():
    exempt = {"rate": 0, "category": "E"}
    assert found(invoice([line("a", 1, 100), line("b", 1, 100, exempt)])) == [
        ("BR-E-10", "line_items[1].tax.exemption_reason")]
    assert found(invoice(tax={"rate": 0, "category": "G"})) == [("BR-G-10", "tax.exemption_reason")]


def test_reverse_charge_needs_both_vat_ids():
    items = [line("Consulting", 10, 15000, REVERSE_CHARGE)]
    assert found(invoice(items)) == []
    assert found(invoice(items, recipient=recipient(tax_id=None))) == [("BR-AE-02", "recipient.tax_id")]
    assert found(invoice(items), seller(tax_id=None)) == [("BR-AE-02", "account.tax_id")]


def test_intra_community_supply_needs_vat_ids_with_a_country_prefix():
    supply = {"rate": 0, "category": "K", "exemption_reason": "Intra-community supply"}
    assert found(invoice(tax=supply)) == []
    assert found(invoice(tax=supply), seller(tax_id="201/113/40209")) == [("BR-IC-02", "account.tax_id")]
    assert found(invoice(tax=supply, recipient=recipient(tax_id="12345"))) == [("BR-IC-02", "recipient.tax_id")]


def test_outside_the_scope_of_vat_stands_alone_and_needs_a_company_id():
    outside = {"rate": 0, "category": "O", "exemption_reason": "Not subject to VAT"}
    assert found(invoice(tax=outside)) == []
    assert found(invoice(tax=outside), seller(company_id=None)) == [("BR-CO-26", "account.company_id")]
    mixed = invoice([line("a", 1, 100), line("b", 1, 100, VAT19)], tax=outside)
    assert found(mixed) == [("BR-O-11", "line_items[1].tax.category")]


def test_a_credit_note_is_checked_with_the_invoices_buyer():
    original = invoice([line("Design", 2, 10000), line("Print", 1, 5000, VAT7)])
    note = credit_note(original)
    assert credit_note_problems(note, original, seller()) == []
    original["recipient"]["address"] = None
    assert [p["rule"] for p in credit_note_problems(note, original, seller())] == ["BR-10"]


def test_an_export_that_cannot_be_is_one_422_listing_everything_missing():
    ensure_exportable([])
    listed = problems(invoice(recipient=recipient(address=None)), seller(legal_name=None))
    with pytest.raises(UnprocessableEntity) as caught:
        ensure_exportable(listed)
    assert caught.value.field == "account.legal_name"
    assert "2 things are fixed" in caught.value.message
    assert "recipient.address (BR-10)" in caught.value.message


def test_a_line_without_a_readable_description_is_named():
    assert found(invoice([line("Design", 1, 100), line("\x01 ", 1, 100)])) == [("BR-25", "line_items[1].description")]
