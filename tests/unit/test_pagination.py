import pytest

from billing.errors import InvalidRequest
from storage.pagination import Cursors

cursors = Cursors("secret")


def test_a_cursor_round_trips():
    assert cursors.decode("invoices", cursors.encode("invoices", 42)) == 42


@pytest.mark.parametrize(
    "cursor",
    ["zzz", "", "a" * 200, "aW52b2ljZXM6NDI6MDAw", Cursors("other secret").encode("invoices", 42), "\u00e9\u00e9",
     cursors.encode("customers", 42)],
)
def test_cursors_we_did_not_issue_are_refused(cursor):
    with pytest.raises(InvalidRequest) as caught:
        cursors.decode("invoices", cursor)
    assert caught.value.field == "cursor"


def test_a_page_has_a_cursor_only_when_more_rows_follow():
    assert cursors.page("invoices", [3, 2, 1], 3, lambda n: n).next_cursor is None
    page = cursors.page("invoices", [4, 3, 2, 1], 3, lambda n: n)
    assert page.rows == [4, 3, 2] and cursors.decode("invoices", page.next_cursor) == 2
