from itertools import islice

import pytest

from billing import codes


@pytest.mark.parametrize(
    ("company", "email", "code"),
    [
        ("Acme Corp", None, "ACME"),
        ("acme corp", "x@other.com", "ACME"),
        ("Société Générale", None, "SOCIETE"),
        ("International Business Machines", None, "INTERNAT"),
        ("3M Company", None, "3M"),
        ("  — Ünited  ", None, "UNITED"),
        (None, "ap@globex.io", "GLOBEX"),
        (None, "billing@mail.acme.co.uk", "ACME"),
        ("日本", "ap@nihon.jp", "NIHON"),
        ("日本", None, "CUST"),
        (None, None, "CUST"),
    ],
)
def test_customer_code_from_company_else_email_domain(company, email, code):
    assert codes.base_code(company, email) == code


def test_clashing_codes_get_a_number_and_stay_eight_characters():
    assert list(islice(codes.candidates("ACME"), 3)) == ["ACME", "ACME2", "ACME3"]
    assert list(islice(codes.candidates("ACMECORP"), 2)) == ["ACMECORP", "ACMECOR2"]
    assert all(len(code) <= 8 for code in islice(codes.candidates("ACMECORP"), 200))


def test_invoice_numbers_have_at_least_four_digits():
    assert codes.invoice_number("ACME", 1) == "ACME-0001"
    assert codes.invoice_number("ACME", 12345) == "ACME-12345"
