import pytest

from billing.revisions import after_change


@pytest.mark.parametrize("status", ["sent", "viewed", "changes_requested"])
def test_a_financial_change_to_a_seen_invoice_starts_a_revision_back_in_sent(status):
    assert after_change(status, 1, ["line_items"]) == ("sent", 2)
    assert after_change(status, 2, ["due_date", "po_number"]) == ("sent", 3)


@pytest.mark.parametrize("field", ["po_number", "recipient.address", "recipient.tax_id", "footer_note"])
def test_amendments_never_start_a_revision(field):
    assert after_change("viewed", 1, [field]) == ("viewed", 1)


def test_a_draft_nobody_has_seen_is_simply_edited():
    assert after_change("draft", 1, ["line_items", "tax"]) == ("draft", 1)
