"""An invoice or a credit note as a UN/CEFACT Cross Industry Invoice (CII D16B) to
EN 16931 (guideline urn:cen.eu:en16931:2017): TypeCode 380 for an invoice, 381 for a
credit note. This is also the XML a Factur-X PDF carries (profile EN 16931), so
elements follow the Factur-X schema's order; the official CII example in
shared/einvoice shows it filled in."""

from lxml import etree

from billing.parties import writable
from documents import einvoice
from documents.einvoice import Document, Party, amount, decimal

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


def invoice_cii(invoice: dict, seller: dict) -> bytes:
    """`invoice` (the API's JSON) sold by `seller` (the account profile) as CII."""
    return _xml(einvoice.of_invoice(invoice, seller))


def credit_note_cii(credit_note: dict, invoice: dict, seller: dict) -> bytes:
    """`credit_note` (the API's JSON) for `invoice` as a CII credit note (type 381)."""
    return _xml(einvoice.of_credit_note(credit_note, invoice, seller))


def _add(parent, name: str, text=None, **attributes):
    prefix, local = name.split(":")
    element = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{local}", attributes)
    if text is not None:
        element.text = writable(text)
    return element


def _date(parent, name: str, iso_date: str, kind: str = "udt") -> None:
    _add(_add(parent, name), f"{kind}:DateTimeString", iso_date.replace("-", ""), format="102")


def _xml(doc: Document) -> bytes:
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NAMESPACES)
    _add(_add(_add(root, "rsm:ExchangedDocumentContext"), "ram:GuidelineSpecifiedDocumentContextParameter"),
         "ram:ID", einvoice.CUSTOMIZATION_ID)
    header = _add(root, "rsm:ExchangedDocument")
    _add(header, "ram:ID", doc.number)
    _add(header, "ram:TypeCode", doc.type_code)
    _date(header, "ram:IssueDateTime", doc.issue_date)
    for note in doc.notes:
        _add(_add(header, "ram:IncludedNote"), "ram:Content", note)
    transaction = _add(root, "rsm:SupplyChainTradeTransaction")
    for line in doc.lines:
        _line(transaction, line, doc.currency)
    _agreement(transaction, doc)
    _delivery(transaction, doc)
    _settlement(transaction, doc)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tax(parent, name: str, category: str, rate) -> None:
    tax = _add(parent, name)
    _add(tax, "ram:TypeCode", "VAT")
    _add(tax, "ram:CategoryCode", category)
    if category != "O":  # outside the scope of VAT has no rate at all (BR-O-05)
        _add(tax, "ram:RateApplicablePercent", decimal(rate))


