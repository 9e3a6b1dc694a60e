import pytest

from billing.errors import UnprocessableEntity
from billing.versions import changes, reverted


def test_changes_are_field_level_with_recipient_fields_apart():
    before = {"status": "draft", "po_number": None, "recipient": {"company": "Acme", "address": None}}
    after = {"status": "sent", "po_number": "PO-1", "recipient": {"company": "Acme", "address": {"city": "Paris"}}}
    assert changes(before, after) == [
        {"field": "status", "before": "draft", "after": "sent"},
        {"field": "po_number", "before": None, "after": "PO-1"},
        {"field": "recipient.address", "before": None, "after": {"city": "Paris"}},
    ]


def test_no_change_is_no_diff():
    state = {"status": "draft", "recipient": {"company": "Acme"}}
    assert changes(state, dict(state)) == []


CONTENT = {
    "po_number": "PO-2",
    "due_date": "2026-07-01",
    "line_items": [{"description": "Design, revised", "quantity": 2, "unit_price_cents": 100}],
    "recipient": {"company": "Acme", "address": {"city": "Lyon"}, "tax_id": "FR1"},
}


def test_revert_restores_only_the_fields_that_version_touched():
    address_fix = [{"field": "recipient.address", "before": {"city": "Paris"}, "after": {"city": "Lyon"}}]
    restored = reverted(CONTENT, 2, "amend", address_fix)
    assert restored["recipient"] == {"company": "Acme", "address": {"city": "Paris"}, "tax_id": "FR1"}
    assert restored["line_items"] == CONTENT["line_items"], "a later line edit survives"


def test_revert_of_a_status_change_or_a_comment_has_nothing_to_do():
    with pytest.raises(UnprocessableEntity, match="nothing to revert") as caught:
        reverted(CONTENT, 3, "send", [{"field": "status", "before": "draft", "after": "sent"}])
    assert caught.value.field == "version"
    with pytest.raises(UnprocessableEntity, match="nothing to revert"):
        reverted(CONTENT, 4, "comment", [{"field": "comment", "before": None, "after": {"body": "hi"}}])
    with pytest.raises(UnprocessableEntity, match="created the invoice"):
        reverted(CONTENT, 1, "create", [])


def test_reverting_twice_is_refused_rather_than_silently_repeated():
    same = [{"field": "po_number", "before": "PO-2", "after": "PO-3"}]
    with pytest.raises(UnprocessableEntity, match="already hold"):
        reverted(CONTENT, 5, "update", same)
