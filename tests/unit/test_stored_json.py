"""JSON columns read back what was written, and what the json module wrote before."""

import json

from hypothesis import given
from hypothesis import strategies as st

from storage.stored_json import parsed, written


def _values(scalars):
    return st.recursive(scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


# No request can send NaN or an infinity (app.validation refuses them), which orjson writes as null.
finite = _values(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                 | st.text())
values = _values(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text())


@given(finite)
def test_what_is_written_reads_back_as_it_was(value):
    assert parsed(written(value)) == value


@given(values)
def test_what_json_dumps_stored_reads_back_as_json_loads_reads_it(value):
    stored = json.dumps(value)
    assert parsed(stored) == json.loads(stored)


def test_what_orjson_refuses_is_written_and_read_all_the_same():
    for value in ([2**64], ["\ud800"]):
        assert parsed(written(value)) == json.loads(json.dumps(value))
    for stored in ("[18446744073709551616]", "[Infinity]", '["\\ud800"]'):
        assert parsed(stored) == json.loads(stored)


def test_integers_past_64_bits_read_back_exactly():
    """orjson would read them as floats: 2**64 even compares equal to its float."""
    for number in (2**64, -(2**63) - 1, 10**30):
        for stored in (json.dumps([number]), written([number])):
            [read] = parsed(stored)
            assert type(read) is int and read == number
