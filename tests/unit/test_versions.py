from billing.versions import changes


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
