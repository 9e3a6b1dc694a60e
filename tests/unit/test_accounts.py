"""The seller profile's rules: IBAN check digits, BIC shape, country codes."""

import pytest

from billing.accounts import iban_checks_out, patched, with_defaults
from billing.errors import UnprocessableEntity


@pytest.mark.parametrize("iban", ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
                                  "NL91ABNA0417164300", "XK051212012345678906"])
def test_real_ibans_check_out(iban):
    assert iban_checks_out(iban)


@pytest.mark.parametrize("iban", ["DE89370400440532013001", "ZZ89370400440532013000", "DE8937",
                                  "de89370400440532013000"])
def test_wrong_ibans_do_not(iban):
    assert not iban_checks_out(iban)


def test_defaults_turn_reminders_off():
    assert with_defaults(None)["reminders"] == {"before_due_days": [], "after_due_days": []}


def test_null_reminders_turn_them_off_and_lists_are_sorted_and_unique():
    on = patched(with_defaults(None), {"reminders": {"after_due_days": [7, 1, 7]}})
    assert on["reminders"] == {"before_due_days": [], "after_due_days": [1, 7]}
    assert patched(on, {"reminders": None})["reminders"] == {"before_due_days": [], "after_due_days": []}


@pytest.mark.parametrize(("patch", "field"), [
    ({"address": {"country": "UK"}}, "address.country"),
    ({"payment": {"bic": "DEUTZZFF"}}, "payment.bic"),
    ({"contact_email": "no-at-sign"}, "contact_email"),
])
def test_a_broken_rule_names_its_field(patch, field):
    with pytest.raises(UnprocessableEntity) as refused:
        patched(with_defaults(None), patch)
    assert refused.value.field == field
