"""The invoice as a PDF, drawn from the same view the share API returns, so its
numbers are the JSON's numbers. Fonts are vendored (documents/fonts): the PDF
core fonts cannot print "—", "€" or "ë", and a fresh machine may have no others."""

from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from billing.labels import address_lines, contact_line, discount_label, format_number, tax_label
from billing.money import format_amount
from documents import epc

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
INK, MUTED, RULE = (29, 36, 51), (92, 102, 122), (227, 231, 239)
# Column widths in millimetres on A4 with 18 mm margins (174 mm of text width).
WIDTHS = (92, 22, 30, 30)
# The totals: a blank, a right-aligned label wide enough for "Sales tax (8.875%)", the amount.
TOTALS = (60, 84, 30)


def _document(title: str) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(title)
    pdf.set_creator("JupiterInvoice")
    pdf.add_page()
    return pdf


def _line(pdf: FPDF, text: str, *, size: float = 10, bold: bool = False, color=INK, height: float = 5) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _parties(pdf: FPDF, invoice: dict) -> None:
    sender, recipient = invoice["sender"], invoice["recipient"]
    billed = [recipient.get("billing_entity"), recipient.get("company"), recipient.get("name"), recipient.get("email")]
    billed += address_lines(recipient.get("address"))
    if recipient.get("tax_id"):
        billed.append(f"Tax ID: {recipient['tax_id']}")
    if ap := contact_line(recipient.get("ap_contact")):
        billed.append(f"Accounts payable: {ap}")
    top = bottom = pdf.get_y()
    for x, heading, lines in ((18, "From", [sender.get("name"), sender["email"]]), (105, "Bill to", billed)):
        pdf.set_xy(x, top)
        pdf.set_font(FAMILY, "B", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(80, 5, heading.upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(87, 5, "\n".join(line for line in lines if line), new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(18, bottom + 4)


def _terms(pdf: FPDF, invoice: dict) -> None:
    terms = [("Issue date", invoice["issue_date"]), ("Due date", invoice["due_date"])]
    if invoice["po_number"]:
        terms.append(("PO number", invoice["po_number"]))
    for label, value in terms:
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(30, 6, label)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _lines(pdf: FPDF, invoice: dict) -> None:
    currency = invoice["currency"]
    pdf.set_draw_color(*RULE)
    pdf.set_text_color(*INK)
    with pdf.table(col_widths=WIDTHS, text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), borders_layout="HORIZONTAL_LINES",
                   line_height=6, padding=(1.5, 1), headings_style=None, first_row_as_headings=False) as table:
        pdf.set_font(FAMILY, "B", 9)
        table.row(["Description", "Qty", "Unit price", "Amount"])
        pdf.set_font(FAMILY, "", 10)
        for item in invoice["line_items"]:
            table.row([
                item["description"],
                format_number(item["quantity"]),
                format_amount(item["unit_price_cents"], currency),
                format_amount(item["amount_cents"], currency),
            ])
    pdf.ln(3)


def _totals(pdf: FPDF, invoice: dict) -> None:
    currency = invoice["currency"]
    rows = [("Subtotal", invoice["subtotal_cents"])]
    if invoice["discount"]:
        rows.append((discount_label(invoice["discount"]), -invoice["discount_cents"]))
    if invoice["tax"]:
        rows.append((tax_label(invoice["tax"]), invoice["tax_cents"]))
    for label, cents in rows:
        _total_row(pdf, label, format_amount(cents, currency), size=10, height=6)
    _total_row(pdf, "Total", format_amount(invoice["total_cents"], currency), size=12, height=8, bold=True)
    _settlement(pdf, invoice)


def _settlement(pdf: FPDF, invoice: dict) -> None:
    """What has been paid or credited, and what is left, once anything has."""
    currency, paid, credited = invoice["currency"], invoice["amount_paid_cents"], invoice["amount_credited_cents"]
    if not paid and not credited:
        return
    if credited:
        _total_row(pdf, "Credited", format_amount(-credited, currency), size=10, height=6)
    if paid:
        _total_row(pdf, "Paid", format_amount(-paid, currency), size=10, height=6)
    _total_row(pdf, "Left to pay", format_amount(invoice["amount_due_cents"], currency), size=12, height=8, bold=True)


def _total_row(pdf: FPDF, label: str, amount: str, *, size: float, height: float, bold: bool = False) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.cell(TOTALS[0], height)
    pdf.cell(TOTALS[1], height, label, align="R")
    pdf.cell(TOTALS[2], height, amount, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


QR_SIZE = 36  # mm: EPC codes scan well from about 2 cm up


def _how_to_pay(pdf: FPDF, invoice: dict) -> None:
    """The seller's bank details and, for euros, the EPC code for what is due; nothing
    when the seller has given no bank account or nothing is left to pay."""
    pay_to = invoice.get("pay_to")
    if not pay_to or invoice["amount_due_cents"] <= 0 or invoice["status"] == "void":
        return
    code = epc.png(invoice)
    if pdf.will_page_break(QR_SIZE + 14):
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()
    _line(pdf, "How to pay", size=11, bold=True, height=6)
    iban = " ".join(pay_to["iban"][i:i + 4] for i in range(0, len(pay_to["iban"]), 4))
    details = [("Amount", format_amount(invoice["amount_due_cents"], invoice["currency"])),
               ("Account name", pay_to.get("account_name")), ("IBAN", iban), ("BIC", pay_to.get("bic")),
               ("Reference", invoice["number"])]
    for label, value in details:
        if value:
            pdf.set_font(FAMILY, "", 10)
            pdf.set_text_color(*MUTED)
            pdf.cell(30, 5.5, label)
            pdf.set_text_color(*INK)
            pdf.multi_cell(100, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if code:
        bottom, left = pdf.get_y(), pdf.w - pdf.r_margin - QR_SIZE
        pdf.image(BytesIO(code), x=left, y=top, w=QR_SIZE, h=QR_SIZE)
        pdf.set_xy(left - 12, top + QR_SIZE)
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(QR_SIZE + 12, 4, "Scan with a banking app to pay", align="C")
        pdf.set_xy(pdf.l_margin, max(bottom, top + QR_SIZE + 4))


def invoice_pdf(invoice: dict) -> bytes:
    """A PDF of a shared-invoice view (handlers._views.shared_invoice)."""
    pdf = _document(f"Invoice {invoice['number']}")
    _line(pdf, f"Invoice {invoice['number']}", size=20, bold=True, height=9)
    status = invoice["status"].replace("_", " ")
    revision = f" · revision {invoice['revision']}" if invoice["revision"] > 1 else ""
    _line(pdf, f"Status: {status}{revision}", size=9, color=MUTED)
    pdf.ln(5)
    _parties(pdf, invoice)
    _terms(pdf, invoice)
    _lines(pdf, invoice)
    _totals(pdf, invoice)
    _how_to_pay(pdf, invoice)
    if invoice["footer_note"]:
        pdf.ln(6)
        _line(pdf, invoice["footer_note"], size=9, color=MUTED)
    return bytes(pdf.output())
