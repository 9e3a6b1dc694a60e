"""preview_invoice: the invoice a create would make, with nothing stored."""


def test_a_preview_is_what_the_create_then_gives_and_stores_nothing(client, invoice_body):
    invoice_body["line_items"][0]["quantity"] = 1.5
    invoice_body["tax"] = {"name": "Sales tax", "rate": 8.875}
    preview = client.post("/api/v1/invoices/preview", json=invoice_body)
    assert preview.status_code == 200, preview.text
    assert client.get("/api/v1/invoices").json()["data"] == [], "nothing stored"
    assert client.get("/api/v1/customers").json()["data"] == [], "no customer made"
    created = client.post("/api/v1/invoices", json=invoice_body).json()
    shown = preview.json()
    assert shown["id"] == created["id"] == "ACME-0001", "no number taken"
    assert shown["share_token"] == "preview"
    for name in ("subtotal_cents", "tax_cents", "total_cents", "tax_breakdown", "line_items", "recipient"):
        assert shown[name] == created[name], name


def test_a_preview_refuses_what_a_create_refuses(client, invoice_body):
    invoice_body["issue_date"] = "2027-01-01"
    response = client.post("/api/v1/invoices/preview", json=invoice_body)
    assert response.status_code == 422 and response.json()["field"] == "issue_date"
