"""What the contract promises on either backend: text a backend cannot store is
refused by name, money has 64 bits, and the health checks answer."""

from storage import migrations


def test_a_nul_in_the_body_is_a_400_naming_the_field(client, invoice_body):
    invoice_body["line_items"][0]["description"] = "Design\x00work"
    response = client.post("/api/v1/invoices", json=invoice_body)
    assert response.status_code == 400
    assert response.json()["field"] == "line_items[0].description"
    assert "NUL" in response.json()["error"]


def test_a_nul_in_a_query_is_a_400_and_in_a_path_a_404(client):
    assert client.get("/api/v1/invoices", params={"cursor": "a\x00b"}).json()["field"] == "cursor"
    assert client.get("/api/v1/invoices/ACME-%00").status_code == 404


def test_a_nul_in_a_form_is_refused_on_the_page(anonymous):
    page = anonymous.get("/signup")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = anonymous.post("/signup", data={"csrf": csrf, "email": "a\x00@b.test", "password": "x" * 12})
    assert response.status_code == 400


def test_money_has_64_bits(client, invoice_body):
    """Far above 2^31, where a 32-bit column would overflow, near the exact JSON limit."""
    invoice_body["line_items"] = [{"description": "Ship", "quantity": 9000, "unit_price_cents": 10**12}]
    created = client.post("/api/v1/invoices", json=invoice_body)
    assert created.status_code == 201, created.text
    assert client.get(f"/api/v1/invoices/{created.json()['id']}").json()["total_cents"] == 9 * 10**15


def test_healthz_and_readyz_need_no_key(anonymous):
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    assert anonymous.get("/readyz").json() == {"status": "ready"}


def test_readyz_is_a_503_when_the_schema_is_behind(anonymous, services, monkeypatch):
    monkeypatch.setattr(migrations, "LATEST", "m999_from_the_future")
    response = anonymous.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()) == {"error", "field"} and "migrate" in response.json()["error"]
