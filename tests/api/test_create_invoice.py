"""POST /api/v1/invoices: the page's example, numbering, customers, totals."""

import re

from app import threads
from tests.api.test_auth_and_isolation import CountingPool, last_use_recorded
from tests.backends import ON_POSTGRES
from tests.conftest import PUBLIC_URL


def test_the_pages_curl_example_creates_acme_0001(client, invoice_body):
    response = client.post("/api/v1/invoices", json=invoice_body)
    assert response.status_code == 201
    invoice = response.json()
    assert invoice["id"] == "ACME-0001"
    assert invoice["status"] == "draft"
    assert invoice["total_cents"] == 250000
    assert invoice["line_items"][0]["amount_cents"] == 250000
    assert invoice["share_url"] == f"{PUBLIC_URL}/i/{invoice['share_token']}"
    assert len(invoice["share_token"]) >= 22  # at least 128 random bits
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", invoice["created_at"])
    assert response.headers["location"] == "/api/v1/invoices/ACME-0001"


def test_the_second_invoice_for_a_customer_is_acme_0002(create):
    assert [create()["id"], create()["id"]] == ["ACME-0001", "ACME-0002"]


def test_a_past_due_date_makes_the_issue_date_that_day(create):
    assert create(due_date="2020-01-31")["issue_date"] == "2020-01-31"


def test_customers_are_matched_by_company_ignoring_case(create, client):
    first = create()
    second = create(recipient={"company": "  ACME corp ", "email": "other@acme.com"})
    assert second["id"] == "ACME-0002"
    assert second["customer_id"] == first["customer_id"]
    assert len(client.get("/api/v1/customers").json()["data"]) == 1


def test_a_different_company_with_the_same_first_word_gets_its_own_code(create):
    create()
    assert create(recipient={"company": "Acme Industries"})["id"] == "ACME2-0001"


def test_an_email_only_recipient_is_coded_by_domain_and_matched_by_email(create):
    first = create(recipient={"email": "ap@globex.io"})
    second = create(recipient={"email": "AP@globex.io"})
    assert (first["id"], second["id"]) == ("GLOBEX-0001", "GLOBEX-0002")


def test_customer_id_alone_fills_the_recipient_from_the_customer(client, invoice_body):
    customer = client.post("/api/v1/customers", json={
        "company": "Initech", "contact": {"name": "Bill", "email": "bill@initech.com"},
        "address": {"line1": "1 Office Park", "city": "Austin"}, "tax_id": "US-99",
    }).json()
    del invoice_body["recipient"]
    response = client.post("/api/v1/invoices", json={**invoice_body, "customer_id": customer["id"]})
    assert response.status_code == 201, response.text
    invoice = response.json()
    assert invoice["id"] == "INITECH-0001"
    assert invoice["recipient"]["company"] == "Initech"
    assert invoice["recipient"]["email"] == "bill@initech.com"
    assert invoice["recipient"]["address"]["city"] == "Austin"
    assert invoice["recipient"]["tax_id"] == "US-99"


def test_another_accounts_customer_id_is_unprocessable(client, app, other_auth, invoice_body):
    from starlette.testclient import TestClient

    with TestClient(app, headers=other_auth) as other:
        theirs = other.post("/api/v1/customers", json={"company": "Theirs"}).json()
    response = client.post("/api/v1/invoices", json={**invoice_body, "customer_id": theirs["id"]})
    assert response.status_code == 422
    assert response.json()["field"] == "customer_id"


def test_hours_discount_and_tax_are_computed_half_up(create):
    invoice = create(
        line_items=[
            {"description": "Consulting", "quantity": 1.5, "unit_price_cents": 333},
            {"description": "Odd quantity", "quantity": 1.005, "unit_price_cents": 100},
        ],
        discount={"type": "percent", "value": 10},
        tax={"name": "Sales tax", "rate": 8.875},
    )
    assert [line["amount_cents"] for line in invoice["line_items"]] == [500, 101]
    assert [line["quantity"] for line in invoice["line_items"]] == [1.5, 1.005]
    assert (invoice["subtotal_cents"], invoice["discount_cents"], invoice["tax_cents"], invoice["total_cents"]) == (601, 60, 48, 589)
    assert invoice["tax"] == {"name": "Sales tax", "rate": 8.875}


