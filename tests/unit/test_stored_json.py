"""JSON columns are read back as the json module would read what it wrote."""

import json

from hypothesis import given
from hypothesis import strategies as st

from storage.stored_json import parsed

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


@given(values)
def test_what_json_dumps_stored_reads_back_as_json_loads_reads_it(value):
    stored = json.dumps(value)
    assert parsed(stored) == json.loads(stored)


def test_what_orjson_refuses_is_read_all_the_same():
    for stored in ("[18446744073709551616]", "[Infinity]", '["\\ud800"]'):
        assert parsed(stored) == json.loads(stored)
