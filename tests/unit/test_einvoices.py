"""UBL, CII and Factur-X documents pass the official CEN EN 16931 validation, and
their amounts are the JSON's amounts."""

from io import BytesIO

import pytest
from facturx import get_xml_from_pdf
from fpdf import FPDF
from lxml import etree
from pypdf import PdfReader

from billing.compliance import credit_note_problems, problems
from documents.cii import credit_note_cii, invoice_cii
from documents.facturx import facturx_pdf
from documents.ubl import credit_note_ubl, invoice_ubl
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
from tests.unit.en16931 import NS, READERS, json_amounts


def plain_pdf(title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=title)
    return bytes(pdf.output())


# --- the cases the contract names, and a few more categories -----------------------------

SUPPLY = {"name": "VAT", "rate": 0, "category": "K", "exemption_reason": "Intra-community supply of goods"}
EXPORT = {"name": "VAT", "rate": 0, "category": "G", "exemption_reason": "Export outside the EU"}
EXEMPT = {"name": "VAT", "rate": 0, "category": "E", "exemption_reason": "Exempt under Article 132 of Directive 2006/112/EC"}
OUTSIDE = {"name": "VAT", "rate": 0, "category": "O", "exemption_reason": "Not subject to VAT"}

INVOICES = {
    "single rate": lambda: invoice(),
    "several rates, flat discount": lambda: invoice(
        [line("Design", 1.5, 10001), line("Printing", 3, 333, VAT7), line("Hosting", 1, 4999, EXEMPT),
         line("Goodwill credit", 1, -500)],
        discount={"type": "flat", "value_cents": 1001}),
    "several rates, percent discount": lambda: invoice(
        [line("Design", 2, 33333), line("Books", 7, 1299, VAT7)], discount={"type": "percent", "value": 12.5}),
    "reverse charge to an EU buyer": lambda: invoice(
        [line("Consulting", 10, 15000, REVERSE_CHARGE)], tax=None),
    "zero-decimal currency": lambda: invoice(
        [line("Workshop", 1, 250000), line("Materials", 3, 1234, VAT7)], currency="JPY",
        discount={"type": "flat", "value_cents": 1001}),
    "intra-community supply": lambda: invoice(tax=SUPPLY),
    "export": lambda: invoice(tax=EXPORT, recipient=recipient(
        address={"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701",
                 "country": "US"}, tax_id=None)),
    "outside the scope of VAT": lambda: invoice(tax=OUTSIDE),
    "three-decimal tax rate, partly paid": lambda: invoice(
        tax={"name": "Sales tax", "rate": 8.875}, amount_paid_cents=100000),
}


def one_credit_note():
    original = INVOICES["several rates, flat discount"]()
    credited = [line("Design", 0.5, 10001, VAT19), line("Printing", 1, 333, VAT7)]
    return credit_note(original, credited), original


WRITERS = {"UBL": invoice_ubl, "CII": invoice_cii}
CREDIT_WRITERS = {"UBL": credit_note_ubl, "CII": credit_note_cii}


@pytest.mark.parametrize("case", INVOICES)
def test_every_case_is_exportable(case):
    assert problems(INVOICES[case](), seller()) == []


@pytest.mark.parametrize("syntax", WRITERS)
@pytest.mark.parametrize("case", INVOICES)
def test_invoices_pass_the_official_rules(fatal, case, syntax):
    assert fatal(WRITERS[syntax](INVOICES[case](), seller())) == []


@pytest.mark.parametrize("syntax", CREDIT_WRITERS)
def test_credit_notes_pass_the_official_rules(fatal, syntax):
    note, original = one_credit_note()
    assert credit_note_problems(note, original, seller()) == []
    assert fatal(CREDIT_WRITERS[syntax](note, original, seller())) == []


@pytest.mark.parametrize("case", ["single rate", "several rates, flat discount", "reverse charge to an EU buyer",
                                  "zero-decimal currency"])
def test_the_xml_inside_a_factur_x_pdf_passes_the_official_rules(fatal, case):
    pdf = facturx_pdf(plain_pdf(f"Invoice {case}"), invoice_cii(INVOICES[case](), seller()))
    name, xml = get_xml_from_pdf(BytesIO(pdf), check_xsd=True)
    assert name == "factur-x.xml" and pdf.startswith(b"%PDF-")
    assert fatal(pdf) == [] and fatal(xml) == []


def test_a_credit_note_inside_a_factur_x_pdf_passes_too(fatal):
    note, original = one_credit_note()
    pdf = facturx_pdf(plain_pdf("Credit note"), credit_note_cii(note, original, seller()))
    assert fatal(pdf) == []


def test_the_validation_does_catch_a_wrong_total(fatal):
    # the rules are really running: a tampered total is fatal
    document = invoice_ubl(invoice(), seller()).replace(b"<cbc:PayableAmount currencyID=\"EUR\">2975.00",
                                                        b"<cbc:PayableAmount currencyID=\"EUR\">2975.01")
    assert "BR-CO-16" in [failed["id"] for failed in fatal(document)]


# --- the document's amounts are the JSON's ---------------------------------------------