def test_yen_amounts_have_no_minor_unit(create):
    invoice = create(currency="JPY", line_items=[{"description": "Design", "quantity": 3, "unit_price_cents": 2500}])
    assert (invoice["currency"], invoice["total_cents"]) == ("JPY", 7500)


def test_currency_codes_are_accepted_in_lower_case(create):
    assert create(currency="eur")["currency"] == "EUR"


def test_an_unknown_currency_is_unprocessable(client, invoice_body):
    response = client.post("/api/v1/invoices", json={**invoice_body, "currency": "XYZ"})
    assert (response.status_code, response.json()["field"]) == (422, "currency")


def test_an_issue_date_after_the_due_date_is_unprocessable(client, invoice_body):
    response = client.post("/api/v1/invoices", json={**invoice_body, "issue_date": "2026-07-01"})
    assert (response.status_code, response.json()["field"]) == (422, "issue_date")


def test_a_typo_in_a_field_name_is_refused_not_ignored(client, invoice_body):
    invoice_body["line_items"][0]["unit_price"] = invoice_body["line_items"][0].pop("unit_price_cents")
    response = client.post("/api/v1/invoices", json=invoice_body)
    assert response.status_code == 400
    assert response.json()["field"] == "line_items[0].unit_price"
    assert "unit_price_cents" in response.json()["error"]
    assert client.get("/api/v1/invoices").json()["data"] == [], "nothing was created"


def test_read_only_fields_say_how_to_change_them(client, invoice_body):
    response = client.post("/api/v1/invoices", json={**invoice_body, "status": "paid"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "status is read-only; change it with send_invoice, void_invoice or mark_invoice_paid (POST /api/v1/invoices/{number}/send, /void or /mark-paid).",
        "field": "status",
    }


def test_five_hundred_lines_are_fine_and_five_hundred_and_one_are_not(client, invoice_body):
    lines = [{"description": f"Line {n}", "quantity": 1, "unit_price_cents": 100} for n in range(501)]
    assert client.post("/api/v1/invoices", json={**invoice_body, "line_items": lines[:500]}).json()["total_cents"] == 50000
    response = client.post("/api/v1/invoices", json={**invoice_body, "line_items": lines})
    assert (response.status_code, response.json()["field"]) == (400, "line_items")


def test_credit_lines_reduce_the_total_but_not_below_zero(client, create, invoice_body):
    invoice = create(line_items=[
        {"description": "Work", "quantity": 1, "unit_price_cents": 10000},
        {"description": "Credit", "quantity": 1, "unit_price_cents": -2500},
    ])
    assert invoice["total_cents"] == 7500
    response = client.post("/api/v1/invoices", json={**invoice_body, "line_items": [
        {"description": "Credit", "quantity": 1, "unit_price_cents": -2500}]})
    assert (response.status_code, response.json()["field"]) == (422, "line_items")


def test_text_is_stored_exactly(create):
    text = "Café «déjà vu» — 10% off 🎉 <script>alert(1)</script>\n second line"
    invoice = create(footer_note=text, recipient={"company": "Ünïcode GmbH", "name": text})
    assert invoice["footer_note"] == text and invoice["recipient"]["name"] == text
    assert invoice["id"] == "UNICODE-0001"


def test_a_create_runs_on_the_event_loop_on_sqlite_unless_its_body_is_big(client, services, invoice_body,
                                                                         monkeypatch):
    """Its SQL takes microseconds there: only its commit goes to a thread, the committer's,
    not a worker's. A body too big to be checked on the event loop is worked on a worker
    thread, as is every create on PostgreSQL, its key looked up there too (a round trip each),
    but for a body too big to be checked before its key is known."""
    assert client.post("/api/v1/invoices", json=invoice_body).status_code == 201
    assert last_use_recorded(services), "else a create below records it, on a hop of its own"
    pool = CountingPool(threads._pool)
    monkeypatch.setattr(threads, "_pool", pool)
    assert client.post("/api/v1/invoices", json=invoice_body).status_code == 201
    small = pool.sent
    line = {"description": "x" * 200, "quantity": 1, "unit_price_cents": 1}
    assert client.post("/api/v1/invoices", json={**invoice_body, "line_items": [line] * 400}).status_code == 201
    assert (small, pool.sent - small) == ((1, 3) if ON_POSTGRES else (0, 2))  # a big body: (its key,) its check, its work
