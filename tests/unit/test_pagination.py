import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.errors import InvalidRequest
from storage.pagination import Cursors

cursors = Cursors("secret")


def test_a_cursor_round_trips():
    assert cursors.decode("invoices", cursors.encode("invoices", 42)) == 42


@pytest.mark.parametrize(
    "cursor",
    ["zzz", "", "a" * 200, "aW52b2ljZXM6NDI6MDAw", Cursors("other secret").encode("invoices", 42), "\u00e9\u00e9",
     cursors.encode("customers", 42)],
    # Sealed cursors differ at each run: named, so that every test process collects the same tests.
    ids=["garbage", "empty", "long", "unsealed", "another-secret", "non-ascii", "another-kind"],
)
def test_cursors_we_did_not_issue_are_refused(cursor):
    with pytest.raises(InvalidRequest) as caught:
        cursors.decode("invoices", cursor)
    assert caught.value.field == "cursor"


def test_a_page_has_a_cursor_only_when_more_rows_follow():
    assert cursors.page("invoices", [3, 2, 1], 3, lambda n: n).next_cursor is None
    page = cursors.page("invoices", [4, 3, 2, 1], 3, lambda n: n)
    assert page.rows == [4, 3, 2] and cursors.decode("invoices", page.next_cursor) == 2


def test_a_cursor_does_not_show_the_row_it_names():
    """Nothing in it reads as the position: two cursors for one row differ, and
    the position's digits and bytes appear in neither."""
    first, second = cursors.encode("invoices", 123456), cursors.encode("invoices", 123456)
    assert first != second
    for cursor in (first, second):
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        assert b"123456" not in raw and (123456).to_bytes(8, "big") not in raw and "invoices" not in str(raw)
        assert cursors.decode("invoices", cursor) == 123456


@given(st.integers(min_value=0, max_value=2**63 - 1), st.sampled_from(["invoices", "customers", "events"]))
def test_any_position_round_trips_and_no_other_kind_accepts_it(position, kind):
    cursor = cursors.encode(kind, position)
    assert cursors.decode(kind, cursor) == position
    with pytest.raises(InvalidRequest):
        cursors.decode("payments", cursor)
    tampered = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
    with pytest.raises(InvalidRequest):
        cursors.decode(kind, tampered)
