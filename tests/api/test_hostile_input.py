"""Nothing a client can send produces a 500, and nothing bad is stored."""

import json
import statistics
import threading
import time

import pytest

from app import validation

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"\xff\xfe\xfd", 400),
        (b'{"due_date": "\xed\xa0\x80"}', 400),  # a UTF-16 surrogate encoded as UTF-8
        (b"[" * 50_000 + b"]" * 50_000, 400),
        (b'{"a": ' + b"[" * 900 + b'"\\udc00"' + b"]" * 900 + b"}", 400),  # deep, with a lone surrogate
        (b'{"a": NaN}', 400),
        (b'{"a": -Infinity}', 400),
        (b"null", 400),
        (b"[]", 400),
        (b'"just a string"', 400),
        (b"   ", 400),
        (b'{"due_date": "2026-06-01", "due_date": "2027-01-01"}', 400),
        (b'{"line_items": [{"quantity": 1e400}]}', 400),
        (b'{"a": ' + b"1" * 10_000 + b"}", 400),
    ],
)
def test_malformed_bodies_are_400(client, raw, status):
    response = client.post("/api/v1/invoices", content=raw, headers=JSON)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "field"}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"description": "x", "quantity": 1, "unit_price_cents": 2**63}, "line_items[0].unit_price_cents"),
        ({"description": "x", "quantity": 1, "unit_price_cents": -(2**63) - 1}, "line_items[0].unit_price_cents"),
        ({"description": "x", "quantity": 10**30, "unit_price_cents": 1}, "line_items[0].quantity"),
        ({"description": "x", "quantity": 1, "unit_price_cents": 1.5}, "line_items[0].unit_price_cents"),
        ({"description": "x", "quantity": True, "unit_price_cents": 1}, "line_items[0].quantity"),
        ({"description": "", "quantity": 1, "unit_price_cents": 1}, "line_items[0].description"),
        ({"description": "x" * 1001, "quantity": 1, "unit_price_cents": 1}, "line_items[0].description"),
    ],
)
def test_out_of_range_values_name_their_field(client, invoice_body, line, field):
    response = client.post("/api/v1/invoices", json={**invoice_body, "line_items": [line]})
    assert (response.status_code, response.json()["field"]) == (400, field)


def test_huge_header_token_is_401_not_500(anonymous):
    assert anonymous.get("/api/v1/invoices", headers={"Authorization": "Bearer " + "k" * 10_240}).status_code == 401


def test_odd_paths_are_404_not_500(client):
    for path in ("/api/v1/invoices/" + "A" * 5000, "/api/v1/invoices/%00", "/api/v1/customers/99999999999999999999999"):
        assert client.get(path).status_code in (400, 404)


def test_a_failed_request_leaves_no_trace(client, invoice_body):
    bad = {**invoice_body, "line_items": invoice_body["line_items"] + [{"description": "x", "quantity": 0, "unit_price_cents": 1}]}
    assert client.post("/api/v1/invoices", json=bad).status_code == 400
    assert client.get("/api/v1/customers").json()["data"] == []
    assert client.post("/api/v1/invoices", json=invoice_body).json()["id"] == "ACME-0001", "no number was used up"


def _timed(send) -> tuple:
    start = time.perf_counter()
    response = send()
    return response, time.perf_counter() - start


def test_a_body_of_countless_empty_lines_is_refused_at_once(client, invoice_body):
    """100,000 empty line items (300 KB) once took seconds of validation, all on the event loop."""
    client.post("/api/v1/invoices", json=invoice_body)  # warm up: the first request compiles validators
    normal = statistics.median(_timed(lambda: client.post("/api/v1/invoices", json=invoice_body))[1] for _ in range(5))
    raw = json.dumps({**invoice_body, "line_items": [{}] * 100_000}).encode()
    attempts = [_timed(lambda: client.post("/api/v1/invoices", content=raw, headers=JSON)) for _ in range(3)]
    for response, _ in attempts:
        assert (response.status_code, response.json()["field"]) == (400, "line_items")
        assert "at most 500" in response.json()["error"]
    attack = min(seconds for _, seconds in attempts)  # the machine may be busy with something else for a moment
    assert attack < 50 * normal and attack < 1.0, (attack, normal)


def test_large_bodies_are_read_off_the_event_loop(client, invoice_body, monkeypatch):
    threads = []
    parse = validation.parse_json
    monkeypatch.setattr(validation, "parse_json", lambda raw: threads.append(threading.get_ident()) or parse(raw))
    assert client.post("/api/v1/invoices", json=invoice_body).status_code == 201
    lines = [{"description": "d" * 900, "quantity": 1, "unit_price_cents": 1}] * 100
    assert client.post("/api/v1/invoices", json={**invoice_body, "line_items": lines}).status_code == 201
    small, large = threads
    assert small != large, "a 90 KB body is parsed in a worker thread"


def test_a_huge_unknown_field_name_is_not_echoed(client, invoice_body):
    name = "x" * 1_000_000
    response = client.post("/api/v1/invoices", json={**invoice_body, name: 1})
    assert response.status_code == 400
    error = response.json()
    assert error["field"] == "x" * 100 + "…"
    assert "x" * 100 + "…" in error["error"] and len(error["error"]) < 500
    assert len(response.content) < 1000


def test_a_huge_unknown_query_parameter_is_not_echoed(client):
    response = client.get("/api/v1/invoices", params={"q" * 5000: "1"})
    assert response.status_code == 400
    assert response.json()["field"] == "q" * 100 + "…" and len(response.content) < 1000


@pytest.mark.parametrize(
    ("number", "where", "field"),
    [
        ("1e-999999999", "quantity", "line_items[0].quantity"),  # once stored as a quantity of 0
        ("-1e-999999999", "quantity", "line_items[0].quantity"),
        ("1.5e-999999999", "quantity", "line_items[0].quantity"),
        ("1e999999999", "quantity", "line_items[0].quantity"),
        ("1E-7", "quantity", "line_items[0].quantity"),
        ("1e-999999999", "rate", "tax.rate"),
        ("1e-999999999", "percent", "discount.value"),
    ],
)
def test_numbers_with_absurd_exponents_are_refused(client, invoice_body, number, where, field):
    body = {**invoice_body, "line_items": [{"description": "x", "quantity": "<quantity>", "unit_price_cents": 1}],
            "tax": {"rate": "<rate>"}, "discount": {"type": "percent", "value": "<percent>"}}
    raw = json.dumps(body)
    for name, value in ({"quantity": "1", "rate": "8", "percent": "5"} | {where: number}).items():
        raw = raw.replace(f'"<{name}>"', value)
    response = client.post("/api/v1/invoices", content=raw.encode(), headers=JSON)
    assert (response.status_code, response.json()["field"]) == (400, field), response.text
    assert client.get("/api/v1/invoices").json()["data"] == []


@pytest.mark.parametrize("quantity", ["0.000001", "1.000000e0", "1e6", "12.5E-1"])
def test_numbers_at_the_edge_of_their_bounds_are_taken(client, invoice_body, quantity):
    raw = json.dumps({**invoice_body, "line_items": [{"description": "x", "quantity": "QTY", "unit_price_cents": 1}]})
    response = client.post("/api/v1/invoices", content=raw.replace('"QTY"', quantity).encode(), headers=JSON)
    assert response.status_code == 201, response.text
