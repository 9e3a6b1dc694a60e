"""The Account page edits the seller profile through the same rules as the API."""

from tests.web.conftest import mint, post_form

FORM = {
    "display_name": "Studio Nord", "legal_name": "Studio Nord GmbH", "contact_email": "billing@nord.example",
    "tax_id": "DE123456789", "company_id": "", "address_line1": "Torstrasse 1", "address_city": "Berlin",
    "address_postal_code": "10119", "address_country": "de", "payment_iban": "DE89 3704 0044 0532 0130 00",
    "payment_bic": "", "payment_account_name": "", "default_currency": "EUR", "default_payment_terms_days": "30",
    "before_due_days": "3", "after_due_days": "1, 7, 14",
}


def test_the_account_page_saves_the_profile(signed_in, services):
    response = post_form(signed_in, "/account", FORM)
    assert response.status_code == 303
    page = signed_in.get(response.headers["location"])
    assert "Your account is saved" in page.text and "DE89370400440532013000" in page.text
    account_id = services.accounts.password_hash("sender@studio.test")[0]
    saved = services.accounts.get(account_id)
    assert saved["address"]["country"] == "DE" and saved["legal_name"] == "Studio Nord GmbH"
    assert saved["reminders"] == {"before_due_days": [3], "after_due_days": [1, 7, 14]}


def test_a_bad_iban_is_shown_on_the_form_and_nothing_is_saved(signed_in, services):
    response = post_form(signed_in, "/account", {**FORM, "payment_iban": "DE00 0000"})
    assert response.status_code == 422 and "payment.iban" in response.text
    assert services.accounts.get(services.accounts.password_hash("sender@studio.test")[0])["payment"] is None


def test_the_form_needs_its_csrf_token(signed_in):
    assert signed_in.post("/account", data=FORM).status_code == 403


def test_the_dashboard_shows_overdue_invoices_and_where_they_were_emailed(verified):
    _, key = mint(verified)
    bearer = {"Authorization": f"Bearer {key}"}
    invoice = verified.post("/api/v1/invoices", headers=bearer, json={
        "due_date": "2020-01-01", "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
        "line_items": [{"description": "Work", "quantity": 1, "unit_price_cents": 1000}]}).json()
    verified.post(f"/api/v1/invoices/{invoice['id']}/send", headers=bearer)
    page = verified.get("/dashboard").text
    assert "overdue</span>" in page and "emailed to ap@acme.com (queued)" in page
