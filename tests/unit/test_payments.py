"""What is due, which payments an invoice takes, and what the sender is owed."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing import payments
from billing.errors import Conflict, UnprocessableEntity

totals = st.integers(min_value=0, max_value=2**53 - 1)


@given(totals, st.lists(st.integers(min_value=1, max_value=2**53 - 1), max_size=30),
       st.integers(min_value=0, max_value=2**53 - 1))
def test_accepted_payments_never_leave_a_negative_due_and_always_add_up_to_the_total(total, attempts, credit):
    credited = min(credit, total)
    paid = 0
    for amount in attempts:
        due = payments.amount_due(total, paid, credited)
        try:
            payments.check_payment(amount, due, "EUR", "ACME-0001")
        except UnprocessableEntity as error:
            assert error.field == "amount_cents" and amount > due
            continue
        paid += amount
        shown = payments.settlement(total, paid, credited)
        assert shown["amount_due_cents"] >= 0
        assert shown["amount_paid_cents"] + shown["amount_due_cents"] + shown["amount_credited_cents"] == total
    assert paid + credited <= total


@given(totals, totals, totals)
def test_due_is_never_negative(total, paid, credited):
    assert payments.amount_due(total, paid, credited) >= 0


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12),
       st.integers(min_value=1, max_value=10**12))
def test_a_charge_below_what_was_received_is_refused(new_total, paid, credited):
    content = {"currency": "USD", "line_items": [1]}
    changed = {"currency": "USD", "line_items": [2]}
    if new_total >= paid + credited:
        payments.check_charge(content, changed, new_total, paid, credited, "ACME-0001")
    else:
        with pytest.raises(UnprocessableEntity) as refused:
            payments.check_charge(content, changed, new_total, paid, credited, "ACME-0001")
        assert refused.value.field == "line_items"


def test_a_change_blames_what_it_changed_and_payments_pin_the_currency():
    before = {"currency": "EUR", "line_items": [1], "discount": None, "tax": None}
    with pytest.raises(UnprocessableEntity) as refused:
        payments.check_charge(before, {**before, "discount": {"type": "flat", "value_cents": 90}}, 10, 20, 0, "A-1")
    assert refused.value.field == "discount" and "€0.10" in refused.value.message and "€0.20" in refused.value.message
    with pytest.raises(UnprocessableEntity) as refused:
        payments.check_charge(before, {**before, "currency": "USD"}, 100, 20, 0, "A-1")
    assert refused.value.field == "currency"
    payments.check_charge(before, {**before, "currency": "USD"}, 100, 0, 0, "A-1")  # nothing paid: free to change


@pytest.mark.parametrize("state", ["sent", "viewed", "changes_requested", "approved"])
def test_payments_arrive_on_invoices_the_recipient_has(state):
    payments.ensure_payable(state, "ACME-0001")


@pytest.mark.parametrize("state", ["draft", "paid", "void"])
def test_no_payment_on_a_draft_a_paid_or_a_void_invoice(state):
    with pytest.raises(Conflict) as refused:
        payments.ensure_payable(state, "ACME-0001")
    assert f"ACME-0001 is {state}" in refused.value.message


def test_paid_at_defaults_to_now_and_is_never_in_the_future():
    now = "2026-06-03T10:00:00Z"
    assert payments.paid_at(None, now) == now
    assert payments.paid_at("2026-06-01T08:00:00Z", now) == "2026-06-01T08:00:00Z"
    with pytest.raises(UnprocessableEntity) as refused:
        payments.paid_at("2026-06-03T10:00:01Z", now)
    assert refused.value.field == "paid_at"


def test_receivables_per_currency_count_what_is_due_and_what_is_late():
    today = date(2026, 6, 10)
    invoices = [
        ("sent", "USD", "2026-06-01", 1000),               # overdue
        ("approved", "USD", "2026-06-30", 500),            # not yet due
        ("viewed", "EUR", "2026-06-09", 700),              # overdue
        ("changes_requested", "EUR", "2026-06-10", 300),   # due today: not overdue
        ("sent", "JPY", "2026-01-01", 0),                  # nothing left due
        ("paid", "GBP", "2026-01-01", 100),
        ("void", "GBP", "2026-01-01", 100),
    ]
    assert payments.receivables(invoices, today) == [
        {"currency": "EUR", "outstanding_cents": 1000, "overdue_cents": 700},
        {"currency": "USD", "outstanding_cents": 1500, "overdue_cents": 1000},
    ]


def test_pay_to_reads_the_sellers_bank_details_and_tolerates_their_absence():
    assert payments.pay_to({"email": "a@b.c"}) is None
    assert payments.pay_to({"payment": None}) is None
    assert payments.pay_to({"payment": {"iban": " ", "bic": "X"}}) is None
    assert payments.pay_to({"payment": "not json"}) is None
    account = {"display_name": "Lumen", "legal_name": "Lumen Studio GmbH",
               "payment": '{"iban": "de89 3704 0044 0532 0130 00", "bic": "cobadeffxxx", "account_name": null}'}
    assert payments.pay_to(account) == {"account_name": "Lumen Studio GmbH", "iban": "DE89370400440532013000",
                                        "bic": "COBADEFFXXX"}
    assert payments.pay_to({"display_name": "Lumen", "payment": {"iban": "DE89370400440532013000"}}) == {
        "account_name": "Lumen", "iban": "DE89370400440532013000", "bic": None}


@pytest.mark.parametrize(("text", "valid"), [
    ("DE89370400440532013000", True), ("GB82WEST12345698765432", True), ("NL91ABNA0417164300", True),
    ("DE89370400440532013001", False), ("DE8937040044053201300", False), ("12ABCDEFGHIJKLMNOP", False),
    ("DE89 3704 0044 0532 0130 00", False), ("", False),
])
def test_iban_check_digits(text, valid):
    assert payments.is_iban(text) is valid
