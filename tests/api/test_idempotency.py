"""Idempotency-Key: a retried POST or PATCH never runs twice."""

import threading
from datetime import timedelta

import pytest

from billing.errors import Conflict
from workflow.clock import utc_now as now


def key(value):
    return {"Idempotency-Key": value}


def test_a_retry_with_the_same_key_replays_the_first_response_byte_for_byte(client, invoice_body):
    first = client.post("/api/v1/invoices", json=invoice_body, headers=key("k-1"))
    again = client.post("/api/v1/invoices", json=invoice_body, headers=key("k-1"))
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert len(client.get("/api/v1/invoices").json()["data"]) == 1


def test_the_same_key_with_a_different_body_is_422_on_the_header(client, invoice_body):
    client.post("/api/v1/invoices", json=invoice_body, headers=key("k-2"))
    response = client.post("/api/v1/invoices", json={**invoice_body, "po_number": "other"}, headers=key("k-2"))
    assert (response.status_code, response.json()["field"]) == (422, "Idempotency-Key")


def test_equal_numbers_written_differently_are_the_same_request(client, invoice_body):
    invoice_body["line_items"][0]["quantity"] = 1.5
    first = client.post("/api/v1/invoices", json=invoice_body, headers=key("k-3"))
    same = client.post("/api/v1/invoices", content=first.request.content.replace(b"1.5", b"1.50"),
                       headers={**key("k-3"), "content-type": "application/json"})
    assert same.content == first.content


def test_different_keys_and_no_key_create_separate_invoices(client, invoice_body):
    ids = [client.post("/api/v1/invoices", json=invoice_body, headers=h).json()["id"]
           for h in (key("a"), key("b"), {}, {})]
    assert ids == ["ACME-0001", "ACME-0002", "ACME-0003", "ACME-0004"]


def test_keys_belong_to_one_account(app, client, other_auth, invoice_body):
    from starlette.testclient import TestClient

    mine = client.post("/api/v1/invoices", json=invoice_body, headers=key("shared"))
    with TestClient(app, headers=other_auth) as other:
        theirs = other.post("/api/v1/invoices", json=invoice_body, headers=key("shared"))
    assert theirs.status_code == 201 and theirs.json()["share_token"] != mine.json()["share_token"]


def test_a_refusal_is_the_answer_to_that_key(client, create):
    create()
    client.post("/api/v1/invoices/ACME-0001/void")
    first = client.post("/api/v1/invoices/ACME-0001/send", headers=key("send-1"))
    again = client.post("/api/v1/invoices/ACME-0001/send", headers=key("send-1"))
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


def test_a_malformed_request_does_not_use_up_its_key(client, invoice_body):
    bad = {**invoice_body, "line_items": [{"description": "x", "quantity": 1, "unit_price": 5}]}
    assert client.post("/api/v1/invoices", json=bad, headers=key("k-4")).status_code == 400
    assert client.post("/api/v1/invoices", json=invoice_body, headers=key("k-4")).status_code == 201


def test_patch_and_status_actions_honour_keys(client, create):
    create()
    first = client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "A"}, headers=key("p"))
    client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "B"})
    again = client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "A"}, headers=key("p"))
    assert again.content == first.content, "the first answer, not a second update"
    assert client.get("/api/v1/invoices/ACME-0001").json()["po_number"] == "B"


def test_a_key_is_validated_like_any_header(client, invoice_body):
    response = client.post("/api/v1/invoices", json=invoice_body, headers=key("x" * 300))
    assert (response.status_code, response.json()["field"]) == (400, "Idempotency-Key")


def _account(services):
    return services.accounts.ensure("keys@example.com", now())


def test_a_request_still_running_makes_its_twin_a_409(services):
    account, outcome = _account(services), {}

    def twin():
        try:
            services.idempotency.run(account, "busy", "same", lambda: ({"twin": True}, 200, {}))
        except Conflict as error:
            outcome["conflict"] = error

    def slow_work():
        thread = threading.Thread(target=twin)
        thread.start()
        thread.join(timeout=10)
        return {"first": True}, 201, {}

    assert services.idempotency.run(account, "busy", "same", slow_work) == ({"first": True}, 201, {})
    assert outcome["conflict"].field == "Idempotency-Key"


def test_keys_are_forgotten_after_24_hours(services):
    account, runs = _account(services), []

    def work():
        runs.append(1)
        return {"n": len(runs)}, 201, {}

    start = now()
    for later in (0, 23, 25):
        services.clock.freeze(start + timedelta(hours=later))
        services.idempotency.run(account, "daily", "same", work)
    assert len(runs) == 2


def test_a_crash_mid_request_leaves_the_key_free_for_a_retry(services):
    account = _account(services)

    def crash():
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        services.idempotency.run(account, "crash", "same", crash)
    assert services.idempotency.run(account, "crash", "same", lambda: ({"ok": 1}, 201, {}))[0] == {"ok": 1}
