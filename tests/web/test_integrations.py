"""The Integrations page: a key is shown once, listed by prefix, revoked for good."""

import json
import re
import time

from starlette.testclient import TestClient

from tests.backends import dump
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL
from tests.web.conftest import mint, post_form, sign_up


def _config(page_text: str) -> dict:
    raw = re.search(r'<code id="mcp-config">(.*?)</code>', page_text, re.S).group(1)
    return json.loads(raw.replace("&#34;", '"').replace("&quot;", '"'))


def test_a_minted_key_is_shown_once_with_its_mcp_config_and_curl(signed_in):
    response, key = mint(signed_in, "Claude Desktop")
    assert response.status_code == 201
    assert key.startswith("jk_live_") and len(key) >= len("jk_live_") + 32
    assert response.headers["cache-control"] == "no-store"
    assert "only time it is shown" in response.text
    assert _config(response.text) == {"mcpServers": {"jupiterinvoice": {
        "type": "http", "url": f"{PUBLIC_URL}/mcp", "headers": {"Authorization": f"Bearer {key}"}}}}
    assert f"curl {PUBLIC_URL}/api/v1/invoices" in response.text
    assert response.text.count(key) == 3, "the key box, the MCP config and the curl example"


def test_the_key_is_never_shown_again(signed_in, services):
    _, key = mint(signed_in)
    for path in ("/integrations", "/dashboard", "/", "/signout"):
        assert key not in signed_in.get(path).text
    assert key not in dump(services.db)


def test_reposting_the_form_mints_no_second_copy(signed_in):
    """What a browser's reload of the result page does: the same form again."""
    _, key = mint(signed_in, "ci")
    again, shown = mint(signed_in, "ci")
    assert again.status_code == 400 and shown is None
    assert "already have a key named" in again.text


def test_the_minted_key_works_and_is_listed(signed_in):
    _, key = mint(signed_in, "billing script")
    api = signed_in.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 201
    page = signed_in.get("/integrations").text
    deadline = time.monotonic() + 5  # last use is recorded off the request's path, a moment later
    while "Never" in page and time.monotonic() < deadline:
        time.sleep(0.02)
        page = signed_in.get("/integrations").text
    assert "billing script" in page
    assert f"<code>{key[:14]}…</code>" in page
    assert "Never" not in page, "last used is recorded"
    assert "Active" in page


def test_revoking_refuses_the_next_request(signed_in, services):
    _, key = mint(signed_in, "temp")
    bearer = {"Authorization": f"Bearer {key}"}
    assert signed_in.get("/api/v1/invoices", headers=bearer).status_code == 200
    (record,) = services.accounts.list_keys(services.accounts.password_hash("sender@studio.test")[0])
    response = post_form(signed_in, f"/integrations/keys/{record['id']}/revoke", {}, from_page="/integrations")
    assert response.status_code == 303
    page = signed_in.get(response.headers["location"])
    assert "The key “temp” is revoked" in page.text
    assert "Revoked" in page.text
    assert signed_in.get("/api/v1/invoices", headers=bearer).status_code == 401


def test_another_accounts_key_cannot_be_revoked(app, signed_in, services):
    with TestClient(app) as other:
        sign_up(other, email="other@studio.test")
        _, theirs = mint(other, "theirs")
    (record,) = services.accounts.list_keys(services.accounts.password_hash("other@studio.test")[0])
    response = post_form(signed_in, f"/integrations/keys/{record['id']}/revoke", {}, from_page="/integrations")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert signed_in.get("/api/v1/invoices", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200
    assert "theirs" not in signed_in.get("/integrations").text


def test_a_key_needs_a_name_and_names_are_escaped(signed_in):
    response, key = mint(signed_in, "   ")
    assert response.status_code == 400 and key is None and "Name the key" in response.text
    _, key = mint(signed_in, "<script>alert(1)</script>")
    page = signed_in.get("/integrations").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_without_a_fresh_key_the_snippets_show_a_placeholder(signed_in):
    page = signed_in.get("/integrations").text
    assert _config(page)["mcpServers"]["jupiterinvoice"]["headers"]["Authorization"] == "Bearer jk_live_…"
