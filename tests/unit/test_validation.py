"""Validation errors: exact JSON, and a sentence plus a field path for each failure."""

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# ---------------------------------------------------------------- the quick check

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8), st.sampled_from(["2026-06-01", "2026-02-30", "٢٠٢٦-٠٦-٠١", "ap@acme.com", "a@b", "USD",
                                          "eur", "S", "flat", "percent", "", "\x00", "x" * 600]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["quantity", "unit_price_cents", "description", "tax",
                                                          "rate", "category", "type", "value", "value_cents",
                                                          "company", "email", "extra"]), inner, max_size=3),
                       max_leaves=8)
_FIELDS = ["due_date", "issue_date", "currency", "recipient", "line_items", "discount", "tax", "po_number",
           "customer_id", "footer_note"]


def _nested(body: dict, key: str) -> dict | None:
    """The recipient or the first line item, while a mutation has left it an object."""
    value = body.get(key)
    if key == "line_items" and isinstance(value, list) and value:
        value = value[0]
    return value if key in ("recipient", "line_items") and isinstance(value, dict) else None


@st.composite
def _bodies(draw):
    """A valid create body with a few of its values, at any depth, replaced by anything."""
    body = valid(line_items=[{"description": "x", "quantity": 1, "unit_price_cents": 5, "tax": {"rate": 19}}])
    for _ in range(draw(st.integers(1, 3))):
        target, key = body, draw(st.sampled_from(_FIELDS))
        inner = _nested(body, key)
        if inner is not None and draw(st.booleans()):
            target = inner
            key = draw(st.sampled_from(["company", "email", "tax_id"] if key == "recipient"
                                       else ["quantity", "unit_price_cents", "description", "tax"]))
        target[key] = draw(_values)
    return body


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies())
def test_the_quick_check_never_passes_what_the_explaining_validator_refuses(body):
    schema = SCHEMAS["InvoiceCreate"]
    _, explaining, quick = validation._compiled_for(schema)
    assert quick is not None
    if validation._surely_valid(quick, body):
        assert explaining.is_valid(body), body


@given(st.one_of(_scalars, _values))
def test_the_quick_check_agrees_on_every_parameter_schema(value):
    for _, _, operation in spec.operations(spec.resolved()):
        for parameter in operation.get("parameters", []):
            _, explaining, quick = validation._compiled_for(parameter["schema"])
            if validation._surely_valid(quick, value):
                assert explaining.is_valid(value), (parameter["name"], value)


def test_values_holding_an_exact_decimal_always_get_the_explaining_validator():
    # jsonschema-rs takes 1E+25 for an integer; JSON Schema and we do not.
    schema = {"type": "integer"}
    _, _, quick = validation._compiled_for(schema)
    assert quick.is_valid(Decimal("1E+25"))
    assert not validation._surely_valid(quick, [{"n": Decimal("1E+25")}])
    with pytest.raises(InvalidRequest, match="must be an integer"):
        check(schema, Decimal("1E+25"))
