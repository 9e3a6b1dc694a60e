"""Readers that take the amounts back out of UBL and CII documents, for the
e-invoice tests (the official validation is the `fatal` fixture, in conftest.py)."""

from decimal import Decimal
from functools import partial

from lxml import etree

from billing.money import exponent

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
}


def cents(text: str, currency: str) -> int:
    value = Decimal(text).scaleb(exponent(currency))
    assert value == value.to_integral_value(), f"{text} has more decimals than {currency} has"
    return int(value)


def amount(parent, path: str, currency: str) -> int:
    """The amount at `path` below `parent`, in minor units; 0 where the document has none."""
    found = parent.findtext(path, namespaces=NS)
    return cents(found, currency) if found is not None else 0


def ubl_amounts(document: bytes, currency: str) -> dict:
    root = etree.fromstring(document)
    total = root.find("cac:LegalMonetaryTotal", NS)
    get = partial(amount, currency=currency)
    return {
        "subtotal_cents": get(total, "cbc:LineExtensionAmount"),
        "discount_cents": get(total, "cbc:AllowanceTotalAmount"),
        "tax_cents": get(root, "cac:TaxTotal/cbc:TaxAmount"),
        "total_cents": get(total, "cbc:TaxInclusiveAmount"),
        "due_cents": get(total, "cbc:PayableAmount"),
        "lines": [get(item, "cbc:LineExtensionAmount")
                  for item in root.xpath("cac:InvoiceLine | cac:CreditNoteLine", namespaces=NS)],
        "breakdown": [(sub.findtext("cac:TaxCategory/cbc:ID", namespaces=NS),
                       Decimal(sub.findtext("cac:TaxCategory/cbc:Percent", "0", namespaces=NS)),  # none under O
                       get(sub, "cbc:TaxableAmount"), get(sub, "cbc:TaxAmount"))
                      for sub in root.iterfind("cac:TaxTotal/cac:TaxSubtotal", NS)],
    }


def cii_amounts(document: bytes, currency: str) -> dict:
    root = etree.fromstring(document)
    settlement = root.find("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement", NS)
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    get = partial(amount, currency=currency)
    return {
        "subtotal_cents": get(summation, "ram:LineTotalAmount"),
        "discount_cents": get(summation, "ram:AllowanceTotalAmount"),
        "tax_cents": get(summation, "ram:TaxTotalAmount"),
        "total_cents": get(summation, "ram:GrandTotalAmount"),
        "due_cents": get(summation, "ram:DuePayableAmount"),
        "lines": [get(item, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
                            "ram:LineTotalAmount")
                  for item in root.iterfind("rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem", NS)],
        "breakdown": [(tax.findtext("ram:CategoryCode", namespaces=NS),
                       Decimal(tax.findtext("ram:RateApplicablePercent", "0", namespaces=NS)),
                       get(tax, "ram:BasisAmount"), get(tax, "ram:CalculatedAmount"))
                      for tax in settlement.iterfind("ram:ApplicableTradeTax", NS)],
    }


READERS = {"UBL": ubl_amounts, "CII": cii_amounts}


def json_amounts(document: dict) -> dict:
    return {
        **{name: document[name] for name in ("subtotal_cents", "discount_cents", "tax_cents", "total_cents")},
        "due_cents": document["total_cents"] - document.get("amount_paid_cents", 0),
        "lines": [item["amount_cents"] for item in document["line_items"]],
        "breakdown": [(group["category"], Decimal(str(group["rate"])), group["taxable_cents"], group["tax_cents"])
                      for group in document["tax_breakdown"]],
    }
