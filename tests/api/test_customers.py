"""Customers: codes, duplicates, and what invoices inherit from them."""


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
