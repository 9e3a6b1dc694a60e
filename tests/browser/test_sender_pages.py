"""A sender in a real browser: sign up, mint a key, use it, revoke it.
Screenshots of the main pages, desktop and phone width, go to test-artifacts/."""

import re
import subprocess

import httpx
import pytest

from tests.backends import fresh_db
from tests.browser.conftest import screenshot
from tests.conftest import PAGE_EXAMPLE
from tests.live import BIN, mint_key, running_server

EMAIL, PASSWORD = "ada@studio.test", "correct horse battery staple"
RETURNING = "bob@studio.test"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = fresh_db(tmp_path_factory.mktemp("browser"))
    with running_server(db) as base_url:
        yield base_url, db


@pytest.fixture(scope="module")
def returning_sender(server):
    """An account set up from the command line, with an invoice a recipient has corrected."""
    base_url, db = server
    subprocess.run([BIN, "accounts", "set-password", "--email", RETURNING, "--db", db],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    bearer = {"Authorization": f"Bearer {mint_key(db, RETURNING)}"}
    for company, price in (("Acme Corp", 250000), ("Globex Corporation", 1234567)):
        body = {**PAGE_EXAMPLE, "recipient": {"company": company, "email": "ap@example.com"},
                "line_items": [{"description": "Design work", "quantity": 1, "unit_price_cents": price}]}
        created = httpx.post(f"{base_url}/api/v1/invoices", json=body, headers=bearer).json()
    _recipient_fixes_the_po_number(base_url, created)
    return RETURNING


def _fill_and_submit(page, fields: dict, button: str):
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=button).click()


def test_sign_up_mint_use_revoke(server, page):
    base_url, db = server
    page.goto(base_url + "/")
    screenshot(page, "landing-desktop")
    page.get_by_role("link", name="Create an account").click()
    _fill_and_submit(page, {"Email": EMAIL, "Business name": "Studio Ada", "Password": PASSWORD}, "Create account")
    page.wait_for_url(base_url + "/integrations")

    _fill_and_submit(page, {"Key name": "billing script"}, "Mint key")
    key = page.locator("#fresh-key").inner_text().strip()
    assert re.fullmatch(r"jk_live_[A-Za-z0-9_-]{32,}", key)
    assert f'"url": "{base_url}/mcp"' in page.locator("#mcp-config").inner_text()
    assert f"Bearer {key}" in page.locator("#mcp-config").inner_text()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.locator("button[data-copy=fresh-key]").click()
    assert page.evaluate("navigator.clipboard.readText()") == key
    screenshot(page, "integrations-fresh-key-desktop")

    bearer = {"Authorization": f"Bearer {key}"}
    created = httpx.post(f"{base_url}/api/v1/invoices", json=PAGE_EXAMPLE, headers=bearer)
    assert created.status_code == 201, created.text
    _recipient_fixes_the_po_number(base_url, created.json())

    page.get_by_role("link", name="Dashboard", exact=True).click()
    assert page.get_by_role("link", name="ACME-0001").get_attribute("href") == created.json()["share_url"]
    assert page.locator("tr", has_text="ACME-0001").get_by_text("$2,500.00").is_visible()
    assert page.get_by_text("PO-7781").is_visible()
    screenshot(page, "dashboard-desktop")

    page.goto(base_url + "/integrations")
    assert key not in page.content(), "never shown again"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("is revoked").wait_for()
    assert httpx.get(f"{base_url}/api/v1/invoices", headers=bearer).status_code == 401


def _recipient_fixes_the_po_number(base_url, invoice):
    """What the recipient's share page does, through the share API."""
    fixed = httpx.patch(f"{base_url}/api/v1/share/{invoice['share_token']}", json={"po_number": "PO-7781"})
    assert fixed.status_code == 200, fixed.text


def test_phone_width_pages(server, returning_sender, phone):
    base_url, _ = server
    phone.goto(base_url + "/")
    screenshot(phone, "landing-phone")
    phone.goto(base_url + "/dashboard")
    phone.wait_for_url(re.compile(r".*/signin\?next=%2Fdashboard$"))
    screenshot(phone, "signin-phone")
    _fill_and_submit(phone, {"Email": returning_sender, "Password": PASSWORD}, "Sign in")
    phone.wait_for_url(base_url + "/dashboard")
    screenshot(phone, "dashboard-phone")
    phone.goto(base_url + "/integrations")
    _fill_and_submit(phone, {"Key name": "phone"}, "Mint key")
    assert phone.locator("#fresh-key").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the screen"
    screenshot(phone, "integrations-fresh-key-phone")


def test_sign_in_page_desktop(server, returning_sender, page):
    base_url, _ = server
    page.goto(base_url + "/signin")
    screenshot(page, "signin-desktop")
    _fill_and_submit(page, {"Email": returning_sender, "Password": "wrong password!"}, "Sign in")
    assert page.get_by_role("alert").inner_text().startswith("That email and password do not match")
