"""Totals with several VAT rates: groups, shared discounts, the breakdown."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.labels import tax_group_label
from billing.totals import compute_totals, flat_shares

VAT20 = {"name": "VAT", "rate": 20}
VAT7 = {"name": "VAT", "rate": 7}
EXEMPT = {"name": "VAT", "rate": 0, "category": "E", "exemption_reason": "Exempt under Article 132"}


def line(unit_price_cents, tax=None, quantity=1):
    item = {"description": "x", "quantity": quantity, "unit_price_cents": unit_price_cents}
    return {**item, "tax": tax} if tax else item


def half_up(value: Fraction) -> int:
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def test_lines_are_grouped_by_category_and_rate_in_order_of_appearance():
    totals = compute_totals([line(1000, VAT7), line(5000), line(2000, VAT7), line(300, EXEMPT)], tax=VAT20)
    assert totals.tax_breakdown == [
        {"category": "S", "rate": 7, "taxable_cents": 3000, "tax_cents": 210, "exemption_reason": None},
        {"category": "S", "rate": 20, "taxable_cents": 5000, "tax_cents": 1000, "exemption_reason": None},
        {"category": "E", "rate": 0, "taxable_cents": 300, "tax_cents": 0,
         "exemption_reason": "Exempt under Article 132"},
    ]
    assert (totals.subtotal, totals.tax, totals.total) == (8300, 1210, 9510)


def test_a_tax_without_category_is_standard_above_zero_and_zero_rated_at_zero():
    totals = compute_totals([line(100, {"rate": 0}), line(100, {"rate": 5.5})])
    assert [(g["category"], g["rate"]) for g in totals.tax_breakdown] == [("Z", 0), ("S", 5.5)]


def test_the_same_rate_in_two_categories_makes_two_groups():
    reverse = {"rate": 0, "category": "AE", "exemption_reason": "Reverse charge"}
    totals = compute_totals([line(100, reverse), line(100, {"rate": 0})])
    assert [g["category"] for g in totals.tax_breakdown] == ["AE", "Z"]


def test_equal_rates_written_differently_are_one_group():
    totals = compute_totals([line(100, {"rate": Decimal("8.5")}), line(100, {"rate": Decimal("8.50")})])
    assert len(totals.breakdown) == 1


def test_percent_discount_is_taken_from_each_group():
    # 10% of 3333 = 333.3 → 333; 10% of 5 = 0.5 → 1
    totals = compute_totals([line(3333, VAT20), line(5, VAT7)], discount={"type": "percent", "value": 10})
    assert [(g.discount, g.taxable, g.tax) for g in totals.breakdown] == [(333, 3000, 600), (1, 4, 0)]
    assert totals.discount == 334


def test_flat_discount_is_shared_in_proportion_and_adds_up_exactly():
    # 100 over 1/3 each: 33.33 → 33 three times, the cent left over goes to the largest (first) group
    items = [line(1000, VAT20), line(1000, VAT7), line(1000, EXEMPT)]
    totals = compute_totals(items, discount={"type": "flat", "value_cents": 100})
    assert [g.discount for g in totals.breakdown] == [34, 33, 33]
    assert totals.discount == 100


def test_flat_discount_overdrawn_cents_come_back_from_the_largest_group():
    # 3 over 1:1:2 → 0.75, 0.75, 1.5 → 1, 1, 2 = 4; the overdrawn cent comes back from the largest
    assert flat_shares([100, 100, 200], 3) == [1, 1, 1]


def test_tax_is_on_each_groups_discounted_amount():
    totals = compute_totals([line(10000, VAT20), line(10000, VAT7)], discount={"type": "flat", "value_cents": 2000})
    assert [(g.taxable, g.tax) for g in totals.breakdown] == [(9000, 1800), (9000, 630)]
    assert totals.total == 20000 - 2000 + 2430


def test_no_tax_at_all_has_no_breakdown():
    assert compute_totals([line(100)]).breakdown == ()


def test_one_tax_has_one_group():
    totals = compute_totals([line(100), line(200)], tax={"name": "Sales tax", "rate": 0})
    assert totals.tax_breakdown == [
        {"category": "Z", "rate": 0, "taxable_cents": 300, "tax_cents": 0, "exemption_reason": None}]


def test_lines_without_tax_beside_taxed_lines_show_as_a_group_without_category():
    totals = compute_totals([line(100), line(200, VAT20)])
    assert [(g["category"], g["taxable_cents"]) for g in totals.tax_breakdown] == [(None, 100), ("S", 200)]


@pytest.mark.parametrize("shares", [[0, 0], [5], [1, 1, 1, 1]])
def test_flat_shares_of_nothing_are_nothing(shares):
    assert flat_shares(shares, 0) == [0] * len(shares)


def test_credit_groups_take_no_share_of_a_flat_discount():
    assert flat_shares([1000, -200], 500) == [500, 0]


# --- properties -------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**13)
group_subtotals = st.lists(amounts, min_size=1, max_size=12)


@settings(max_examples=500, deadline=None)
@given(group_subtotals, st.data())
def test_flat_shares_always_add_up_exactly_and_stay_in_bounds(subtotals, data):
    flat = data.draw(st.integers(min_value=0, max_value=sum(subtotals)))
    shares = flat_shares(subtotals, flat)
    assert sum(shares) == flat
    assert all(0 <= share <= amount for share, amount in zip(shares, subtotals, strict=True))


@settings(max_examples=300, deadline=None)
@given(group_subtotals, st.data())
def test_flat_shares_are_the_rounded_proportions_and_the_largest_group_takes_the_rest(subtotals, data):
    flat = data.draw(st.integers(min_value=0, max_value=sum(subtotals)))
    whole = sum(subtotals)
    rounded = [half_up(Fraction(flat * amount, whole)) if whole else 0 for amount in subtotals]
    largest = max(range(len(subtotals)), key=lambda i: subtotals[i])
    rest = flat - sum(rounded)
    if 0 <= rounded[largest] + rest <= subtotals[largest]:
        expected = rounded[:largest] + [rounded[largest] + rest] + rounded[largest + 1:]
        assert flat_shares(subtotals, flat) == expected


rates = st.sampled_from([0, 5, 7, Decimal("8.875"), 10, Decimal("19.6"), 20, 21, 25, 100])
categories_of = {0: ["Z", "E", "AE", "K", "G", "O"]}
quantities = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(1_000_000), places=6)


@st.composite
def taxes(draw):
    rate = draw(rates)
    if rate == 0:
        category = draw(st.sampled_from(categories_of[0]))
        return {"rate": 0, "category": category, "exemption_reason": None if category == "Z" else "Exempt"}
    return {"rate": rate, "category": draw(st.sampled_from(["S", None]))}


lines = st.lists(
    st.fixed_dictionaries({"description": st.just("x"), "quantity": quantities,
                           "unit_price_cents": st.integers(0, 10**9)},
                          optional={"tax": taxes()}),
    min_size=1, max_size=15,
)
discounts = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.just("percent"),
                           "value": st.decimals(min_value=Decimal("0.0001"), max_value=100, places=4)}),
    st.fixed_dictionaries({"type": st.just("flat"), "value_cents": st.integers(0, 10**15)}),
)


@settings(max_examples=300, deadline=None)
@given(lines, discounts, st.one_of(st.none(), taxes()))
def test_groups_add_up_to_the_totals_and_nothing_is_negative_or_above_the_subtotal(items, discount, tax):
    if discount and discount["type"] == "flat":
        discount = {**discount, "value_cents": discount["value_cents"] % (sum_of(items) + 1)}
    totals = compute_totals(items, discount, tax)
    assert 0 <= totals.discount <= totals.subtotal
    assert totals.tax >= 0 and totals.total >= 0
    if discount and discount["type"] == "flat":
        assert totals.discount == discount["value_cents"]
    for group in totals.breakdown:
        assert 0 <= group.discount <= group.subtotal
        assert group.tax == half_up(Fraction(group.taxable) * Fraction(group.rate) / 100)
    if totals.breakdown:
        assert sum(g.subtotal for g in totals.breakdown) == totals.subtotal
        assert sum(g.discount for g in totals.breakdown) == totals.discount
        assert sum(g.tax for g in totals.breakdown) == totals.tax
    assert totals.total == totals.subtotal - totals.discount + totals.tax


def sum_of(items):
    return compute_totals(items).subtotal


@settings(max_examples=300, deadline=None)
@given(lines, discounts, taxes())
def test_one_group_is_exactly_the_single_rate_rule(items, discount, tax):
    same = [{k: v for k, v in item.items() if k != "tax"} for item in items]
    totals = compute_totals(same, discount, tax)
    subtotal = totals.subtotal
    if discount is None:
        expected_discount = 0
    elif discount["type"] == "flat":
        expected_discount = max(0, min(discount["value_cents"], subtotal))
    else:
        expected_discount = max(0, min(half_up(Fraction(subtotal) * Fraction(discount["value"]) / 100), subtotal))
    expected_tax = half_up(Fraction(subtotal - expected_discount) * Fraction(tax["rate"]) / 100)
    assert (totals.discount, totals.tax) == (expected_discount, expected_tax)
    assert len(totals.breakdown) == 1
    assert totals.breakdown[0].taxable == subtotal - expected_discount


@pytest.mark.parametrize(
    ("category", "rate", "label"),
    [("S", 19, "Tax 19%"), ("S", Decimal("8.875"), "Tax 8.875%"), ("Z", 0, "Zero rated (0%)"),
     ("AE", 0, "Reverse charge"), ("O", 0, "Outside the scope of VAT"), (None, 0, "No tax")],
)
def test_breakdown_rows_have_labels_for_people(category, rate, label):
    assert tax_group_label({"category": category, "rate": rate}) == label
