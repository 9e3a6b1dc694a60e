"""Customers: codes, ids, duplicates, and what invoices inherit from them."""

import sqlite3

import psycopg
import pytest
from starlette.testclient import TestClient

from storage import migrations
from storage.engine import open_database
from tests.conftest import PAGE_EXAMPLE


def test_create_customer_gets_a_code_from_its_company(client):
    response = client.post("/api/v1/customers", json={"company": "Acme Corp", "po_required": True})
    assert response.status_code == 201
    customer = response.json()
    assert (customer["code"], customer["company"], customer["po_required"], customer["cc_emails"]) == ("ACME", "Acme Corp", True, [])
    assert response.headers["location"] == f"/api/v1/customers/{customer['id']}"
    assert client.get(f"/api/v1/customers/{customer['id']}").json() == customer


def test_a_second_customer_with_the_same_company_conflicts(client):
    first = client.post("/api/v1/customers", json={"company": "Acme Corp"}).json()
    response = client.post("/api/v1/customers", json={"company": "ACME CORP"})
    assert (response.status_code, response.json()["field"]) == (409, "company")
    assert str(first["id"]) in response.json()["error"]


def test_codes_clash_into_a_numbered_code(client):
    client.post("/api/v1/customers", json={"company": "Acme Corp"})
    assert client.post("/api/v1/customers", json={"company": "Acme Inc"}).json()["code"] == "ACME2"


def test_an_invoice_for_a_known_company_uses_that_customer_and_what_it_knows(client, create):
    customer = client.post("/api/v1/customers", json={
        "company": "Acme Corp",
        "ap_contact": {"name": "AP team", "email": "ap@acme.com"},
        "billing_entity": "Acme Holdings LLC",
    }).json()
    invoice = create()
    assert invoice["customer_id"] == customer["id"]
    assert invoice["recipient"]["billing_entity"] == "Acme Holdings LLC"
    assert invoice["recipient"]["ap_contact"] == {"name": "AP team", "email": "ap@acme.com"}


def test_unknown_customer_fields_are_refused(client):
    response = client.post("/api/v1/customers", json={"company": "Acme", "phone": "555"})
    assert (response.status_code, response.json()["field"]) == (400, "phone")


def test_company_is_required(client):
    response = client.post("/api/v1/customers", json={"contact": {"email": "a@b.co"}})
    assert (response.status_code, response.json()["field"]) == (400, "company")


def test_update_customer_replaces_given_fields_and_keeps_the_code(client, create):
    first = create()
    customer_id = first["customer_id"]
    response = client.patch(f"/api/v1/customers/{customer_id}", json={
        "company": "Acme Corporation", "address": {"line1": "2 Market St", "city": "Springfield"}, "po_required": True,
    })
    assert response.status_code == 200
    customer = response.json()
    assert (customer["code"], customer["company"], customer["po_required"]) == ("ACME", "Acme Corporation", True)
    assert customer["contact"] == {"name": None, "email": "ap@acme.com"}, "fields not sent are kept"
    nxt = create(recipient={"company": "ACME CORPORATION"})
    assert nxt["id"] == "ACME-0002" and nxt["customer_id"] == customer_id
    assert nxt["recipient"]["address"]["city"] == "Springfield", "the next invoice carries the new details"
    assert client.get("/api/v1/invoices/ACME-0001").json()["recipient"]["address"] is None, "issued ones keep theirs"


def test_update_customer_refuses_another_customers_company_and_read_only_fields(client):
    acme = client.post("/api/v1/customers", json={"company": "Acme Corp"}).json()
    globex = client.post("/api/v1/customers", json={"company": "Globex"}).json()
    taken = client.patch(f"/api/v1/customers/{globex['id']}", json={"company": "acme corp"})
    assert (taken.status_code, taken.json()["field"]) == (409, "company")
    code = client.patch(f"/api/v1/customers/{acme['id']}", json={"code": "ACME9"})
    assert (code.status_code, code.json()["field"]) == (400, "code")
    assert "read-only" in code.json()["error"]
    assert client.patch("/api/v1/customers/9999", json={"notes": "x"}).status_code == 404


def test_each_account_numbers_its_own_customers_from_1(app, client, create, other_auth):
    """Ids are per account: another account's customer 1 is its own, or a 404."""
    acme = client.post("/api/v1/customers", json={"company": "Acme Corp"}).json()
    globex = create(recipient={"company": "Globex"})
    assert (acme["id"], globex["customer_id"]) == (1, 2)
    with TestClient(app, headers=other_auth, raise_server_exceptions=False) as other:
        assert other.get("/api/v1/customers/1").status_code == 404
        assert other.patch("/api/v1/customers/1", json={"notes": "x"}).status_code == 404
        initech = other.post("/api/v1/invoices", json={**PAGE_EXAMPLE, "recipient": {"company": "Initech"}}).json()
        assert initech["customer_id"] == 1
        assert other.get("/api/v1/customers/1").json()["company"] == "Initech"
        assert other.get("/api/v1/customers/2").status_code == 404
        unknown = other.post("/api/v1/invoices", json={**PAGE_EXAMPLE, "customer_id": 2})
        assert (unknown.status_code, unknown.json()["field"]) == (422, "customer_id")
        by_customer = other.get("/api/v1/invoices", params={"customer_id": 1}).json()["data"]
        assert [invoice["id"] for invoice in by_customer] == ["INITECH-0001"]
        created = other.get("/api/v1/events", params={"type": "customer.created"}).json()["data"]
        assert [event["data"]["id"] for event in created] == [1]
    assert client.get("/api/v1/customers/1").json()["company"] == "Acme Corp"
    assert client.get("/api/v1/invoices", params={"customer_id": 1}).json()["data"] == []


def test_the_migration_numbers_existing_customers_per_account_in_the_order_made(db_url, monkeypatch):
    names = [step.__name__ for step in migrations.MIGRATIONS]
    before = names.index("m012_customer_numbers")
    db = open_database(db_url)
    try:
        monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        migrations.migrate(db)
        with db.write() as tx:
            accounts = [tx.insert("accounts", {"email": f"{n}@example.com", "created_at": "2026-01-01T00:00:00Z"})["id"]
                        for n in range(2)]
            for n, account in enumerate([accounts[0], accounts[1], accounts[0], accounts[0], accounts[1]]):
                tx.insert("customers", {"account_id": account, "code": f"C{n}", "fields": "{}",
                                        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})
        monkeypatch.undo()
        assert migrations.migrate(db) == names[before:]
        with db.read() as tx:
            numbered = tx.all("SELECT account_id, code, number FROM customers ORDER BY id")
        assert [(row["code"], row["number"]) for row in numbered] == [("C0", 1), ("C1", 1), ("C2", 2), ("C3", 3),
                                                                       ("C4", 2)]
        with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation)), db.write() as tx:
            tx.run("UPDATE customers SET number = 1 WHERE code = 'C2'")
    finally:
        db.close()
