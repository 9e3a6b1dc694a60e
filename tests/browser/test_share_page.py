"""A recipient opens a share link in a real browser, edits the PO number,
comments and approves; the page and the API agree at every step."""

import httpx
import pytest

from billing.money import format_amount
from tests.backends import fresh_db
from tests.browser.conftest import screenshot
from tests.live import mint_key, running_server

INVOICE = {
    "currency": "USD",
    "due_date": "2026-06-01",
    "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
    "line_items": [
        {"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000},
        {"description": "Workshop <script>alert('x')</script>", "quantity": 1.5, "unit_price_cents": 80000},
    ],
    "tax": {"name": "Sales tax", "rate": 8.875},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = fresh_db(tmp_path_factory.mktemp("share-browser"))
    with running_server(db) as base_url:
        yield base_url, {"Authorization": f"Bearer {mint_key(db)}"}


def test_a_recipient_amends_comments_and_approves(server, page, phone):
    base_url, auth = server
    invoice = httpx.post(f"{base_url}/api/v1/invoices", json=INVOICE, headers=auth).json()
    share_api = f"{base_url}/api/v1/share/{invoice['share_token']}"
    httpx.post(f"{base_url}/api/v1/invoices/{invoice['id']}/send", headers=auth)

    page.goto(invoice["share_url"])
    assert page.locator("h1").inner_text() == invoice["id"]
    assert page.locator("[data-status]").get_attribute("data-status") == "viewed"
    assert page.locator("[data-total]").inner_text() == format_amount(invoice["total_cents"], "USD") == "$4,028.38"
    assert page.get_by_text("Workshop <script>alert('x')</script>").is_visible(), "shown as text, never run"

    page.get_by_text("Edit PO number").click()
    page.fill("#po_number", "PO-7781")
    page.get_by_role("button", name="Save PO number").click()
    page.wait_for_url("**?done=amend")
    assert page.locator("[data-po-number]").inner_text() == "PO-7781"
    assert httpx.get(share_api).json()["po_number"] == "PO-7781"

    page.fill("#author_name", "Jane from Acme")
    page.fill("#comment_body", "Approved on our side,\npayment next week.")
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url("**?done=comment")
    assert page.locator(".comment.recipient .body").inner_text() == "Approved on our side,\npayment next week."

    page.get_by_role("button", name="Approve invoice").click()
    page.wait_for_url("**?done=approve")
    assert page.locator("[data-status]").get_attribute("data-status") == "approved"
    assert page.get_by_role("button", name="Approve invoice").count() == 0

    seen = httpx.get(share_api).json()
    assert (seen["status"], seen["po_number"]) == ("approved", "PO-7781")
    assert [(c["author_name"], c["body"]) for c in seen["comments"]] == [
        ("Jane from Acme", "Approved on our side,\npayment next week.")
    ]
    sender_view = httpx.get(f"{base_url}/api/v1/invoices/{invoice['id']}", headers=auth).json()
    assert sender_view["status"] == "approved" and sender_view["approved_at"]
    actions = [v["action"] for v in httpx.get(f"{base_url}/api/v1/invoices/{invoice['id']}/versions", headers=auth).json()["data"]]
    assert actions == ["approve", "comment", "amend", "view", "send", "create"]
    screenshot(page, "share-page-approved")

    with page.expect_download() as download:
        page.get_by_text("Download PDF").click()
    assert download.value.suggested_filename == f"{invoice['id']}.pdf"

    phone.goto(invoice["share_url"])
    assert phone.locator("[data-total]").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(phone, "share-page-phone")


def test_an_unknown_link_shows_a_page_not_json(server, page):
    base_url, _ = server
    response = page.goto(f"{base_url}/i/not-a-real-token")
    assert response.status == 404
    assert "There is no invoice at this link" in page.locator("h1").inner_text()
