"""The EPC (SEPA credit transfer) QR code a banking app scans to pay an invoice,
to EPC069-12 version 002: the seller's name, IBAN and BIC, the amount due in euros
and the invoice number as the transfer's text. Shown on the share page (SVG) and in
the PDF (PNG) only for euro invoices with an IBAN and something left to pay."""

import base64
from io import BytesIO

import segno

from billing.payments import is_iban

MAX_CENTS = 99_999_999_999  # EUR 999,999,999.99, the largest amount the code carries
NAME_LENGTH = 70
TEXT_LENGTH = 140
BIC_LENGTHS = (8, 11)


def epc_payload(name: str, iban: str, bic: str | None, amount_cents: int, currency: str, reference: str) -> str:
    """The code's text: service tag, version, UTF-8, SEPA credit transfer, BIC, name,
    IBAN, amount, an empty purpose and structured reference, then the reference as
    the unstructured text (an invoice number is no ISO 11649 creditor reference).
    ValueError when the code cannot say it."""
    name, bic, reference = name.strip(), (bic or "").strip().upper(), reference.strip()
    if currency != "EUR":
        raise ValueError("an EPC code carries euros only")
    if not 1 <= amount_cents <= MAX_CENTS:
        raise ValueError("an EPC code carries from EUR 0.01 to EUR 999,999,999.99")
    if not is_iban(iban):
        raise ValueError("not an IBAN")
    if bic and (len(bic) not in BIC_LENGTHS or not (bic.isascii() and bic.isalnum())):
        raise ValueError("not a BIC")
    if not name:
        raise ValueError("the beneficiary needs a name")
    amount = f"EUR{amount_cents // 100}.{amount_cents % 100:02d}"
    lines = ["BCD", "002", "1", "SCT", bic, name[:NAME_LENGTH], iban, amount, "", "", reference[:TEXT_LENGTH]]
    return "\n".join(lines)


def qr_code(payload: str) -> segno.QRCode:
    """EPC codes are QR codes at error correction level M, in UTF-8."""
    return segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False)


def payload_for(invoice: dict) -> str | None:
    """The EPC text for a shared-invoice view (handlers._views.shared_invoice), or None
    when it has no code: not in euros, no IBAN, nothing due."""
    pay_to = invoice.get("pay_to")
    if not pay_to:
        return None
    try:
        return epc_payload(pay_to.get("account_name") or "", pay_to["iban"], pay_to.get("bic"),
                           invoice["amount_due_cents"], invoice["currency"], invoice["number"])
    except ValueError:
        return None


def svg_data_uri(invoice: dict) -> str | None:
    """The code as an SVG `data:` URI for an <img> on the share page, or None."""
    payload = payload_for(invoice)
    if payload is None:
        return None
    svg = BytesIO()
    qr_code(payload).save(svg, kind="svg", scale=4, xmldecl=False, title="Pay by bank transfer")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode()


def png(invoice: dict) -> bytes | None:
    """The code as a PNG for the PDF, or None."""
    payload = payload_for(invoice)
    if payload is None:
        return None
    image = BytesIO()
    qr_code(payload).save(image, kind="png", scale=6)
    return image.getvalue()
