"""The dashboard: the sender's invoices, customers and what recipients did."""

from tests.conftest import PAGE_EXAMPLE
from tests.web.conftest import mint


def _invoice(client, key, **changes):
    response = client.post("/api/v1/invoices", json={**PAGE_EXAMPLE, **changes},
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201
    return response.json()


def _account_id(services):
    return services.accounts.password_hash("sender@studio.test")[0]


def test_invoices_show_status_total_and_their_share_link(signed_in):
    _, key = mint(signed_in)
    first = _invoice(signed_in, key)
    _invoice(signed_in, key, currency="EUR", line_items=[
        {"description": "Hosting", "quantity": 1.5, "unit_price_cents": 1001}])
    page = signed_in.get("/dashboard").text
    assert f'<a href="{first["share_url"]}">ACME-0001</a>' in page
    assert "ACME-0002" in page
    assert "$2,500.00" in page and "€15.02" in page
    assert "draft" in page
    assert "<code>ACME</code>" in page and "Acme Corp" in page


def test_recipient_edits_are_listed_and_sender_edits_are_not(signed_in, services):
    _, key = mint(signed_in)
    invoice = _invoice(signed_in, key)
    services.invoices.update(_account_id(services), "ACME-0001", {"footer_note": "Thanks!"})
    services.invoices.amend(invoice["share_token"], {"po_number": "PO-7781"})
    page = signed_in.get("/dashboard").text
    assert "recipient edited" in page
    assert "<code>po_number</code>: <del>—</del> → <ins>PO-7781</ins>" in page
    assert "footer_note" not in page


def test_recipient_text_is_escaped(signed_in, services):
    _, key = mint(signed_in)
    invoice = _invoice(signed_in, key)
    services.invoices.amend(invoice["share_token"], {"po_number": "<img src=x onerror=alert(1)>"})
    page = signed_in.get("/dashboard").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_another_accounts_invoices_stay_out(signed_in, client):
    client.post("/api/v1/invoices", json=PAGE_EXAMPLE)
    page = signed_in.get("/dashboard").text
    assert "ACME-0001" not in page and "No invoices yet" in page


def test_older_invoices_are_a_page_away(signed_in, monkeypatch):
    from web import dashboard

    monkeypatch.setattr(dashboard, "PER_PAGE", 2)
    _, key = mint(signed_in)
    for company in ("Acme Corp", "Globex", "Initech"):
        _invoice(signed_in, key, recipient={"company": company})
    first = signed_in.get("/dashboard").text
    assert "INITECH-0001" in first and "ACME-0001" not in first
    older = first.split('href="?invoices=')[1].split('"')[0]
    assert "ACME-0001" in signed_in.get(f"/dashboard?invoices={older}").text
    assert signed_in.get("/dashboard?invoices=forged").status_code == 400


def test_the_landing_page_says_what_it_is_and_where_to_go(browser, signed_in):
    page = browser.get("/").text
    assert "invoicing API" in page
    assert 'href="/api/openapi.json"' in page
    assert "Sign in, mint a key, ship your first integration in 10 minutes." in page
    browser.cookies.clear()
    signed_out = browser.get("/").text
    assert 'href="/signin"' in signed_out and 'href="/signup"' in signed_out


def test_the_senders_own_visit_to_the_share_page_is_not_the_recipients_view(signed_in):
    _, key = mint(signed_in)
    invoice = _invoice(signed_in, key)
    assert signed_in.get(f"/i/{invoice['share_token']}").status_code == 200  # with the sender's session
    fetched = signed_in.get(f"/api/v1/invoices/{invoice['id']}", headers={"Authorization": f"Bearer {key}"})
    assert fetched.json()["status"] == "draft"
