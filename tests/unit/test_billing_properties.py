"""Property-based fuzzing of the pure core: whatever the input, the rules hold
and the only failures are the domain's own errors."""

import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app import spec
from app.validation import check, parse_json
from billing import codes
from billing.errors import DomainError, InvalidRequest
from billing.invoices import check as check_content
from billing.invoices import draft
from billing.totals import compute_totals
from storage.pagination import Cursors

quantities = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(1_000_000), places=6)
prices = st.integers(min_value=-10**12, max_value=10**12)
rates = st.decimals(min_value=0, max_value=100, places=4)
lines = st.lists(st.fixed_dictionaries({"description": st.just("x"), "quantity": quantities,
                                        "unit_price_cents": prices}), min_size=1, max_size=20)
discounts = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.just("percent"), "value": rates.filter(lambda r: r > 0)}),
    st.fixed_dictionaries({"type": st.just("flat"), "value_cents": st.integers(0, 10**15)}),
)
taxes = st.one_of(st.none(), st.fixed_dictionaries({"rate": rates}))


def half_up(value: Fraction) -> int:
    """Rounding halves away from zero, by exact rational arithmetic."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


@settings(max_examples=300, deadline=None)
@given(lines, discounts, taxes)
def test_totals_follow_the_rule_exactly(items, discount, tax):
    totals = compute_totals(items, discount, tax)
    expected_lines = [half_up(Fraction(i["quantity"]) * i["unit_price_cents"]) for i in items]
    assert list(totals.line_amounts) == expected_lines
    assert totals.subtotal == sum(expected_lines)
    if discount is None:
        assert totals.discount == 0
    elif discount["type"] == "flat":
        assert totals.discount == max(0, min(discount["value_cents"], totals.subtotal))
    else:
        wanted = half_up(Fraction(totals.subtotal) * Fraction(discount["value"]) / 100)
        assert totals.discount == max(0, min(wanted, totals.subtotal))
    rate = Fraction(tax["rate"]) if tax else Fraction(0)
    assert totals.tax == half_up(Fraction(totals.subtotal - totals.discount) * rate / 100)
    assert totals.total == totals.subtotal - totals.discount + totals.tax


@given(st.text(max_size=60), st.one_of(st.none(), st.emails(), st.text(max_size=40)))
def test_customer_codes_are_short_upper_case_letters_and_digits(company, email):
    code = codes.base_code(company or None, email)
    assert re.fullmatch(r"[A-Z0-9]{1,8}", code)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8))
def test_code_candidates_never_repeat_and_fit(base):
    from itertools import islice

    seen = list(islice(codes.candidates(base), 150))
    assert len(set(seen)) == len(seen) and all(len(code) <= 8 for code in seen)


@settings(max_examples=200, deadline=None)
@given(lines, discounts, taxes, st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.sampled_from(["USD", "JPY", "KWD", "XXX"]))
def test_any_schema_shaped_invoice_is_priced_or_refused_by_a_rule(items, discount, tax, due, currency):
    body = {"due_date": due.isoformat(), "recipient": {"company": "Acme"}, "line_items": items,
            "discount": discount, "tax": tax, "currency": currency}
    try:
        totals = check_content(draft(body, today=date(2026, 5, 1)))
    except DomainError as error:
        assert error.status == 422 and error.field
    else:
        assert 0 <= totals.total <= 2**53 - 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
INVOICE_CREATE = spec.resolved()["components"]["schemas"]["InvoiceCreate"]
INVOICE = spec.resolved()["components"]["schemas"]["Invoice"]


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_validation_of_any_json_is_either_fine_or_an_invalid_request_with_a_sentence(value):
    try:
        check(INVOICE_CREATE, parse_json(json.dumps(value).encode()), hints=INVOICE)
    except InvalidRequest as error:
        assert error.message.endswith((".", "?")) and error.status == 400


@given(st.binary(max_size=200))
def test_any_bytes_parse_or_are_refused_cleanly(raw):
    try:
        parse_json(raw)
    except InvalidRequest:
        pass


@given(st.text(max_size=300))
def test_any_cursor_decodes_or_is_refused_on_the_cursor_field(cursor):
    try:
        Cursors("secret").decode("invoices", cursor)
    except InvalidRequest as error:
        assert error.field == "cursor"
