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


def test_a_flat_discount_above_the_subtotal_is_refused_not_clamped():
    content = draft(body(discount={"type": "flat", "value_cents": 15001}), today=TODAY)
    with pytest.raises(UnprocessableEntity) as caught:
        check(content)
    assert caught.value.field == "discount" and "15000" in caught.value.message
    assert check(draft(body(discount={"type": "flat", "value_cents": 15000}), today=TODAY)).total == 0


def test_a_line_beyond_the_largest_amount_is_refused_by_its_place():
    huge = {"description": "x", "quantity": 1_000_000, "unit_price_cents": 10**12}
    items = [body()["line_items"][0]] * 3 + [huge]
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(line_items=items), today=TODAY))
    assert caught.value.field == "line_items[3].unit_price_cents"


def test_a_subtotal_beyond_the_largest_amount_is_refused_even_when_discounted_to_nothing():
    # 10 lines of 10^15 each fit on their own; their sum does not, whatever the discount
    line = {"description": "x", "quantity": 1000, "unit_price_cents": 10**12}
    content = draft(body(line_items=[line] * 10, discount={"type": "percent", "value": 100}), today=TODAY)
    with pytest.raises(UnprocessableEntity) as caught:
        check(content)
    assert caught.value.field == "line_items" and str(2**53 - 1) in caught.value.message


def test_per_line_tax_and_its_category_are_kept():
    vat = {"name": "VAT", "rate": Decimal("0"), "category": "AE", "exemption_reason": "Reverse charge"}
    items = [{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax": vat}]
    content = draft(body(line_items=items, tax={"rate": Decimal("20.0"), "category": "S"}), today=TODAY)
    assert content["line_items"][0]["tax"] == {"name": "VAT", "rate": 0, "category": "AE",
                                                "exemption_reason": "Reverse charge"}
    assert content["tax"] == {"name": None, "rate": 20, "category": "S"}
    assert check(content).tax_breakdown[0]["category"] == "AE"


def test_a_tax_written_before_categories_reads_as_it_did():
    assert draft(body(tax={"name": "Sales tax", "rate": 8.875}), today=TODAY)["tax"] == {"name": "Sales tax",
                                                                                        "rate": 8.875}
    assert "tax" not in draft(body(), today=TODAY)["line_items"][0]


@pytest.mark.parametrize(
    ("tax", "field"),
    [
        ({"rate": 0, "category": "S"}, "tax.rate"),
        ({"rate": 5, "category": "Z"}, "tax.rate"),
        ({"rate": 20, "category": "AE", "exemption_reason": "Reverse charge"}, "tax.rate"),
        ({"rate": 0, "category": "E"}, "tax.exemption_reason"),
        ({"rate": 0, "category": "K", "exemption_reason": "  "}, "tax.exemption_reason"),
    ],
)
def test_a_category_that_contradicts_its_rate_or_lacks_a_reason_is_refused(tax, field):
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(tax=tax), today=TODAY))
    assert caught.value.field == field


def test_a_line_tax_problem_names_the_line():
    items = [body()["line_items"][0], {"description": "b", "quantity": 1, "unit_price_cents": 1,
                                        "tax": {"rate": 0, "category": "G"}}]
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(line_items=items), today=TODAY))
    assert caught.value.field == "line_items[1].tax.exemption_reason"


def test_a_credit_line_may_not_turn_its_tax_group_negative():
    items = [{"description": "work", "quantity": 1, "unit_price_cents": 10000, "tax": {"rate": 20}},
             {"description": "credit", "quantity": 1, "unit_price_cents": -500, "tax": {"rate": 7}}]
    with pytest.raises(UnprocessableEntity) as caught:
        check(draft(body(line_items=items), today=TODAY))
    assert caught.value.field == "line_items" and "VAT category S at 7%" in caught.value.message
