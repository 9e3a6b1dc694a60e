"""Whatever the invoice: when the compliance check finds nothing, the official rules
find nothing fatal in either syntax, and the documents' amounts are the JSON's."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from billing.compliance import problems
from billing.errors import UnprocessableEntity
from billing.invoices import check, draft
from documents.cii import invoice_cii
from documents.ubl import invoice_ubl
from tests.unit.einvoice_data import invoice, recipient, seller
from tests.unit.en16931 import READERS, json_amounts

standard = st.builds(lambda rate: {"name": "VAT", "rate": rate},
                     st.sampled_from([5, 7, Decimal("8.875"), 10, Decimal("19.6"), 20, 21, 25]))
untaxed = st.builds(lambda category: {"name": "VAT", "rate": 0, "category": category,
                                      "exemption_reason": None if category == "Z" else "Exempt by law"},
                    st.sampled_from(["Z", "E", "AE", "K", "G"]))
taxes = st.one_of(standard, untaxed)
charges = st.lists(
    st.fixed_dictionaries(
        {"description": st.text(min_size=1, max_size=30).filter(str.strip),
         "quantity": st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3),
         "unit_price_cents": st.integers(1, 10**8)},
        optional={"tax": taxes}),
    min_size=1, max_size=6,
)


def with_credit(items: list[dict], credit: int | None) -> list[dict]:
    """Now and then a small credit line, taxed as the first line (so it reduces its group)."""
    if credit is None:
        return items
    return [*items, {**{k: v for k, v in items[0].items() if k == "tax"},
                     "description": "Credit", "quantity": 1, "unit_price_cents": -credit}]


lines = st.builds(with_credit, charges, st.one_of(st.none(), st.integers(1, 500)))
discounts = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.just("percent"),
                           "value": st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)}),
    st.fixed_dictionaries({"type": st.just("flat"), "value_cents": st.integers(0, 10**6)}),
)
sellers = st.builds(
    lambda legal, tax_id, company: seller(legal_name=legal, tax_id=tax_id, company_id=company),
    # mostly complete, so that most examples reach the documents
    st.sampled_from(["Lumen Studio GmbH"] * 5 + [None]),
    st.sampled_from(["DE123456789"] * 4 + ["201/113/40209", "XX123", None]),
    st.sampled_from(["HRB 123456"] * 2 + [None]),
)
buyers = st.builds(lambda tax_id, address: recipient(tax_id=tax_id, address=address),
                   st.sampled_from(["FR12345678901"] * 4 + ["12345", "XX123", "EIN 12-3456789", None]),
                   st.sampled_from([recipient()["address"]] * 5
                                   + [None, {"line1": "1 Main St", "city": "Springfield"}]))


@settings(max_examples=200, deadline=None)
@given(lines, discounts, st.one_of(st.none(), taxes), st.sampled_from(["EUR", "JPY", "USD"]), sellers, buyers)
def test_no_problem_found_means_no_fatal_assertion(fatal, items, discount, tax, currency, seller_, buyer):
    body = {"due_date": "2026-05-31", "recipient": {"company": "Acme SARL"}, "line_items": items,
            "discount": discount, "tax": tax, "currency": currency}
    content = draft(body, today=date(2026, 5, 1))
    try:
        check(content)
    except UnprocessableEntity:
        return  # refused before it is ever stored
    data = invoice(content["line_items"], tax=content["tax"], discount=content["discount"], currency=currency,
                   recipient=buyer)
    if problems(data, seller_):
        return
    for syntax, write in (("UBL", invoice_ubl), ("CII", invoice_cii)):
        document = write(data, seller_)
        assert fatal(document) == [], syntax
        assert READERS[syntax](document, currency) == json_amounts(data)
