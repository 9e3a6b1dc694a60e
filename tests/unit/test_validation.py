"""Validation errors: exact JSON, and a sentence plus a field path for each failure."""

import json
from decimal import Decimal

import pytest

from app import spec, validation
from app.validation import check, exact_numbers, parse_json
from billing.errors import InvalidRequest

SCHEMAS = spec.resolved()["components"]["schemas"]
INVOICE = SCHEMAS["Invoice"]


def error_for(body: dict, schema="InvoiceCreate") -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        check(SCHEMAS[schema], parse_json(json.dumps(body).encode()), hints=INVOICE)
    return caught.value


def valid(**changes):
    return {
        "due_date": "2026-06-01",
        "recipient": {"company": "Acme"},
        "line_items": [{"description": "x", "quantity": 1, "unit_price_cents": 5}],
        **changes,
    }


def test_numbers_parse_exactly():
    assert parse_json(b'{"q": 1.005}') == {"q": Decimal("1.005")}
    assert exact_numbers({"q": [1.005, 2]}) == {"q": [Decimal("1.005"), 2]}


def test_whole_numbers_with_a_point_are_integers_as_json_says():
    assert parse_json(b'{"cents": 511.0, "big": 2.5e3}') == {"cents": 511, "big": 2500}
    assert exact_numbers({"cents": 511.0}) == {"cents": 511}
    assert isinstance(parse_json(b'{"huge": 1e999999}')["huge"], Decimal), "never a million-digit int"


def test_unpaired_surrogates_are_not_text():
    with pytest.raises(InvalidRequest):
        parse_json(b'{"name": "\\udc00"}')
    assert parse_json(b'{"name": "\\ud83c\\udf89"}') == {"name": "\U0001f389"}


def test_nesting_beyond_any_invoice_is_refused_from_mcp_too():
    deep = 1.5
    for _ in range(validation.MAX_DEPTH - 1):  # and the arguments' own object
        deep = [deep]
    assert exact_numbers({"a": deep}) == {"a": json.loads(json.dumps(deep), parse_float=Decimal)}
    with pytest.raises(InvalidRequest) as caught:
        exact_numbers({"a": [deep]})
    assert "nested" in caught.value.message


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": Infinity}', "Infinity"),
        (b'{"a": 1, "a": 2}', "twice"),
        (b"[" * 100_000, "nested"),
        (b"[" * 900 + b'"\\udc00"' + b"]" * 900, "nested"),  # once a RecursionError looking for the surrogate
        (b'{"a": ' + b'{"b": ' * 200 + b"1" + b"}" * 201, "nested"),
        (b'{"a": ' + b"9" * 5000 + b"}", "digits"),
        (b'{"a": 1', "not valid JSON"),
    ],
)
def test_unacceptable_json_is_a_clear_400(raw, says):
    with pytest.raises(InvalidRequest) as caught:
        parse_json(raw)
    assert says in caught.value.message


def test_unknown_field_suggests_the_right_name():
    error = error_for(valid(line_items=[{"description": "x", "quantity": 1, "unit_price": 5}]))
    assert error.field == "line_items[0].unit_price"
    assert "unit_price_cents" in error.message


def test_read_only_field_says_how_to_change_it():
    error = error_for(valid(status="paid"))
    assert error.field == "status"
    assert "read-only" in error.message and "/void" in error.message


def test_wrong_type_names_the_path():
    error = error_for(valid(line_items=[{"description": "x", "quantity": "1", "unit_price_cents": 5}]))
    assert (error.field, error.message) == ("line_items[0].quantity", "line_items[0].quantity must be a number, not a string.")


def test_missing_field_names_it():
    body = valid()
    del body["due_date"]
    assert error_for(body).field == "due_date"


def test_recipient_or_customer_id_is_required():
    body = valid()
    del body["recipient"]
    error = error_for(body)
    assert error.field == "recipient" and "customer_id" in error.message


def test_discount_errors_come_from_the_shape_the_client_meant():
    error = error_for(valid(discount={"type": "flat", "value": 5}))
    assert error.field == "discount.value" and "value_cents" in error.message
    error = error_for(valid(discount={"type": "percent", "value": 500}))
    assert error.field == "discount.value" and "at most 100" in error.message


def test_decimal_places_are_limited_exactly():
    error = error_for(valid(tax={"rate": 8.87501}))
    assert error.field == "tax.rate" and "4 decimal places" in error.message
    check(SCHEMAS["InvoiceCreate"], parse_json(json.dumps(valid(tax={"rate": 8.875})).encode()))


def test_const_and_exclusive_minimum_apply():
    assert error_for(valid(line_items=[{"description": "x", "quantity": 0, "unit_price_cents": 5}])).field == "line_items[0].quantity"
    assert error_for(valid(discount={"type": "half", "value": 5})).field == "discount"


def test_dates_must_be_real_dates():
    assert error_for(valid(due_date="2026-02-30")).field == "due_date"


def test_client_text_is_quoted_short():
    with pytest.raises(InvalidRequest) as caught:
        parse_json(('{"' + "k" * 10_000 + '": 1, "' + "k" * 10_000 + '": 2}').encode())
    assert "k" * 100 + "…" in caught.value.message and len(caught.value.message) < 300
    error = error_for(valid(recipient={"company": "Acme", "é" * 300: 1}))
    assert error.field == "recipient." + "é" * 100 + "…"
    assert error.message.startswith("Unknown field '" + "é" * 100 + "…' in recipient;")
    assert validation.quoted("short") == "short" and validation.quoted("a" * 101) == "a" * 100 + "…"
