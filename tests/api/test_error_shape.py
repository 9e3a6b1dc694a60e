"""Every failure, whatever its status, is {"error": <sentence>, "field": <path or null>}."""

import pytest

from tests.conftest import mint_unverified


def assert_error(response, status, field=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "field"}
    assert isinstance(body["error"], str) and body["error"].endswith((".", "?"))
    assert body["field"] == field
    return body


def test_400_malformed_json(client):
    assert_error(client.post("/api/v1/invoices", content=b"{not json", headers={"content-type": "application/json"}), 400)


def test_400_empty_body(client):
    assert_error(client.post("/api/v1/invoices", content=b"", headers={"content-type": "application/json"}), 400)


def test_400_schema_names_the_field(client, invoice_body):
    invoice_body["line_items"][0]["quantity"] = -1
    assert_error(client.post("/api/v1/invoices", json=invoice_body), 400, "line_items[0].quantity")


def test_401(anonymous):
    assert_error(anonymous.get("/api/v1/customers"), 401)


def test_403_until_the_accounts_email_is_verified(anonymous, services, invoice_body):
    bearer = mint_unverified(services, "new@studio.test")
    number = anonymous.post("/api/v1/invoices", json=invoice_body, headers=bearer).json()["id"]
    assert_error(anonymous.post(f"/api/v1/invoices/{number}/send", headers=bearer), 403)


def test_404_unknown_route(client):
    body = assert_error(client.get("/api/v1/nothing-here"), 404)
    assert "/api/openapi.json" in body["error"]


def test_404_unknown_resource(client):
    assert_error(client.get("/api/v1/invoices/NOPE-0001"), 404, "number")


def test_404_outside_the_api(anonymous):
    assert_error(anonymous.get("/definitely/not/here"), 404)


def test_405_lists_the_allowed_methods(client):
    response = client.delete("/api/v1/invoices")
    assert_error(response, 405)
    assert response.headers["allow"] == "GET, POST"


def test_409(client, create):
    create()
    client.post("/api/v1/invoices/ACME-0001/void")
    assert_error(client.post("/api/v1/invoices/ACME-0001/void"), 409)


def test_413_declared_length(client):
    big = b"[" + b"1," * 600_000 + b"1]"
    assert_error(client.post("/api/v1/invoices", content=big, headers={"content-type": "application/json"}), 413)


def test_413_chunked_body_without_length(client):
    def chunks():
        for _ in range(300):
            yield b"x" * 8192

    assert_error(client.post("/api/v1/invoices", content=chunks(), headers={"content-type": "application/json"}), 413)


def test_415(client):
    assert_error(client.post("/api/v1/invoices", content=b"a=b", headers={"content-type": "application/x-www-form-urlencoded"}), 415)


def test_422(client, invoice_body):
    assert_error(client.post("/api/v1/invoices", json={**invoice_body, "issue_date": "2030-01-01"}), 422, "issue_date")


def test_500_is_json_too_and_says_nothing_internal(client, services, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services.invoices, "get", broken)
    body = assert_error(client.get("/api/v1/invoices/ACME-0001"), 500)
    assert "secret" not in body["error"]


@pytest.mark.parametrize("path", ["/api/openapi.json", "/.well-known/openapi.json"])
def test_the_spec_needs_no_key(anonymous, path):
    assert anonymous.get(path).json()["openapi"] == "3.1.0"
