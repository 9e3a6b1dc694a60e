"""The billing math: half-up rounding on exact decimals, discounts, tax."""

from decimal import Decimal

import pytest

from billing.money import format_amount, round_half_up, to_decimal
from billing.totals import compute_totals


def line(quantity, unit_price_cents):
    return {"description": "x", "quantity": quantity, "unit_price_cents": unit_price_cents}


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.5", 1), ("1.5", 2), ("2.5", 3), ("-0.5", -1), ("-2.5", -3), ("2.4999", 2), ("100.5", 101), ("0", 0)],
)
def test_round_half_up_takes_halves_away_from_zero(value, rounded):
    assert round_half_up(Decimal(value)) == rounded


def test_page_example_totals():
    totals = compute_totals([line(1, 250000)])
    assert totals == (totals.__class__((250000,), 250000, 0, 0, 250000))


def test_one_and_a_half_hours_rounds_the_half_cent_up():
    assert compute_totals([line(Decimal("1.5"), 333)]).line_amounts == (500,)  # 499.5


def test_quantity_1_005_is_exact_not_binary_float():
    # As a binary float 1.005 × 100 is 100.49999…; exactly it is 100.5, which rounds to 101.
    assert compute_totals([line(Decimal("1.005"), 100)]).line_amounts == (101,)
    assert compute_totals([line(1.005, 100)]).line_amounts == (101,)  # floats from MCP clients too


def test_tax_rate_with_three_decimals():
    # 10000 × 8.875% = 887.5 → 888
    totals = compute_totals([line(1, 10000)], tax={"rate": Decimal("8.875")})
    assert (totals.tax, totals.total) == (888, 10888)


def test_percent_discount_applies_before_tax():
    # subtotal 601; 10% = 60.1 → 60; taxable 541; 8.875% = 48.01… → 48
    totals = compute_totals(
        [line(Decimal("1.5"), 333), line(Decimal("1.005"), 100)],
        discount={"type": "percent", "value": 10},
        tax={"rate": Decimal("8.875")},
    )
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (601, 60, 48, 589)


def test_percent_discount_rounds_half_up():
    # 12.5% of 100 = 12.5 → 13
    assert compute_totals([line(1, 100)], discount={"type": "percent", "value": Decimal("12.5")}).discount == 13


def test_flat_discount_never_exceeds_the_subtotal():
    totals = compute_totals([line(1, 3000)], discount={"type": "flat", "value_cents": 5000})
    assert (totals.discount, totals.total) == (3000, 0)


def test_tax_is_on_the_discounted_subtotal():
    totals = compute_totals([line(1, 10000)], discount={"type": "flat", "value_cents": 5000}, tax={"rate": 20})
    assert (totals.tax, totals.total) == (1000, 6000)


def test_credit_lines_reduce_the_subtotal():
    assert compute_totals([line(1, 10000), line(1, -2500)]).subtotal == 7500


def test_negative_half_cents_round_away_from_zero():
    assert compute_totals([line(Decimal("0.5"), -3)]).line_amounts == (-2,)  # -1.5 → -2


def test_huge_amounts_stay_exact():
    totals = compute_totals([line(Decimal("999999.999999"), 10**12)])
    assert totals.subtotal == 999999999999000000


def test_floats_become_their_shortest_decimal():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(8.875) == Decimal("8.875")


@pytest.mark.parametrize(
    ("cents", "currency", "text"),
    [(250000, "USD", "$2,500.00"), (2500, "JPY", "¥2,500"), (1250, "KWD", "KWD 1.250"), (-5, "EUR", "-€0.05"),
     (0, "GBP", "£0.00")],
)
def test_amounts_are_formatted_in_the_currencys_minor_units(cents, currency, text):
    assert format_amount(cents, currency) == text
