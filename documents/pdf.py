"""The invoice as a PDF, drawn from the same view the share API returns, so its
numbers are the JSON's numbers. Fonts are vendored (documents/fonts): the PDF
core fonts cannot print "—", "€" or "ë", and a fresh machine may have no others.
Emoji come from a subset of Symbola; a character no vendored font has is printed
as "�", never dropped silently.

The line items are laid out here rather than by fpdf2's table: its line breaking
measures text character by character, which took 18 seconds for 500 long lines."""

import copy
import functools
import re
import unicodedata
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from billing.labels import address_lines, contact_line, discount_label, format_number, tax_group_label, tax_label
from billing.money import format_amount
from documents import epc

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY, EMOJI = "DejaVu", "Symbola"
FONT_FILES = {FAMILY: {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}, EMOJI: {"": "Symbola-Emoji.ttf"}}
PLACEHOLDER = "\ufffd"
INK, MUTED, RULE = (29, 36, 51), (92, 102, 122), (227, 231, 239)
# Column widths in millimetres on A4 with 18 mm margins (174 mm of text width).
WIDTHS = (92, 22, 30, 30)
ALIGNS = ("L", "R", "R", "R")
# Line items: the height of one line of text, and the padding inside each cell.
LINE, PAD_Y, PAD_X = 6, 1.5, 1
# The totals: a blank, a right-aligned label wide enough for "Sales tax (8.875%)", the amount.
TOTALS = (60, 84, 30)
MM_PER_PT = 25.4 / 72


# ---------------------------------------------------------------- fonts

@functools.cache
def _parsed(file_name: str) -> TTFFont:
    """Reading a font file is most of the cost of a short PDF: each is read once
    per process, and every document gets a copy (see _add_font)."""
    scratch = FPDF()
    scratch.add_font("parsed", "", FONTS / file_name)
    font = scratch.fonts["parsed"]
    assert isinstance(font, TTFFont)
    return font


@functools.cache
def _font_bytes(file_name: str) -> bytes:
    return (FONTS / file_name).read_bytes()


def _add_font(pdf: FPDF, family: str, style: str) -> None:
    """pdf.add_font, from the parsed copy. Embedding subsets a font's tables in place,
    so each document gets its own fontTools font, read lazily from memory."""
    file_name = FONT_FILES[family][style]
    font = copy.copy(_parsed(file_name))
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = ttLib.TTFont(BytesIO(_font_bytes(file_name)), recalcTimestamp=False, lazy=True)
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[font.fontkey] = font


@functools.cache
def _cmap(family: str, style: str = "") -> frozenset:
    return frozenset(_parsed(FONT_FILES[family][style]).cmap)


class _Printable(dict):
    """A str.translate table, filled as characters are met: what a vendored font can
    draw stays; line breaks stay; other control characters become spaces; invisible
    format characters (joiners, variation selectors, soft hyphens) go; anything else
    becomes a visible PLACEHOLDER."""

    def __missing__(self, code: int):
        char = chr(code)
        category = unicodedata.category(char)
        value: int | str | None
        if char == "\n":
            value = code
        elif category == "Cc":
            value = " "
        elif category == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            value = None
        elif code in _cmap(FAMILY) or code in _cmap(EMOJI):
            value = code
        else:
            value = PLACEHOLDER
        self[code] = value
        return value


_PRINTABLE = _Printable()


