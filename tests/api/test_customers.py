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
