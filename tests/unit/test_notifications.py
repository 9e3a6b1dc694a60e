from billing.notifications import recipient_activity
from billing.versions import comment_change


def test_the_email_names_the_invoice_and_shows_the_diff():
    message = recipient_activity("ACME-0001", {"company": "Acme Corp"}, "amend", 3, [
        {"field": "po_number", "before": None, "after": "PO-7781"},
        {"field": "recipient.address", "before": None, "after": {"line1": "1 Main St", "city": "Paris"}},
    ])
    assert message["subject"] == "ACME-0001: Acme Corp edited the invoice"
    assert "po_number: — → PO-7781" in message["body"]
    assert 'recipient.address: — → {"line1": "1 Main St", "city": "Paris"}' in message["body"]
    assert "version 3" in message["body"]


def test_a_comment_is_quoted_with_its_author():
    message = recipient_activity("ACME-0001", {"email": "ap@acme.com"}, "comment", 4,
                                 [comment_change("Jane", "Line 2?\nThanks")])
    assert message["subject"] == "ACME-0001: ap@acme.com commented on the invoice"
    assert "Comment from Jane:\n    > Line 2?\n    > Thanks" in message["body"]
