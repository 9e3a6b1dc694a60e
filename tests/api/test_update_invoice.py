"""PATCH /api/v1/invoices/{number} and the status actions."""


def test_patch_changes_given_fields_and_counts_a_version(client, create):
    create()
    response = client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "PO-7781", "due_date": "2026-07-01"})
    assert response.status_code == 200
    invoice = response.json()
    assert (invoice["po_number"], invoice["due_date"], invoice["version"]) == ("PO-7781", "2026-07-01", 2)
    assert client.get("/api/v1/invoices/ACME-0001").json() == invoice


def test_patch_merges_recipient_fields(client, create):
    create()
    invoice = client.patch("/api/v1/invoices/ACME-0001", json={"recipient": {"tax_id": "DE123", "email": None}}).json()
    assert invoice["recipient"]["company"] == "Acme Corp"
    assert invoice["recipient"]["tax_id"] == "DE123"
    assert invoice["recipient"]["email"] is None


def test_patch_replaces_line_items_and_recomputes_totals(client, create):
    create()
    invoice = client.patch("/api/v1/invoices/ACME-0001", json={
        "line_items": [{"description": "Hours", "quantity": 2.5, "unit_price_cents": 10001}],
        "tax": {"rate": 20},
    }).json()
    assert (invoice["subtotal_cents"], invoice["tax_cents"], invoice["total_cents"]) == (25003, 5001, 30004)


def test_a_patch_that_changes_nothing_is_not_a_version(client, create):
    create()
    assert client.patch("/api/v1/invoices/ACME-0001", json={"currency": "USD"}).json()["version"] == 1


def test_a_due_date_before_the_issue_date_is_unprocessable(client, create):
    create(issue_date="2026-05-01")
    response = client.patch("/api/v1/invoices/ACME-0001", json={"due_date": "2026-04-01"})
    assert (response.status_code, response.json()["field"]) == (422, "due_date")


def test_the_customer_cannot_be_changed(client, create):
    create()
    response = client.patch("/api/v1/invoices/ACME-0001", json={"customer_id": 2})
    assert (response.status_code, response.json()["field"]) == (400, "customer_id")
    assert "create a new invoice" in response.json()["error"]


def test_invoice_numbers_are_case_insensitive_in_paths(client, create):
    create()
    assert client.get("/api/v1/invoices/acme-0001").json()["id"] == "ACME-0001"


def test_send_sets_sent_at_and_sending_twice_conflicts(client, create):
    create()
    sent = client.post("/api/v1/invoices/ACME-0001/send").json()
    assert sent["status"] == "sent" and sent["sent_at"] is not None
    again = client.post("/api/v1/invoices/ACME-0001/send")
    assert again.status_code == 409
    assert "sent" in again.json()["error"]


def test_paid_invoices_are_locked(client, create):
    create()
    paid = client.post("/api/v1/invoices/ACME-0001/mark-paid").json()
    assert paid["status"] == "paid" and paid["paid_at"] is not None
    response = client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "late"})
    assert response.status_code == 409
    assert "locked" in response.json()["error"]
    void = client.post("/api/v1/invoices/ACME-0001/void")
    assert void.status_code == 409
    assert "paid" in void.json()["error"] and "void" in void.json()["error"]


def test_void_invoices_are_locked(client, create):
    create()
    assert client.post("/api/v1/invoices/ACME-0001/void").json()["voided_at"] is not None
    assert client.patch("/api/v1/invoices/ACME-0001", json={"po_number": "x"}).status_code == 409
    assert client.post("/api/v1/invoices/ACME-0001/mark-paid").status_code == 409


def test_status_actions_on_unknown_invoices_are_404(client):
    for action in ("send", "void", "mark-paid"):
        assert client.post(f"/api/v1/invoices/NOPE-0001/{action}").status_code == 404
