"""An invoice as a UBL 2.1 Invoice, a credit note as a UBL 2.1 CreditNote, both to
EN 16931 (CustomizationID urn:cen.eu:en16931:2017). Elements follow the order the
UBL schema requires; the official examples in shared/einvoice show it filled in."""

from lxml import etree

from billing.parties import writable
from documents import einvoice
from documents.einvoice import Document, Group, Party, amount, decimal

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    einvoice.INVOICE: ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"),
    einvoice.CREDIT_NOTE: ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"),
}


def invoice_ubl(invoice: dict, seller: dict) -> bytes:
    """`invoice` (the API's JSON) sold by `seller` (the account profile) as UBL."""
    return _xml(einvoice.of_invoice(invoice, seller))


def credit_note_ubl(credit_note: dict, invoice: dict, seller: dict) -> bytes:
    """`credit_note` (the API's JSON) for `invoice` as a UBL CreditNote (type 381)."""
    return _xml(einvoice.of_credit_note(credit_note, invoice, seller))


def _add(parent, prefix: str, name: str, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{CBC if prefix == 'cbc' else CAC}}}{name}", attributes)
    if text is not None:
        element.text = writable(text)
    return element


def _money(parent, name: str, cents: int, currency: str):
    return _add(parent, "cbc", name, amount(cents, currency), currencyID=currency)


