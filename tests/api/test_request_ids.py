"""X-Request-Id on every response, and one JSON access-log line per request with it."""

import json
import logging

import httpx

from app.requestlog import request_id
from tests.backends import fresh_db
from tests.live import LiveServer


def test_a_sane_request_id_is_kept_and_any_other_replaced(client):
    kept = client.get("/api/v1/invoices", headers={"X-Request-Id": "3f2a-Order:77"})
    assert kept.headers["x-request-id"] == "3f2a-Order:77"
    for hostile in ["a b", "<script>", "x" * 500]:
        answered = client.get("/api/v1/invoices", headers={"X-Request-Id": hostile}).headers["x-request-id"]
        assert answered.startswith("req_") and answered != hostile
    assert client.get("/nowhere").headers["x-request-id"].startswith("req_"), "errors carry one too"


def test_new_ids_are_unique():
    assert len({request_id([]) for _ in range(1000)}) == 1000


def test_the_access_log_is_one_json_line_per_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="jupiter.access"):
        client.get("/api/v1/invoices", headers={"X-Request-Id": "trace-1"})
    (line,) = [json.loads(record.getMessage()) for record in caplog.records if record.name == "jupiter.access"]
    assert line["request_id"] == "trace-1" and line["status"] == 200 and line["path"] == "/api/v1/invoices"
    assert "authorization" not in json.dumps(line).lower()


def test_serve_writes_the_json_lines(tmp_path):
    server = LiveServer(fresh_db(tmp_path))
    try:
        server.wait_until_ready()
        httpx.get(f"{server.base_url}/healthz", headers={"X-Request-Id": "from-the-wire"})
    finally:
        server.stop()
    lines = [json.loads(text) for text in server.log_path.read_text().splitlines() if text.startswith("{")]
    assert any(line["request_id"] == "from-the-wire" and line["path"] == "/healthz" for line in lines)
