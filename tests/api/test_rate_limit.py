"""429 with Retry-After once a key has spent its allowance."""

from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PUBLIC_URL, mint


def test_a_busy_key_gets_429_with_retry_after_and_other_keys_do_not(tmp_path):
    app = create_app(str(tmp_path / "limited.db"), PUBLIC_URL, rate_limit=0.5)  # burst of 1
    busy, calm = mint(app.state.store, "busy@example.com"), mint(app.state.store, "calm@example.com")
    with TestClient(app) as client:
        assert client.get("/api/v1/invoices", headers=busy).status_code == 200
        refused = client.get("/api/v1/invoices", headers=busy)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "2"
        assert set(refused.json()) == {"error", "field"}
        assert client.get("/api/v1/invoices", headers=calm).status_code == 200


def test_a_share_link_is_limited_too_on_the_api_and_the_page(tmp_path):
    from app.factory import SHARE_ACTIONS_BURST
    from tests.conftest import PAGE_EXAMPLE

    app = create_app(str(tmp_path / "links.db"), PUBLIC_URL, rate_limit=100)
    with TestClient(app, headers=mint(app.state.store, "sender@example.com")) as client:
        token = client.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()["share_token"]
        for n in range(SHARE_ACTIONS_BURST):
            assert client.post(f"/api/v1/share/{token}/comments", json={"body": f"note {n}"}).status_code == 201
        refused = client.post(f"/api/v1/share/{token}/comments", json={"body": "one too many"})
        assert refused.status_code == 429 and "share link" in refused.json()["error"]
        page = client.post(f"/i/{token}/comment", data={"body": "from the page"})
        assert page.status_code == 429 and "share link" in page.text
        assert client.get(f"/api/v1/share/{token}").status_code == 200, "reading is never limited"
