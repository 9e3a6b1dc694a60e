"""Cursor pagination: newest first, stable while invoices are being created."""


def walk(client, url, limit):
    seen, cursor = [], None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params=params).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_lists_are_newest_first_and_every_item_appears_once(client, create):
    numbers = [create()["id"] for _ in range(7)]
    assert walk(client, "/api/v1/invoices", 3) == list(reversed(numbers))


def test_inserts_between_pages_do_not_shift_or_repeat_items(client, create):
    numbers = [create()["id"] for _ in range(4)]
    first = client.get("/api/v1/invoices", params={"limit": 2}).json()
    create()
    second = client.get("/api/v1/invoices", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["data"] + second["data"]] == list(reversed(numbers))


def test_the_default_page_holds_twenty(client, create):
    for _ in range(21):
        create()
    page = client.get("/api/v1/invoices").json()
    assert len(page["data"]) == 20 and page["next_cursor"]


def test_limit_is_between_1_and_100(client):
    for limit in (0, 101, -1):
        response = client.get("/api/v1/invoices", params={"limit": limit})
        assert (response.status_code, response.json()["field"]) == (400, "limit")
    assert client.get("/api/v1/invoices", params={"limit": 100}).status_code == 200


def test_filters_by_status_and_customer(client, create):
    acme = create()
    create(recipient={"company": "Globex"})
    client.post("/api/v1/invoices/ACME-0001/send")
    assert [i["id"] for i in client.get("/api/v1/invoices", params={"status": "sent"}).json()["data"]] == ["ACME-0001"]
    by_customer = client.get("/api/v1/invoices", params={"customer_id": acme["customer_id"]}).json()["data"]
    assert [i["id"] for i in by_customer] == ["ACME-0001"]


def test_customers_paginate_too(client):
    for company in ("Alpha", "Beta", "Gamma"):
        client.post("/api/v1/customers", json={"company": company})
    assert len(walk(client, "/api/v1/customers", 2)) == 3


def test_a_cursor_we_did_not_issue_is_a_400_on_cursor(client):
    for cursor in ("garbage", "x" * 200, "aW52b2ljZXM6OTk5OmZvcmdlZA"):
        response = client.get("/api/v1/invoices", params={"cursor": cursor})
        assert (response.status_code, response.json()["field"]) == (400, "cursor")


HEAVY_LINES = [{"description": "x" * 1000, "quantity": 1, "unit_price_cents": 1} for _ in range(500)]


def test_a_page_of_heavy_invoices_stops_at_its_budget_and_its_cursor_leads_on(client, create):
    """A hundred invoices of 500 lines of 1,000 characters once made a 55 MB page."""
    numbers = [create(line_items=HEAVY_LINES)["id"] for _ in range(6)]
    page = client.get("/api/v1/invoices", params={"limit": 100})
    shown = page.json()["data"]
    assert 1 <= len(shown) < 6 and page.json()["next_cursor"], "fewer than the limit, and more to come"
    assert len(page.content) < 3_000_000
    assert walk(client, "/api/v1/invoices", 100) == list(reversed(numbers)), "each once, in order"


def test_one_invoice_larger_than_the_budget_still_fills_a_page_alone(client, create, monkeypatch):
    from storage import invoices

    monkeypatch.setattr(invoices, "PAGE_CONTENT_BUDGET", 10)
    numbers = [create()["id"] for _ in range(3)]
    first = client.get("/api/v1/invoices", params={"limit": 100}).json()
    assert [item["id"] for item in first["data"]] == [numbers[-1]] and first["next_cursor"]
    assert walk(client, "/api/v1/invoices", 100) == list(reversed(numbers))
