"""Credit notes: what they credit, at which tax, and never more than the invoice."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.credit_notes import draft, ensure_creditable
from billing.errors import Conflict, UnprocessableEntity
from billing.totals import compute_totals

VAT20 = {"name": "VAT", "rate": 20}
VAT7 = {"name": "VAT", "rate": 7}


def line(unit_price_cents, tax=None, quantity=1, description="Work"):
    item = {"description": description, "quantity": quantity, "unit_price_cents": unit_price_cents}
    return {**item, "tax": tax} if tax else item


def invoice(items=None, discount=None, tax=VAT20):
    return {"id": "ACME-0001", "currency": "EUR", "line_items": items or [line(10000), line(5000, VAT7)],
            "discount": discount, "tax": tax}


def total_of(content):
    return compute_totals(content["line_items"], content["discount"], content["tax"]).total


@pytest.mark.parametrize("discount", [None, {"type": "percent", "value": 10}, {"type": "flat", "value_cents": 999}])
def test_without_lines_the_whole_invoice_is_credited(discount):
    original = invoice(discount=discount)
    note = draft(original, {"reason": "Cancelled"})
    assert note["total_cents"] == total_of(original)
    assert [item["tax"] for item in note["line_items"]] == [VAT20, VAT7]
    assert note["invoice"] == "ACME-0001" and note["currency"] == "EUR" and note["reason"] == "Cancelled"


def test_given_lines_take_the_invoice_tax_unless_they_have_their_own():
    note = draft(invoice(), {"reason": "Refund", "line_items": [line(1000), line(100, VAT7)]})
    assert [item["tax"] for item in note["line_items"]] == [VAT20, VAT7]
    assert (note["subtotal_cents"], note["tax_cents"], note["total_cents"]) == (1100, 207, 1307)
    assert [group["rate"] for group in note["tax_breakdown"]] == [20, 7]


def test_a_percent_discount_applies_to_given_lines_a_flat_one_does_not():
    percent = draft(invoice(discount={"type": "percent", "value": 10}), {"reason": "r", "line_items": [line(1000)]})
    flat = draft(invoice(discount={"type": "flat", "value_cents": 500}), {"reason": "r", "line_items": [line(1000)]})
    assert (percent["discount_cents"], flat["discount_cents"]) == (100, 0)


def test_the_credited_total_never_exceeds_what_is_left():
    original = invoice()
    draft(original, {"reason": "r", "line_items": [line(10000)]}, credited_cents=total_of(original) - 12000)
    with pytest.raises(UnprocessableEntity) as caught:
        draft(original, {"reason": "r", "line_items": [line(10000)]}, credited_cents=total_of(original) - 11999)
    assert caught.value.field == "line_items" and "already credited" in caught.value.message
    with pytest.raises(UnprocessableEntity):
        draft(original, {"reason": "again"}, credited_cents=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "r", "line_items": [line(0)]}, "line_items[0].unit_price_cents"),
        ({"reason": "r", "line_items": [line(100), line(-5)]}, "line_items[1].unit_price_cents"),
        ({"reason": "r", "line_items": [line(100, {"rate": 0, "category": "AE"})]}, "line_items[0].tax.exemption_reason"),
    ],
)
def test_bad_bodies_are_refused_by_field(body, field):
    with pytest.raises(UnprocessableEntity) as caught:
        draft(invoice(), body)
    assert caught.value.field == field


@pytest.mark.parametrize("status", ["sent", "viewed", "changes_requested", "approved", "paid"])
def test_sent_invoices_can_be_credited(status):
    ensure_creditable(status, "ACME-0001")


@pytest.mark.parametrize("status", ["draft", "void"])
def test_drafts_and_void_invoices_cannot(status):
    with pytest.raises(Conflict) as caught:
        ensure_creditable(status, "ACME-0001")
    assert status in caught.value.message


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=8), st.lists(st.integers(1, 10**9), max_size=8),
       st.sampled_from([None, {"type": "percent", "value": 15}, {"type": "flat", "value_cents": 1}]))
def test_credit_notes_add_up_to_at_most_the_invoice(prices, credits, discount):
    original = invoice([line(p, VAT7 if i % 2 else None) for i, p in enumerate(prices)], discount=discount)
    credited = 0
    for price in credits:
        try:
            credited += draft(original, {"reason": "r", "line_items": [line(price)]}, credited_cents=credited)[
                "total_cents"]
        except UnprocessableEntity:
            pass
    assert 0 <= credited <= total_of(original)