@pytest.mark.parametrize("syntax", WRITERS)
@pytest.mark.parametrize("case", INVOICES)
def test_invoice_amounts_are_the_jsons(case, syntax):
    data = INVOICES[case]()
    assert READERS[syntax](WRITERS[syntax](data, seller()), data["currency"]) == json_amounts(data)


@pytest.mark.parametrize("syntax", CREDIT_WRITERS)
def test_credit_note_amounts_are_the_jsons(syntax):
    note, original = one_credit_note()
    assert READERS[syntax](CREDIT_WRITERS[syntax](note, original, seller()), "EUR") == json_amounts(note)


def test_jpy_amounts_have_no_decimals_and_eur_two():
    assert b">2500</cbc:PriceAmount>" in invoice_ubl(invoice([line("x", 1, 2500)], currency="JPY"), seller())
    assert b">25.00</cbc:PriceAmount>" in invoice_ubl(invoice([line("x", 1, 2500)]), seller())


# --- what the documents say beyond the amounts ------------------------------------------

def test_ubl_invoice_header():
    root = etree.fromstring(invoice_ubl(invoice(), seller()))
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == "urn:cen.eu:en16931:2017"
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    assert root.findtext("cbc:ID", namespaces=NS) == "ACME-0001"
    assert root.findtext("cbc:DueDate", namespaces=NS) == "2026-05-31"
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "PO-778"
    assert root.findtext("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "DE89370400440532013000"


def test_ubl_credit_note_refers_to_its_invoice():
    note, original = one_credit_note()
    root = etree.fromstring(credit_note_ubl(note, original, seller()))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "ACME-0001"


def test_cii_type_codes_and_guideline():
    note, original = one_credit_note()
    for document, code in ((invoice_cii(original, seller()), "380"), (credit_note_cii(note, original, seller()), "381")):
        root = etree.fromstring(document)
        assert root.findtext("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
                             namespaces=NS) == "urn:cen.eu:en16931:2017"
        assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == code


def test_a_credit_line_is_a_negative_quantity_at_a_positive_price():
    root = etree.fromstring(invoice_ubl(INVOICES["several rates, flat discount"](), seller()))
    credit = root.xpath("cac:InvoiceLine[cbc:ID='4']", namespaces=NS)[0]
    assert credit.findtext("cbc:InvoicedQuantity", namespaces=NS) == "-1"
    assert credit.findtext("cac:Price/cbc:PriceAmount", namespaces=NS) == "5.00"


def test_outside_the_scope_of_vat_carries_no_vat_identifier():
    document = invoice_ubl(INVOICES["outside the scope of VAT"](), seller())
    assert b"DE123456789" not in document and b"FR12345678901" not in document


def test_user_text_is_escaped_in_the_xml():
    document = invoice_ubl(invoice([line("<script>alert(1)</script> & more", 1, 100)]), seller())
    assert b"&lt;script&gt;" in document and b"<script>" not in document


@pytest.mark.parametrize("syntax", CREDIT_WRITERS)
@pytest.mark.parametrize("case", ["several rates, flat discount", "several rates, percent discount",
                                  "reverse charge to an EU buyer", "zero-decimal currency"])
def test_crediting_a_whole_invoice_passes_and_credits_its_total(fatal, case, syntax):
    original = INVOICES[case]()
    note = credit_note(original)
    assert note["total_cents"] == original["total_cents"]
    document = CREDIT_WRITERS[syntax](note, original, seller())
    assert fatal(document) == []
    assert READERS[syntax](document, original["currency"]) == json_amounts(note)


def test_characters_xml_cannot_hold_are_left_out():
    document = invoice_cii(invoice([line("Design\x01 work\x0b", 1, 100)]), seller())
    assert b"<ram:Name>Design work</ram:Name>" in document


def test_a_factur_x_pdf_declares_pdf_a_3_with_an_srgb_output_intent():
    pdf = facturx_pdf(plain_pdf("Invoice"), invoice_cii(invoice(), seller()))
    reader = PdfReader(BytesIO(pdf))
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1 and intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert intents[0].get_object()["/DestOutputProfile"].get_object()["/N"] == 3
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata and b"EN 16931" in metadata
    # a PDF that has its own output intent keeps it
    again = facturx_pdf(pdf, invoice_cii(invoice(), seller()))
    assert len(PdfReader(BytesIO(again)).trailer["/Root"]["/OutputIntents"]) == 1


def test_a_buyer_vat_id_with_no_countrys_prefix_is_left_out():
    data = invoice(recipient=recipient(tax_id="EIN 12-3456789"))
    assert problems(data, seller()) == []
    assert b"EIN" not in invoice_ubl(data, seller()) and b"EIN" not in invoice_cii(data, seller())


def test_an_invoice_json_without_its_breakdown_is_exported_the_same():
    # the breakdown is computed by the one rule when the JSON does not carry it yet
    data = INVOICES["several rates, flat discount"]()
    bare = {name: value for name, value in data.items() if name != "tax_breakdown"}
    assert invoice_ubl(bare, seller()) == invoice_ubl(data, seller())
    assert invoice_cii(bare, seller()) == invoice_cii(data, seller())
