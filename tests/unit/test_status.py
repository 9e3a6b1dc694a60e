import pytest

from billing import status
from billing.errors import Conflict


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("send", "draft", "sent"),
        ("send", "changes_requested", "sent"),
        ("view", "draft", "viewed"),
        ("view", "sent", "viewed"),
        ("request_changes", "viewed", "changes_requested"),
        ("approve", "viewed", "approved"),
        ("approve", "changes_requested", "approved"),
        ("mark_paid", "approved", "paid"),
        ("mark_paid", "sent", "paid"),
        ("void", "draft", "void"),
        ("void", "approved", "void"),
    ],
)
def test_legal_transitions(action, start, end):
    assert status.transition(action, start, "ACME-0001") == end


@pytest.mark.parametrize(
    ("action", "start"),
    [("send", "sent"), ("send", "paid"), ("void", "paid"), ("void", "void"), ("mark_paid", "void"),
     ("mark_paid", "paid"), ("approve", "paid"), ("view", "approved"), ("request_changes", "approved")],
)
def test_illegal_transitions_name_both_states(action, start):
    with pytest.raises(Conflict) as caught:
        status.transition(action, start, "ACME-0001")
    target = status.TRANSITIONS[action][1]
    assert start in caught.value.message and target in caught.value.message
    assert "ACME-0001" in caught.value.message


@pytest.mark.parametrize("locked", ["approved", "paid", "void"])
def test_approved_paid_and_void_invoices_are_locked(locked):
    with pytest.raises(Conflict):
        status.ensure_editable(locked, "ACME-0001")


@pytest.mark.parametrize("open_status", ["draft", "sent", "viewed", "changes_requested"])
def test_open_invoices_are_editable(open_status):
    status.ensure_editable(open_status, "ACME-0001")