def _line(transaction, line, currency: str) -> None:
    item = _add(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _add(_add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.number)
    _add(_add(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.name)
    price = _add(_add(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
    _add(price, "ram:ChargeAmount", amount(line.price, currency))
    _add(_add(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", decimal(line.quantity),
         unitCode=einvoice.UNIT)
    settlement = _add(item, "ram:SpecifiedLineTradeSettlement")
    _tax(settlement, "ram:ApplicableTradeTax", line.category, line.rate)
    _add(_add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
         amount(line.net, currency))


def _address(parent, address: dict) -> None:
    postal = _add(parent, "ram:PostalTradeAddress")
    for key, name in (("postal_code", "ram:PostcodeCode"), ("line1", "ram:LineOne"), ("line2", "ram:LineTwo"),
                      ("line3", "ram:LineThree"), ("city", "ram:CityName")):
        if address[key]:
            _add(postal, name, address[key])
    _add(postal, "ram:CountryID", address["country"])
    if address["state"]:
        _add(postal, "ram:CountrySubDivisionName", address["state"])


def _party(parent, name: str, who: Party) -> None:
    party = _add(parent, name)
    _add(party, "ram:Name", who.name)
    if who.company_id or who.trading_name:
        legal = _add(party, "ram:SpecifiedLegalOrganization")
        if who.company_id:
            _add(legal, "ram:ID", who.company_id)
        if who.trading_name:
            _add(legal, "ram:TradingBusinessName", who.trading_name)
    if who.contact:
        contact = _add(party, "ram:DefinedTradeContact")
        _add(contact, "ram:PersonName", who.contact)
        if who.email:
            _add(_add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", who.email)
    _address(party, who.address)
    if who.email:
        _add(_add(party, "ram:URIUniversalCommunication"), "ram:URIID", who.email, schemeID="EM")
    if who.vat_id:
        _add(_add(party, "ram:SpecifiedTaxRegistration"), "ram:ID", who.vat_id, schemeID="VA")
    if who.tax_number:
        _add(_add(party, "ram:SpecifiedTaxRegistration"), "ram:ID", who.tax_number, schemeID="FC")


def _agreement(transaction, doc: Document) -> None:
    agreement = _add(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", doc.seller)
    _party(agreement, "ram:BuyerTradeParty", doc.buyer)
    if doc.order_reference:
        _add(_add(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", doc.order_reference)


def _delivery(transaction, doc: Document) -> None:
    delivery = _add(transaction, "ram:ApplicableHeaderTradeDelivery")
    if doc.delivery_date:
        ship_to = _add(delivery, "ram:ShipToTradeParty")
        _add(ship_to, "ram:Name", doc.buyer.name)
        _address(ship_to, doc.buyer.address)
        _date(_add(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", doc.delivery_date)


def _settlement(transaction, doc: Document) -> None:
    settlement = _add(transaction, "ram:ApplicableHeaderTradeSettlement")
    currency = doc.currency
    iban = (doc.payment.get("iban") or "").replace(" ", "")
    if iban:
        _add(settlement, "ram:PaymentReference", doc.number)
    _add(settlement, "ram:InvoiceCurrencyCode", currency)
    if iban:
        means = _add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        # 58 is a SEPA credit transfer, 30 any other credit transfer
        _add(means, "ram:TypeCode", "58" if currency == "EUR" else "30")
        account = _add(means, "ram:PayeePartyCreditorFinancialAccount")
        _add(account, "ram:IBANID", iban)
        if doc.payment.get("account_name"):
            _add(account, "ram:AccountName", doc.payment["account_name"])
        if doc.payment.get("bic"):
            _add(_add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", doc.payment["bic"])
    for group in doc.groups:
        tax = _add(settlement, "ram:ApplicableTradeTax")
        _add(tax, "ram:CalculatedAmount", amount(group.tax, currency))
        _add(tax, "ram:TypeCode", "VAT")
        if group.reason:
            _add(tax, "ram:ExemptionReason", group.reason)
        _add(tax, "ram:BasisAmount", amount(group.taxable, currency))
        _add(tax, "ram:CategoryCode", group.category)
        if group.reason_code:
            _add(tax, "ram:ExemptionReasonCode", group.reason_code)
        if group.category != "O":
            _add(tax, "ram:RateApplicablePercent", decimal(group.rate))
    for group in doc.groups:
        if group.discount:
            allowance = _add(settlement, "ram:SpecifiedTradeAllowanceCharge")
            _add(_add(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
            _add(allowance, "ram:ActualAmount", amount(group.discount, currency))
            _add(allowance, "ram:ReasonCode", "95")  # UNCL 5189: discount
            _add(allowance, "ram:Reason", "Discount")
            _tax(allowance, "ram:CategoryTradeTax", group.category, group.rate)
    terms = _add(settlement, "ram:SpecifiedTradePaymentTerms")
    if doc.preceding:
        # An amount due needs a due date or payment terms (BR-CO-25); a credit note has no due date.
        _add(terms, "ram:Description", f"Credited against invoice {doc.preceding[0]}.")
    if doc.due_date:
        _date(terms, "ram:DueDateDateTime", doc.due_date)
    _summation(settlement, doc)
    if doc.preceding:
        reference = _add(settlement, "ram:InvoiceReferencedDocument")
        _add(reference, "ram:IssuerAssignedID", doc.preceding[0])
        _date(reference, "ram:FormattedIssueDateTime", doc.preceding[1], kind="qdt")


def _summation(settlement, doc: Document) -> None:
    currency = doc.currency
    summation = _add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _add(summation, "ram:LineTotalAmount", amount(doc.line_total, currency))
    if doc.discount:
        _add(summation, "ram:AllowanceTotalAmount", amount(doc.discount, currency))
    _add(summation, "ram:TaxBasisTotalAmount", amount(doc.tax_exclusive, currency))
    _add(summation, "ram:TaxTotalAmount", amount(doc.tax, currency), currencyID=currency)
    _add(summation, "ram:GrandTotalAmount", amount(doc.total, currency))
    if doc.paid:
        _add(summation, "ram:TotalPrepaidAmount", amount(doc.paid, currency))
    _add(summation, "ram:DuePayableAmount", amount(doc.payable, currency))
