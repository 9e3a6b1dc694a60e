"""429 with Retry-After once a key (or a share link) has spent its allowance."""

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL, mint
from workflow import SHARE_ACTIONS_BURST


def test_a_busy_key_gets_429_with_retry_after_and_other_keys_do_not(db_url):
    app = create_app(db_url, PUBLIC_URL, rate_limit=0.5)  # burst of 1
    busy, calm = mint(app.state.services, "busy@example.com"), mint(app.state.services, "calm@example.com")
    with TestClient(app) as client:
        assert client.get("/api/v1/invoices", headers=busy).status_code == 200
        refused = client.get("/api/v1/invoices", headers=busy)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "2"
        assert set(refused.json()) == {"error", "field"}
        assert client.get("/api/v1/invoices", headers=calm).status_code == 200


@pytest.mark.parametrize("key_rate", [100, None], ids=["with a key limit", "with none"])
def test_a_share_link_is_limited_too_on_the_api_and_the_page(db_url, key_rate):
    app = create_app(db_url, PUBLIC_URL, rate_limit=key_rate)
    with TestClient(app, headers=mint(app.state.services, "sender@example.com")) as client:
        token = client.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()["share_token"]
        for n in range(SHARE_ACTIONS_BURST):
            assert client.post(f"/api/v1/share/{token}/comments", json={"body": f"note {n}"}).status_code == 201
        refused = client.post(f"/api/v1/share/{token}/comments", json={"body": "one too many"})
        assert refused.status_code == 429 and "share link" in refused.json()["error"]
        page = client.post(f"/i/{token}/comment", data={"body": "from the page"})
        assert page.status_code == 429 and "share link" in page.text
        assert client.get(f"/api/v1/share/{token}").status_code == 200, "reading is never limited"


def test_an_unknown_share_link_is_a_404_and_spends_nothing(client):
    for _ in range(SHARE_ACTIONS_BURST + 5):
        response = client.post("/api/v1/share/not-a-real-token/comments", json={"body": "hi"})
        assert response.status_code == 404


def test_two_workers_share_one_share_link_burst(app, client):
    """Another worker process is another app over the same database: the burst is one."""
    token = client.post("/api/v1/invoices", json=PAGE_EXAMPLE).json()["share_token"]
    with TestClient(create_app(app.state.services.db.url, PUBLIC_URL)) as other_worker:
        answers = [(client if n % 2 else other_worker).post(f"/api/v1/share/{token}/comments", json={"body": "x"})
                   for n in range(SHARE_ACTIONS_BURST + 1)]
    assert [a.status_code for a in answers] == [201] * SHARE_ACTIONS_BURST + [429]


def test_keyed_responses_say_the_allowance_left(db_url):
    app = create_app(db_url, PUBLIC_URL, rate_limit=2)  # a burst of 4
    with TestClient(app, headers=mint(app.state.services, "counted@example.com")) as client:
        answers = [client.get("/api/v1/invoices") for _ in range(5)]
        assert [a.headers["x-ratelimit-limit"] for a in answers] == ["4"] * 5
        assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["3", "2", "1", "0", "0"]
        assert answers[-1].status_code == 429
        assert "x-ratelimit-limit" not in client.get("/healthz").headers, "only requests made with a key"
