from datetime import date
from decimal import Decimal

import pytest

from billing.errors import UnprocessableEntity
from billing.invoices import check, draft, patched

TODAY = date(2026, 5, 1)


def body(**changes):
    return {
        "due_date": "2026-06-01",
        "recipient": {"company": "Acme Corp"},
        "line_items": [{"description": "Design", "quantity": Decimal("1.5"), "unit_price_cents": 10000}],
        **changes,
    }


def test_defaults_currency_usd_and_issue_date_today():
    content = draft(body(), today=TODAY)
    assert content["currency"] == "USD"
    assert content["issue_date"] == "2026-05-01"
    assert content["discount"] is None and content["tax"] is None and content["po_number"] is None


def test_issue_date_defaults_to_the_due_date_when_that_is_earlier():
    assert draft(body(due_date="2026-01-15"), today=TODAY)["issue_date"] == "2026-01-15"


def test_quantities_are_stored_as_exact_json_numbers():
    content = draft(body(line_items=[{"description": "a", "quantity": Decimal("1.005"), "unit_price_cents": 1}]), today=TODAY)
    assert content["line_items"][0]["quantity"] == 1.005
    assert draft(body(), today=TODAY)["line_items"][0]["quantity"] == 1.5
    whole = draft(body(line_items=[{"description": "a", "quantity": Decimal("2.0"), "unit_price_cents": 1}]), today=TODAY)
    assert whole["line_items"][0]["quantity"] == 2 and isinstance(whole["line_items"][0]["quantity"], int)


def test_currency_is_upper_cased():
    assert draft(body(currency="eur"), today=TODAY)["currency"] == "EUR"


def test_explicit_issue_date_after_due_date_is_unprocessable():
    content = draft(body(issue_date="2026-07-01"), today=TODAY)
    with pytest.raises(UnprocessableEntity) as caught:
        check(content)
    assert caught.value.field == "issue_date"


def test_unknown_currency_is_unprocessable():
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(currency="XYZ"), today=TODAY))
    assert caught.value.field == "currency"


def test_a_negative_subtotal_is_refused():
    items = [{"description": "credit", "quantity": 1, "unit_price_cents": -100}]
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(line_items=items), today=TODAY))
    assert caught.value.field == "line_items"


def test_totals_beyond_what_javascript_reads_exactly_are_refused():
    items = [{"description": "big", "quantity": 1000000, "unit_price_cents": 10**12}] * 10
    with pytest.raises(UnprocessableEntity):
        check(draft(body(line_items=items), today=TODAY))


def test_patch_replaces_fields_but_merges_the_recipient():
    content = draft(body(recipient={"company": "Acme Corp", "email": "ap@acme.com"}), today=TODAY)
    updated = patched(content, {"recipient": {"tax_id": "DE123", "email": None}, "po_number": "PO-1"})
    assert updated["recipient"]["company"] == "Acme Corp"
    assert updated["recipient"]["tax_id"] == "DE123"
    assert updated["recipient"]["email"] is None
    assert updated["po_number"] == "PO-1"
    assert content["po_number"] is None, "the original is not modified"


def test_a_recipient_needs_a_company_or_an_email():
    content = patched(draft(body(), today=TODAY), {"recipient": {"company": None}})
    with pytest.raises(UnprocessableEntity) as caught:
        check(content)
    assert caught.value.field == "recipient"
