"""Who the recipient's emails go to and what they say; which reminder step is due."""

from datetime import date

import pytest

from billing import delivery
from billing.errors import UnprocessableEntity
from billing.reminders import due_steps, last_step, overdue, still_due

RECORD = {"number": "ACME-0001", "status": "sent", "total_cents": 250000, "share_token": "t",
          "content": {"currency": "USD", "due_date": "2026-06-01", "recipient": {}}}
SCHEDULE = {"before_due_days": [3], "after_due_days": [1, 7, 14]}
DUE = date(2026, 6, 1)


@pytest.mark.parametrize(("text", "ok"), [
    ("ap@acme.com", True), ("ap@acme", False), ("ap@acme.com\r\nBcc: x@y.z", False), ("a@b.c, d@e.f", False),
    ("Jane <jane@acme.com>", False), ("", False), (None, False),
])
def test_an_address_is_one_plain_address(text, ok):
    assert delivery.is_address(text) is ok


def test_by_default_the_recipient_with_the_customers_cc_and_no_bad_or_repeated_address():
    recipient = {"email": "ap@acme.com"}
    customer = {"cc_emails": ["AP@acme.com", "books@acme.com", "x@acme.com\nBcc: y@z.io", "books@acme.com"]}
    assert delivery.default_addresses(recipient, customer) == (["ap@acme.com"], ["books@acme.com"])
    assert delivery.default_addresses({"email": None}, customer) == (["AP@acme.com", "books@acme.com"], [])
    assert delivery.default_addresses({"email": "bad\r\n@x.io"}, {"cc_emails": []}) == ([], [])


def test_given_addresses_name_the_bad_one():
    assert delivery.given_addresses([" jane@acme.com", "JANE@acme.com"]) == ["jane@acme.com"]
    with pytest.raises(UnprocessableEntity) as refused:
        delivery.given_addresses(["jane@acme.com", "nobody"])
    assert refused.value.field == "to[1]"


def test_the_invoice_email_has_a_one_line_subject_and_everything_the_recipient_needs():
    mail = delivery.invoice_email(RECORD, {"display_name": "Nord\r\nBcc: x@y.z"}, "See you!", "http://x/i/t")
    assert mail["subject"] == "Invoice ACME-0001 from Nord Bcc: x@y.z"
    for words in ("$2,500.00", "2026-06-01", "    See you!", "http://x/i/t", "attached as a PDF"):
        assert words in mail["body"], words
    assert delivery.sender_name({"email": "me@example.com"}) == "your supplier", "never the sign-in email"


@pytest.mark.parametrize(("today", "subject"), [
    (date(2026, 5, 29), "Reminder: invoice ACME-0001 from Nord is due on 2026-06-01"),
    (date(2026, 6, 1), "Reminder: invoice ACME-0001 from Nord is due today"),
    (date(2026, 6, 8), "Overdue: invoice ACME-0001 from Nord was due on 2026-06-01"),
])
def test_a_reminder_says_when_it_is_due(today, subject):
    assert delivery.reminder_email(RECORD, {"display_name": "Nord"}, today, None, "l")["subject"] == subject


@pytest.mark.parametrize(("today", "recorded", "expected"), [
    (date(2026, 5, 28), set(), (None, [])),
    (date(2026, 5, 29), set(), ("before_3", [])),
    (date(2026, 5, 30), {"before_3"}, (None, [])),
    (date(2026, 6, 2), {"before_3"}, ("after_1", [])),
    (date(2026, 6, 10), set(), ("after_7", ["after_1", "before_3"])),
    (date(2026, 6, 20), {"before_3", "after_1", "after_7"}, ("after_14", [])),
    (date(2026, 6, 20), {"before_3", "after_1", "after_7", "after_14"}, (None, [])),
])
def test_only_the_latest_due_step_is_sent(today, recorded, expected):
    assert due_steps(SCHEDULE, DUE, today, recorded) == expected


def test_a_step_added_after_a_later_one_went_comes_too_late():
    assert due_steps({"after_due_days": [1, 7]}, DUE, date(2026, 6, 10), {"after_7"}) == (None, ["after_1"])


def test_the_last_step_and_what_is_still_due():
    assert last_step(SCHEDULE) == "after_14" and last_step({"before_due_days": [7, 3]}) == "before_3"
    assert still_due(RECORD) and not still_due({**RECORD, "status": "paid"})
    assert not still_due({**RECORD, "total_cents": 0})
    assert overdue(RECORD, date(2026, 6, 2)) and not overdue(RECORD, date(2026, 6, 1))
