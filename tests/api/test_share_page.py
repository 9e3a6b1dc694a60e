"""The share page /i/<token>: the invoice for people, with forms that need no JavaScript."""

import re

import pytest


@pytest.fixture
def page_of(anonymous):
    def _page(invoice, **params):
        response = anonymous.get(f"/i/{invoice['share_token']}", params=params)
        assert response.headers["content-type"].startswith("text/html")
        return response

    return _page


def post(anonymous, invoice, action, data):
    return anonymous.post(f"/i/{invoice['share_token']}/{action}", data=data, follow_redirects=False)


def approval_form(html: str) -> dict:
    """What the page's Approve button sends: the revision and version it shows."""
    form = re.search(r'<form method="post" action="/i/[^"]+/approve">(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


def test_the_page_shows_the_invoice_with_amounts_formatted_for_its_currency(create, page_of):
    invoice = create(
        line_items=[{"description": "Brand identity system", "quantity": 1.5, "unit_price_cents": 250000}],
        discount={"type": "flat", "value_cents": 5000}, tax={"name": "Sales tax", "rate": 8.875},
    )
    response = page_of(invoice)
    assert response.status_code == 200
    html = response.text
    for text in ("ACME-0001", "Acme Corp", "ap@acme.com", "Brand identity system", "1.5",
                 "$2,500.00", "$3,750.00", "Discount", "-$50.00", "Sales tax (8.875%)", "$328.38", "$4,028.38",
                 "Due 2026-06-01", 'data-status="viewed"'):
        assert text in html, text
    assert "sender@example.com" not in html, "the sign-in email is never shown"
    assert response.headers["referrer-policy"] == "no-referrer" and "noindex" in response.headers["x-robots-tag"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_yen_have_no_decimals(create, page_of):
    invoice = create(currency="JPY", line_items=[{"description": "Consulting", "quantity": 2, "unit_price_cents": 125000}])
    assert "¥250,000" in page_of(invoice).text


def test_user_text_is_escaped(create, anonymous, page_of):
    invoice = create(line_items=[{"description": "<script>alert('x')</script>", "quantity": 1, "unit_price_cents": 100}],
                     footer_note="<img src=x onerror=alert(1)>")
    post(anonymous, invoice, "comment", {"author_name": "<b>Eve</b>", "body": "<script>steal()</script>"})
    html = page_of(invoice).text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<script>steal" not in html and "<b>Eve</b>" not in html


def test_an_unknown_token_is_a_404_page(anonymous):
    for response in (anonymous.get("/i/nope"), anonymous.post("/i/nope/approve"), anonymous.get("/i/" + "x" * 10_240)):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "There is no invoice at this link" in response.text


def test_editing_the_po_number_redirects_back_with_a_notice(anonymous, client, create, page_of):
    invoice = create()
    response = post(anonymous, invoice, "amend", {"po_number": "  PO-7781 "})
    assert response.status_code == 303
    assert response.headers["location"] == f"/i/{invoice['share_token']}?done=amend"
    html = page_of(invoice, done="amend").text
    assert "Saved. The sender has been told" in html and "PO-7781" in html
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["po_number"] == "PO-7781"


def test_the_billing_details_form_changes_only_billing_details(anonymous, client, create):
    invoice = create(po_number="PO-1")
    response = post(anonymous, invoice, "amend", {
        "billing_entity": "Acme Holdings BV", "tax_id": "NL123", "ap_contact_name": "", "ap_contact_email": "ap@acme.nl",
        "address_line1": "Keizersgracht 1", "address_line2": "", "address_line3": "", "address_city": "Amsterdam",
        "address_state": "", "address_postal_code": "1015", "address_country": "NL",
    })
    assert response.status_code == 303
    recipient = client.get(f"/api/v1/invoices/{invoice['id']}").json()["recipient"]
    assert recipient["billing_entity"] == "Acme Holdings BV" and recipient["tax_id"] == "NL123"
    assert recipient["ap_contact"] == {"name": None, "email": "ap@acme.nl"}
    assert recipient["address"] == {"line1": "Keizersgracht 1", "line2": None, "line3": None, "city": "Amsterdam",
                                    "state": None, "postal_code": "1015", "country": "NL"}
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["po_number"] == "PO-1", "the other form's field stays"
    assert client.get(f"/api/v1/customers/{invoice['customer_id']}").json()["tax_id"] == "NL123"


def test_a_form_error_is_shown_on_the_page_with_what_was_typed(anonymous, create):
    invoice = create()
    response = post(anonymous, invoice, "amend", {"billing_entity": "Acme BV", "ap_contact_name": "",
                                                  "ap_contact_email": "not-an-email"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert re.search(r'class="error"[^>]*>recipient\.ap_contact\.email must be an email address', response.text)
    assert 'value="not-an-email"' in response.text and 'value="Acme BV"' in response.text


def test_comment_request_changes_and_approve_through_forms(anonymous, client, create, page_of):
    invoice = create()
    assert post(anonymous, invoice, "comment", {"author_name": "Jane", "body": "Line one\nLine two"}).status_code == 303
    assert post(anonymous, invoice, "request-changes", {"body": "Please add the PO."}).status_code == 303
    html = page_of(invoice, done="request-changes").text
    assert "Jane" in html and "Line one\nLine two" in html and "Please add the PO." in html
    assert 'data-status="changes_requested"' in html
    assert 'action="/i/' + invoice["share_token"] + '/request-changes"' not in html, "it cannot be requested twice"
    assert post(anonymous, invoice, "approve", approval_form(html)).status_code == 303
    html = page_of(invoice, done="approve").text
    assert 'data-status="approved"' in html and "You approved this invoice" in html
    assert "/amend" not in html and "/approve" not in html, "a locked invoice offers no edits"
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "approved"


def test_a_required_po_number_stops_approval_with_the_reason_on_the_page(anonymous, client, invoice_body, page_of):
    customer = client.post("/api/v1/customers", json={"company": "Acme Corp", "po_required": True}).json()
    invoice = client.post("/api/v1/invoices", json={**invoice_body, "customer_id": customer["id"]}).json()
    response = post(anonymous, invoice, "approve", approval_form(page_of(invoice).text))
    assert response.status_code == 422
    assert "needs a PO number before it can be approved" in response.text
    assert "A PO number is required before this invoice can be approved." in response.text
    assert '{"error"' not in response.text


def test_approving_an_invoice_that_has_changed_since_the_page_was_read_shows_why(anonymous, client, create, page_of):
    invoice = create()
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    reviewed = approval_form(page_of(invoice).text)
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"due_date": "2026-07-01"})
    response = post(anonymous, invoice, "approve", reviewed)
    assert response.status_code == 409 and "due_date" in response.text
    assert f"since version {reviewed['version']}" in response.text


def test_a_locked_invoice_refuses_edits_on_the_page(anonymous, client, create):
    invoice = create()
    client.post(f"/api/v1/invoices/{invoice['id']}/void")
    response = post(anonymous, invoice, "amend", {"po_number": "late"})
    assert response.status_code == 409 and "locked" in response.text


def test_unknown_actions_and_files_in_forms_are_handled(anonymous, create):
    invoice = create()
    assert post(anonymous, invoice, "delete", {}).status_code == 404
    response = anonymous.post(f"/i/{invoice['share_token']}/comment", files={"body": ("x.txt", b"hello")})
    assert response.status_code == 400 and "body must not be empty" in response.text


@pytest.mark.parametrize("revision", ["²", "١", "1²", "-1", "one", "9" * 20, "9" * 5000])
def test_a_revision_that_is_not_plain_digits_is_a_400_on_the_page(anonymous, client, create, revision):
    invoice = create()
    response = post(anonymous, invoice, "approve", {"revision": revision, "version": "1"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "revision must be" in response.text
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] != "approved"


@pytest.mark.parametrize("agent", [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "facebookexternalhit/1.1", "Twitterbot/1.0",
    "LinkedInBot/1.0", "Mozilla/5.0 (compatible; Discordbot/2.0)", "WhatsApp/2.23.20.0", "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Googlebot/2.1)", "Mozilla/5.0 (compatible; bingbot/2.0)", "Applebot/0.1",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5", "Microsoft Office/16.0 (Windows NT 10.0)",
])
def test_a_link_preview_does_not_mark_the_invoice_viewed(anonymous, client, create, agent):
    invoice = create()
    page = anonymous.get(f"/i/{invoice['share_token']}", headers={"User-Agent": agent})
    assert page.status_code == 200 and invoice["id"] in page.text
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "draft"


def test_a_head_request_does_not_mark_it_viewed_and_a_person_does(anonymous, client, create):
    invoice = create()
    assert anonymous.head(f"/i/{invoice['share_token']}").status_code == 200
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "draft"
    anonymous.get(f"/i/{invoice['share_token']}", headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"})
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "viewed"