def _xml(doc: Document) -> bytes:
    namespace, name = ROOTS[doc.type_code]
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace, "cac": CAC, "cbc": CBC})
    credit = doc.type_code == einvoice.CREDIT_NOTE
    _add(root, "cbc", "CustomizationID", einvoice.CUSTOMIZATION_ID)
    _add(root, "cbc", "ID", doc.number)
    _add(root, "cbc", "IssueDate", doc.issue_date)
    if doc.due_date and not credit:
        _add(root, "cbc", "DueDate", doc.due_date)
    _add(root, "cbc", "CreditNoteTypeCode" if credit else "InvoiceTypeCode", doc.type_code)
    for note in doc.notes:
        _add(root, "cbc", "Note", note)
    _add(root, "cbc", "DocumentCurrencyCode", doc.currency)
    if doc.order_reference:
        _add(_add(root, "cac", "OrderReference"), "cbc", "ID", doc.order_reference)
    if doc.preceding:
        reference = _add(_add(root, "cac", "BillingReference"), "cac", "InvoiceDocumentReference")
        _add(reference, "cbc", "ID", doc.preceding[0])
        _add(reference, "cbc", "IssueDate", doc.preceding[1])
    _party(_add(root, "cac", "AccountingSupplierParty"), doc.seller)
    _party(_add(root, "cac", "AccountingCustomerParty"), doc.buyer)
    if doc.delivery_date:
        delivery = _add(root, "cac", "Delivery")
        _add(delivery, "cbc", "ActualDeliveryDate", doc.delivery_date)
        _address(_add(_add(delivery, "cac", "DeliveryLocation"), "cac", "Address"), doc.buyer.address)
    _payment(root, doc)
    for group in doc.groups:
        if group.discount:
            _discount(root, group, doc.currency)
    _taxes(root, doc)
    _totals(root, doc)
    for line in doc.lines:
        _line(root, line, doc.currency, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _address(parent, address: dict) -> None:
    for key, name in (("line1", "StreetName"), ("line2", "AdditionalStreetName"), ("city", "CityName"),
                      ("postal_code", "PostalZone"), ("state", "CountrySubentity")):
        if address[key]:
            _add(parent, "cbc", name, address[key])
    if address["line3"]:
        _add(_add(parent, "cac", "AddressLine"), "cbc", "Line", address["line3"])
    _add(_add(parent, "cac", "Country"), "cbc", "IdentificationCode", address["country"])


def _tax_scheme(parent, identifier: str, scheme: str) -> None:
    tax_scheme = _add(parent, "cac", "PartyTaxScheme")
    _add(tax_scheme, "cbc", "CompanyID", identifier)
    _add(_add(tax_scheme, "cac", "TaxScheme"), "cbc", "ID", scheme)


def _party(parent, who: Party) -> None:
    party = _add(parent, "cac", "Party")
    if who.email:
        _add(party, "cbc", "EndpointID", who.email, schemeID="EM")
    if who.trading_name:
        _add(_add(party, "cac", "PartyName"), "cbc", "Name", who.trading_name)
    _address(_add(party, "cac", "PostalAddress"), who.address)
    if who.vat_id:
        _tax_scheme(party, who.vat_id, "VAT")
    if who.tax_number:
        _tax_scheme(party, who.tax_number, "FC")
    legal = _add(party, "cac", "PartyLegalEntity")
    _add(legal, "cbc", "RegistrationName", who.name)
    if who.company_id:
        _add(legal, "cbc", "CompanyID", who.company_id)
    if who.contact or who.email:
        contact = _add(party, "cac", "Contact")
        if who.contact:
            _add(contact, "cbc", "Name", who.contact)
        if who.email:
            _add(contact, "cbc", "ElectronicMail", who.email)


def _payment(root, doc: Document) -> None:
    iban = (doc.payment.get("iban") or "").replace(" ", "")
    if iban:
        means = _add(root, "cac", "PaymentMeans")
        # 58 is a SEPA credit transfer, 30 any other credit transfer
        _add(means, "cbc", "PaymentMeansCode", "58" if doc.currency == "EUR" else "30")
        _add(means, "cbc", "PaymentID", doc.number)
        account = _add(means, "cac", "PayeeFinancialAccount")
        _add(account, "cbc", "ID", iban)
        if doc.payment.get("account_name"):
            _add(account, "cbc", "Name", doc.payment["account_name"])
        if doc.payment.get("bic"):
            _add(_add(account, "cac", "FinancialInstitutionBranch"), "cbc", "ID", doc.payment["bic"])
    if doc.preceding and doc.payable > 0:
        # An amount due needs a due date or payment terms (BR-CO-25); a credit note has no due date.
        _add(_add(root, "cac", "PaymentTerms"), "cbc", "Note",
             f"Credited against invoice {doc.preceding[0]}.")


def _category(parent, name: str, group_or_line, *, reason: bool = False) -> None:
    category = _add(parent, "cac", name)
    _add(category, "cbc", "ID", group_or_line.category)
    if group_or_line.category != "O":  # outside the scope of VAT has no rate at all (BR-O-05)
        _add(category, "cbc", "Percent", decimal(group_or_line.rate))
    if reason and isinstance(group_or_line, Group):
        if group_or_line.reason_code:
            _add(category, "cbc", "TaxExemptionReasonCode", group_or_line.reason_code)
        if group_or_line.reason:
            _add(category, "cbc", "TaxExemptionReason", group_or_line.reason)
    _add(_add(category, "cac", "TaxScheme"), "cbc", "ID", "VAT")


def _discount(root, group: Group, currency: str) -> None:
    allowance = _add(root, "cac", "AllowanceCharge")
    _add(allowance, "cbc", "ChargeIndicator", "false")
    _add(allowance, "cbc", "AllowanceChargeReasonCode", "95")  # UNCL 5189: discount
    _add(allowance, "cbc", "AllowanceChargeReason", "Discount")
    _money(allowance, "Amount", group.discount, currency)
    _category(allowance, "TaxCategory", group)


def _taxes(root, doc: Document) -> None:
    total = _add(root, "cac", "TaxTotal")
    _money(total, "TaxAmount", doc.tax, doc.currency)
    for group in doc.groups:
        subtotal = _add(total, "cac", "TaxSubtotal")
        _money(subtotal, "TaxableAmount", group.taxable, doc.currency)
        _money(subtotal, "TaxAmount", group.tax, doc.currency)
        _category(subtotal, "TaxCategory", group, reason=True)


def _totals(root, doc: Document) -> None:
    totals = _add(root, "cac", "LegalMonetaryTotal")
    _money(totals, "LineExtensionAmount", doc.line_total, doc.currency)
    _money(totals, "TaxExclusiveAmount", doc.tax_exclusive, doc.currency)
    _money(totals, "TaxInclusiveAmount", doc.total, doc.currency)
    if doc.discount:
        _money(totals, "AllowanceTotalAmount", doc.discount, doc.currency)
    if doc.paid:
        _money(totals, "PrepaidAmount", doc.paid, doc.currency)
    _money(totals, "PayableAmount", doc.payable, doc.currency)


def _line(root, line, currency: str, credit: bool) -> None:
    element = _add(root, "cac", "CreditNoteLine" if credit else "InvoiceLine")
    _add(element, "cbc", "ID", line.number)
    _add(element, "cbc", "CreditedQuantity" if credit else "InvoicedQuantity", decimal(line.quantity),
         unitCode=einvoice.UNIT)
    _money(element, "LineExtensionAmount", line.net, currency)
    item = _add(element, "cac", "Item")
    _add(item, "cbc", "Name", line.name)
    _category(item, "ClassifiedTaxCategory", line)
    _money(_add(element, "cac", "Price"), "PriceAmount", line.price, currency)
