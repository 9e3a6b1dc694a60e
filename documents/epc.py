"""The EPC (SEPA credit transfer) QR code a banking app scans to pay an invoice: the
seller's IBAN, the amount due and the invoice number as the transfer's text. Only
for euro invoices with an IBAN and something left to pay; EPC codes carry euros
alone, at most 999,999,999.99 of them."""

from decimal import Decimal
from io import BytesIO

from segno import helpers

from billing import parties

MAX_CENTS = 99_999_999_999
NAME_LENGTH = 70  # the EPC's limits on the beneficiary's name and the text
TEXT_LENGTH = 140


def epc_fields(invoice: dict, seller: dict) -> dict | None:
    """What the code says, or None when there is no code to show. The amount due is
    `amount_due_cents` when the invoice shows one, else its total."""
    payment = seller.get("payment") or {}
    iban = (payment.get("iban") or "").replace(" ", "").upper()
    due = invoice.get("amount_due_cents", invoice["total_cents"])
    if invoice["currency"] != "EUR" or not iban or not 0 < due <= MAX_CENTS:
        return None
    name = (parties.text(payment.get("account_name")) or parties.text(seller.get("legal_name"))
            or parties.text(seller.get("display_name")) or "")
    return {
        "name": name[:NAME_LENGTH],
        "iban": iban,
        "amount": Decimal(due).scaleb(-2),
        "text": invoice["id"][:TEXT_LENGTH],
        "bic": (payment.get("bic") or "").replace(" ", "").upper() or None,
    }


def _code(invoice: dict, seller: dict):
    fields = epc_fields(invoice, seller)
    return helpers.make_epc_qr(**fields) if fields and fields["name"] else None


def epc_qr_svg(invoice: dict, seller: dict, *, scale: int = 4) -> str | None:
    """The code as an SVG document for a page, or None."""
    code = _code(invoice, seller)
    if code is None:
        return None
    out = BytesIO()
    code.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, title="Pay with a banking app")
    return out.getvalue().decode("utf-8")


def epc_qr_png(invoice: dict, seller: dict, *, scale: int = 6) -> bytes | None:
    """The code as a PNG image for the PDF, or None."""
    code = _code(invoice, seller)
    if code is None:
        return None
    out = BytesIO()
    code.save(out, kind="png", scale=scale)
    return out.getvalue()
