"""The dashboard's totals of what is owed: outstanding and overdue, per currency."""

import re
from datetime import UTC, datetime

from tests.conftest import PAGE_EXAMPLE
from tests.web.conftest import mint


def _invoice(client, key, **changes):
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post("/api/v1/invoices", json={**PAGE_EXAMPLE, **changes}, headers=headers)
    assert response.status_code == 201
    number = response.json()["id"]
    assert client.post(f"/api/v1/invoices/{number}/send", headers=headers).status_code == 200
    return number


def _row(page: str, currency: str) -> tuple[str, str]:
    row = re.search(rf'<tr data-currency="{currency}">(.*?)</tr>', page, re.S).group(1)
    return (re.search(r"data-outstanding>([^<]+)<", row).group(1), re.search(r"data-overdue>([^<]+)<", row).group(1))


def test_outstanding_and_overdue_totals_per_currency(verified, services):
    services.clock.freeze(datetime(2026, 6, 10, 12, 0, tzinfo=UTC))
    try:
        _, key = mint(verified)
        headers = {"Authorization": f"Bearer {key}"}
        late = _invoice(verified, key, due_date="2026-06-01")            # $2,500.00, overdue
        _invoice(verified, key, due_date="2026-07-01")                   # $2,500.00, not yet due
        verified.post(f"/api/v1/invoices/{late}/payments", json={"amount_cents": 100000, "method": "card"},
                      headers=headers)                                    # $1,500.00 left, still overdue
        paid = _invoice(verified, key, due_date="2026-05-01")
        verified.post(f"/api/v1/invoices/{paid}/mark-paid", headers=headers)
        void = _invoice(verified, key, due_date="2026-05-01")
        verified.post(f"/api/v1/invoices/{void}/void", headers=headers)
        _invoice(verified, key, currency="EUR", due_date="2026-06-09")   # €2,500.00, overdue
        page = verified.get("/dashboard").text
    finally:
        services.clock.freeze(None)
    assert "Owed to you" in page
    assert _row(page, "USD") == ("$4,000.00", "$1,500.00")
    assert _row(page, "EUR") == ("€2,500.00", "€2,500.00")


def test_nothing_owed_says_so(signed_in):
    assert "Nothing is owed to you right now." in signed_in.get("/dashboard").text
