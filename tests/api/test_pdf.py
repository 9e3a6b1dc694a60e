"""The PDF, read back: the same lines and totals as the JSON, any text printable."""

import io

import pytest
from pypdf import PdfReader

from billing.money import format_amount
from documents import pdf

EURO_INVOICE = {
    "currency": "EUR",
    "due_date": "2026-06-01",
    "recipient": {"company": "Zoë Café — Brüssel", "email": "ap@zoe.example",
                  "address": {"line1": "Rue de l'Église 4", "city": "Bruxelles", "country": "BE"}, "tax_id": "BE0123"},
    "line_items": [
        {"description": "Conseil stratégique — 12,5 h à 150 €", "quantity": 12.5, "unit_price_cents": 15000},
        {"description": "Déplacement", "quantity": 1, "unit_price_cents": 8999},
        {"description": "Avoir (credit)", "quantity": 1, "unit_price_cents": -1000},
    ],
    "discount": {"type": "percent", "value": 10},
    "tax": {"name": "TVA", "rate": 21},
    "po_number": "PO-ë-1",
    "footer_note": "Merci — payable à 30 jours.",
}


def pdf_text(response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_shows_what_the_json_says(client, anonymous, create):
    invoice = create(**EURO_INVOICE)
    share = f"/api/v1/share/{invoice['share_token']}"
    response = anonymous.get(f"{share}/pdf")
    assert response.headers["content-disposition"] == f'attachment; filename="{invoice["id"]}.pdf"'
    text = pdf_text(response)
    seen = anonymous.get(share).json()
    for item in seen["line_items"]:
        assert item["description"] in text
        assert format_amount(item["unit_price_cents"], "EUR") in text
        assert format_amount(item["amount_cents"], "EUR") in text
    assert "12.5" in text
    for label, cents in [("Subtotal", seen["subtotal_cents"]), ("Discount (10%)", -seen["discount_cents"]),
                         ("TVA (21%)", seen["tax_cents"]), ("Total", seen["total_cents"])]:
        assert f"{label} {format_amount(cents, 'EUR')}" in text, label
    assert (seen["subtotal_cents"], seen["total_cents"]) == (195499, 212898)
    for words in ("Zoë Café — Brüssel", "Rue de l'Église 4", "BE0123", "PO-ë-1", "Merci — payable à 30 jours.",
                  invoice["id"], "2026-06-01"):
        assert words in text, words
    assert "sender@example.com" not in text, "the sign-in email is never shown"


def test_the_pdf_follows_changes_and_does_not_count_as_a_view(client, anonymous, create):
    invoice = create()
    share = f"/api/v1/share/{invoice['share_token']}"
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"tax": {"name": "Sales tax", "rate": 8.875}})
    text = pdf_text(anonymous.get(f"{share}/pdf"))
    assert "Sales tax (8.875%) $221.88" in text and "Total $2,721.88" in text
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "draft"


def test_the_pdf_needs_no_system_font(create, anonymous):
    fonts = sorted(path.name for path in pdf.FONTS.iterdir())
    assert fonts == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LICENSE"]
    assert pdf.FONTS.is_relative_to(pdf.Path(pdf.__file__).parent)
    invoice = create(line_items=[{"description": "Ελληνικά, кириллица, emoji-free — ✓", "quantity": 1, "unit_price_cents": 1}])
    assert "кириллица" in pdf_text(anonymous.get(f"/api/v1/share/{invoice['share_token']}/pdf"))


@pytest.mark.parametrize("count", [60])
def test_long_invoices_flow_onto_more_pages(create, anonymous, count):
    lines = [{"description": f"Item {n} " + "detail " * 20, "quantity": 1, "unit_price_cents": 100} for n in range(count)]
    invoice = create(line_items=lines)
    response = anonymous.get(f"/api/v1/share/{invoice['share_token']}/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    assert f"Total {format_amount(count * 100, 'USD')}" in pdf_text(response)
