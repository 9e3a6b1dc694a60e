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