def _printable(value):
    """The view with every text made printable (see _Printable)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").translate(_PRINTABLE)
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


class _Widths(dict):
    """Advance widths in thousandths of an em, per character, for one style of the
    main font, falling back to the emoji font as the PDF does."""

    def __init__(self, style: str):
        super().__init__()
        self.style = style

    def __missing__(self, char: str) -> float:
        code = ord(char)
        main, emoji = _parsed(FONT_FILES[FAMILY][self.style]), _parsed(FONT_FILES[EMOJI][""])
        width = self[char] = (emoji if code not in main.cmap and code in emoji.cmap else main).cw[code]
        return width


_WIDTHS = {"": _Widths(""), "B": _Widths("B")}


# ---------------------------------------------------------------- text

def _width(text: str, style: str, size: float) -> float:
    """Width in millimetres of text at `size` points."""
    return sum(map(_WIDTHS[style].__getitem__, text)) * size / 1000 * MM_PER_PT


def _wrap(text: str, width: float, style: str, size: float) -> list[str]:
    """Lines of at most `width` mm: broken at spaces, and inside words only when one
    word is wider than the column; every line break in the text is kept."""
    widths = _WIDTHS[style]
    limit = width * 1000 / size / MM_PER_PT  # in thousandths of an em
    space = widths[" "]
    lines = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            word_width = sum(map(widths.__getitem__, word))
            if words and used + space + word_width > limit:
                lines.append(" ".join(words))
                words, used = [], 0.0
            if word_width > limit:
                *pieces, word = _cut(word, limit, widths)
                lines.extend(pieces)
                word_width = sum(map(widths.__getitem__, word))
            used += word_width + (space if words else 0)
            words.append(word)
        lines.append(" ".join(words))
    return lines


def _cut(word: str, limit: float, widths: dict) -> list[str]:
    pieces, start, used = [], 0, 0.0
    for index, char in enumerate(word):
        if used + widths[char] > limit and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += widths[char]
    return [*pieces, word[start:]]


@functools.cache
def _emoji_runs() -> re.Pattern:
    """Splits text into alternating runs: the main font's, then the emoji font's."""
    ranges: list[list[int]] = []
    for code in sorted(_cmap(EMOJI) - _cmap(FAMILY)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("([" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]+)")


def _runs(text: str) -> list[tuple[str, str]]:
    """(family, text) runs: the emoji font only for what the main font lacks."""
    if _cmap(FAMILY).issuperset(map(ord, text)):
        return [(FAMILY, text)]
    parts = _emoji_runs().split(text)
    return [(EMOJI if index % 2 else FAMILY, part) for index, part in enumerate(parts) if part]


def _draw(pdf: FPDF, x: float, y: float, width: float, text: str, align: str, style: str, size: float) -> None:
    """One line of text in a cell of `width` mm whose line box starts at y."""
    if not text:
        return
    if align == "R":
        x += width - PAD_X - _width(text, style, size)
    else:
        x += PAD_X
    baseline = y + 0.5 * LINE + 0.3 * size * MM_PER_PT  # where fpdf2's cells put it
    runs = _runs(text)
    if len(runs) == 1 and runs[0][0] == FAMILY:  # the font _row set
        pdf.text(x, baseline, text)
    else:
        _mixed_text(pdf, x, baseline, runs, style, size)


def _mixed_text(pdf: FPDF, x: float, baseline: float, runs: list, style: str, size: float) -> None:
    """pdf.text for a line whose runs alternate between fonts, as one text object:
    a call per run made a line of 40 emoji cost 40 calls. Ends in the main font, as
    the rest of the page expects. (Uses fpdf2's own text-object steps.)"""
    if not pdf.current_font_is_set_on_page:  # as pdf.text does: the main font, at page level
        pdf._out(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
    fonts = {FAMILY: pdf.fonts[f"{FAMILY.lower()}{style}"], EMOJI: pdf.fonts[EMOJI.lower()]}
    switch = {family: pdf._set_font_for_page(font, size, wrap_in_text_object=False) for family, font in fonts.items()}
    parts = [f"BT {x * pdf.k:.2f} {(pdf.h - baseline) * pdf.k:.2f} Td"]
    for family, run in runs:
        parts += [switch[family], fonts[family].encode_text(run)]
    parts += [switch[FAMILY], "ET"]
    if pdf.fill_color != pdf.text_color:
        parts = ["q", pdf.text_color.serialize().lower(), *parts, "Q"]
    pdf._out(" ".join(parts))


# ---------------------------------------------------------------- sections

def _document(title: str, emoji: bool) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    _add_font(pdf, FAMILY, "")
    _add_font(pdf, FAMILY, "B")
    if emoji:  # only then: embedding a font costs time even when nothing uses it
        _add_font(pdf, EMOJI, "")
        pdf.set_fallback_fonts([EMOJI], exact_match=False)
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
    names = [sender.get("legal_name"), sender.get("name") if sender.get("name") != sender.get("legal_name") else None]
    seller = [*names, *address_lines(sender.get("address"))]
    seller += [f"VAT ID: {sender['tax_id']}" if sender.get("tax_id") else None,
               f"Company number: {sender['company_id']}" if sender.get("company_id") else None, sender["email"]]
    for x, heading, lines in ((18, "From", seller), (105, "Bill to", billed)):
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


def _row(pdf: FPDF, texts: list[str], *, style: str, size: float, rule: bool) -> None:
    """One row of the lines table from pdf.y; a row taller than a page goes on over
    the next ones. `rule` draws the line under it."""
    cells = [_wrap(text, width - 2 * PAD_X, style, size) for text, width in zip(texts, WIDTHS, strict=True)]
    count = max(map(len, cells))
    if pdf.get_y() + min(count * LINE + 2 * PAD_Y, pdf.eph) > pdf.page_break_trigger:
        pdf.add_page()
    y = pdf.get_y() + PAD_Y
    pdf.set_font(FAMILY, style, size)
    for index in range(count):
        if y + LINE > pdf.page_break_trigger:
            pdf.add_page()
            y = pdf.get_y() + PAD_Y
        x = pdf.l_margin
        for lines, width, align in zip(cells, WIDTHS, ALIGNS, strict=True):
            if index < len(lines):
                _draw(pdf, x, y, width, lines[index], align, style, size)
            x += width
        y += LINE
    pdf.set_y(y + PAD_Y)
    if rule:
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + sum(WIDTHS), pdf.get_y())


def _lines(pdf: FPDF, invoice: dict) -> None:
    currency = invoice["currency"]
    pdf.set_draw_color(*RULE)
    pdf.set_text_color(*INK)
    _row(pdf, ["Description", "Qty", "Unit price", "Amount"], style="B", size=9, rule=True)
    items = invoice["line_items"]
    for number, item in enumerate(items, start=1):
        texts = [item["description"], format_number(item["quantity"]),
                 format_amount(item["unit_price_cents"], currency), format_amount(item["amount_cents"], currency)]
        _row(pdf, texts, style="", size=10, rule=number < len(items))
    pdf.ln(3)


def _totals(pdf: FPDF, invoice: dict) -> None:
    currency = invoice["currency"]
    rows = [("Subtotal", invoice["subtotal_cents"])]
    if invoice["discount_cents"]:
        label = discount_label(invoice["discount"]) if invoice.get("discount") else "Discount"
        rows.append((label, -invoice["discount_cents"]))
    groups = invoice.get("tax_breakdown") or []
    if len(groups) > 1 or any(item.get("tax") for item in invoice["line_items"]):
        rows += [(tax_group_label(group), group["tax_cents"]) for group in groups]  # one row per VAT rate
    elif invoice.get("tax"):
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
    pdf.cell(TOTALS[1], height, label.replace("\n", " "), align="R")  # one line: a tax name may hold breaks
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
    """A PDF of a shared-invoice view (handlers._views.shared_invoice); a credit note's
    view says "document": "Credit note" (handlers._views.credit_note_shown)."""
    invoice = _printable(invoice)
    emoji = not _cmap(FAMILY).issuperset(map(ord, "".join(_texts(invoice))))
    title = f"{invoice.get('document', 'Invoice')} {invoice['number']}"
    pdf = _document(title, emoji)
    _line(pdf, title, size=20, bold=True, height=9)
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
