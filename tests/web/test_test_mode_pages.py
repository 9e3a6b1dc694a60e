"""Test mode on the sender's pages: a test key minted on the Integrations page,
its invoices and its kept email on the test dashboard, never on the live one."""

from tests.conftest import PAGE_EXAMPLE
from tests.web.conftest import mint


def test_a_test_key_minted_on_the_page_shows_its_data_on_the_test_dashboard_only(signed_in):
    response, key = mint(signed_in, "sandbox", mode="test")
    assert response.status_code == 201 and key.startswith("jk_test_")
    assert '<span class="badge draft">Test</span>' in signed_in.get("/integrations").text

    bearer = {"Authorization": f"Bearer {key}"}
    invoice = signed_in.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=bearer).json()
    assert signed_in.post(f"/api/v1/invoices/{invoice['id']}/send", headers=bearer).json()["delivery"]["status"] \
        == "kept"

    live = signed_in.get("/dashboard").text
    assert invoice["share_url"] not in live and "Test email, kept" not in live
    test = signed_in.get("/dashboard?mode=test").text
    assert invoice["share_url"] in test
    assert "Test email, kept and not delivered" in test and "ap@acme.com" in test
    assert f"Invoice {invoice['id']}" in test, "the kept email's subject"


def test_the_test_dashboard_before_any_test_key(signed_in):
    page = signed_in.get("/dashboard?mode=test")
    assert page.status_code == 200
    assert "No invoices yet" in page.text and "No test email yet" in page.text


def test_a_mode_that_is_neither_is_refused(signed_in):
    response, key = mint(signed_in, "odd", mode="staging")
    assert response.status_code == 400 and key is None
    assert "live or test" in response.text


def test_a_test_invoice_says_so_on_its_share_page_and_the_senders_visit_is_no_view(signed_in):
    _, key = mint(signed_in, "sandbox", mode="test")
    bearer = {"Authorization": f"Bearer {key}"}
    invoice = signed_in.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=bearer).json()
    assert "data-test-invoice" in signed_in.get(f"/i/{invoice['share_token']}").text
    assert signed_in.get(f"/api/v1/invoices/{invoice['id']}", headers=bearer).json()["viewed_at"] is None, \
        "the sender following their own test link is not its recipient"
    assert signed_in.get(f"/api/v1/share/{invoice['share_token']}").json()["livemode"] is False
