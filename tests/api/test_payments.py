"""Getting paid: payments recorded against an invoice, what is left due, and the
invoice becoming paid when nothing is."""

import uuid

import pytest

from billing.invoices import draft
from tests.api.test_concurrency import _race
from tests.conftest import PAGE_EXAMPLE, approve
from workflow.clock import utc_now as now

TOTAL = 250000  # the page's example


@pytest.fixture
def sent(client, create):
    """A sent invoice of 2,500.00; its number."""
    number = create()["id"]
    assert client.post(f"/api/v1/invoices/{number}/send").status_code == 200
    return number


def pay(client, number, amount, **fields):
    return client.post(f"/api/v1/invoices/{number}/payments", json={"amount_cents": amount, "method": "bank_transfer",
                                                                    **fields})


def amounts(invoice: dict) -> tuple:
    return invoice["amount_paid_cents"], invoice["amount_credited_cents"], invoice["amount_due_cents"]


def test_every_invoice_shows_what_was_paid_credited_and_is_due(client, create, anonymous):
    invoice = create()
    assert amounts(invoice) == (0, 0, TOTAL)
    assert amounts(client.get(f"/api/v1/invoices/{invoice['id']}").json()) == (0, 0, TOTAL)
    assert amounts(client.get("/api/v1/invoices").json()["data"][0]) == (0, 0, TOTAL)
    shared = anonymous.get(f"/api/v1/share/{invoice['share_token']}").json()
    assert amounts(shared) == (0, 0, TOTAL) and shared["pay_to"] is None


def test_a_part_payment_lowers_what_is_due_and_is_listed(client, sent, anonymous):
    response = pay(client, sent, 100000, paid_at="2026-06-03T10:15:00Z", reference="TRX-88231")
    assert response.status_code == 201, response.text
    payment = response.json()
    assert payment == {"id": payment["id"], "amount_cents": 100000, "paid_at": "2026-06-03T10:15:00Z",
                       "method": "bank_transfer", "reference": "TRX-88231", "created_at": payment["created_at"]}
    invoice = client.get(f"/api/v1/invoices/{sent}").json()
    assert amounts(invoice) == (100000, 0, 150000)
    assert invoice["status"] == "sent" and invoice["paid_at"] is None
    assert client.get(f"/api/v1/invoices/{sent}/payments").json() == {"data": [payment], "next_cursor": None}
    shared = anonymous.get(f"/api/v1/share/{invoice['share_token']}").json()
    assert amounts(shared) == (100000, 0, 150000)


def test_paid_at_defaults_to_now(client, sent):
    payment = pay(client, sent, 1, method="cash").json()
    assert payment["paid_at"] == payment["created_at"] and payment["method"] == "cash"
    assert payment["reference"] is None


def test_the_payment_that_leaves_nothing_due_makes_the_invoice_paid_and_locked(client, sent):
    pay(client, sent, 50000)
    last = pay(client, sent, 200000, paid_at="2026-06-04T09:00:00Z")
    assert last.status_code == 201
    invoice = client.get(f"/api/v1/invoices/{sent}").json()
    assert invoice["status"] == "paid" and invoice["paid_at"] == "2026-06-04T09:00:00Z"
    assert amounts(invoice) == (TOTAL, 0, 0)
    assert client.patch(f"/api/v1/invoices/{sent}", json={"po_number": "late"}).status_code == 409
    again = pay(client, sent, 1)
    assert again.status_code == 409 and "is paid" in again.json()["error"]


def test_a_payment_above_what_is_due_is_a_422_on_amount_cents(client, sent):
    pay(client, sent, 200000)
    response = pay(client, sent, 50001)
    assert response.status_code == 422
    assert response.json() == {
        "error": "amount_cents 50001 ($500.01) is more than the $500.00 still due on invoice ACME-0001; "
                 "record at most amount_due_cents (50000).",
        "field": "amount_cents",
    }
    assert amounts(client.get(f"/api/v1/invoices/{sent}").json()) == (200000, 0, 50000)


@pytest.mark.parametrize("state", ["sent", "viewed", "changes_requested", "approved"])
def test_payments_are_taken_once_the_recipient_has_the_invoice(client, anonymous, create, state):
    invoice = create()
    path = f"/api/v1/share/{invoice['share_token']}"
    if state != "viewed":
        client.post(f"/api/v1/invoices/{invoice['id']}/send")
    if state != "sent":
        anonymous.get(path)
    if state == "changes_requested":
        anonymous.post(f"{path}/request-changes", json={"body": "PO please"})
    if state == "approved":
        approve(anonymous, path)
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == state
    assert pay(client, invoice["id"], 1000).status_code == 201


@pytest.mark.parametrize("state", ["draft", "void", "paid"])
def test_no_payment_on_a_draft_void_or_paid_invoice(client, create, state):
    number = create()["id"]
    if state != "draft":
        client.post(f"/api/v1/invoices/{number}/{'void' if state == 'void' else 'mark-paid'}")
    response = pay(client, number, 1000)
    assert response.status_code == 409
    assert f"Invoice {number} is {state}" in response.json()["error"]
    recorded = client.get(f"/api/v1/invoices/{number}/payments").json()["data"]
    assert len(recorded) == (1 if state == "paid" else 0)  # mark-paid's own payment only


@pytest.mark.parametrize(("body", "field"), [
    ({"amount_cents": 0, "method": "card"}, "amount_cents"),
    ({"amount_cents": 1.5, "method": "card"}, "amount_cents"),
    ({"amount_cents": 100}, "method"),
    ({"amount_cents": 100, "method": "wire"}, "method"),
    ({"amount_cents": 100, "method": "card", "paid_at": "2026-06-03"}, "paid_at"),
    ({"amount_cents": 100, "method": "card", "paid_at": "2026-02-30T10:00:00Z"}, "paid_at"),
    ({"amount_cents": 100, "method": "card", "amount": 5}, "amount"),
])
def test_malformed_payments_are_400s_naming_the_field(client, sent, body, field):
    response = client.post(f"/api/v1/invoices/{sent}/payments", json=body)
    assert (response.status_code, response.json()["field"]) == (400, field), response.text


def test_a_payment_received_in_the_future_is_a_422(client, sent):
    response = pay(client, sent, 100, paid_at="2999-01-01T00:00:00Z")
    assert (response.status_code, response.json()["field"]) == (422, "paid_at")


def test_payments_of_unknown_or_other_accounts_invoices_are_404(client, sent, other_auth):
    assert pay(client, "NOPE-0001", 100).status_code == 404
    assert client.get("/api/v1/invoices/NOPE-0001/payments").status_code == 404
    assert client.post(f"/api/v1/invoices/{sent}/payments", headers=other_auth,
                       json={"amount_cents": 1, "method": "card"}).status_code == 404
    assert client.get(f"/api/v1/invoices/{sent}/payments", headers=other_auth).status_code == 404


def test_payments_list_oldest_first_a_page_at_a_time(client, sent):
    made = [pay(client, sent, n + 1).json()["id"] for n in range(5)]
    seen, cursor = [], None
    while True:
        page = client.get(f"/api/v1/invoices/{sent}/payments", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [payment["id"] for payment in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made
    bad = client.get(f"/api/v1/invoices/{sent}/payments", params={"cursor": "not-ours"})
    assert (bad.status_code, bad.json()["field"]) == (400, "cursor")


def test_a_payment_is_a_version_showing_what_was_paid_before_and_after(client, sent):
    pay(client, sent, 100000)
    pay(client, sent, 150000)
    newest, previous = client.get(f"/api/v1/invoices/{sent}/versions").json()["data"][:2]
    assert (previous["action"], previous["actor"], previous["changes"]) == (
        "payment", "sender", [{"field": "amount_paid_cents", "before": 0, "after": 100000}])
    assert (newest["action"], newest["changes"]) == ("payment", [
        {"field": "status", "before": "sent", "after": "paid"},
        {"field": "amount_paid_cents", "before": 100000, "after": TOTAL},
    ])
    refused = client.post(f"/api/v1/invoices/{sent}/versions/{previous['version']}/revert")
    assert refused.status_code == 409  # paid: locked


def test_a_payment_cannot_be_reverted_away(client, sent):
    pay(client, sent, 1000)
    version = client.get(f"/api/v1/invoices/{sent}/versions").json()["data"][0]["version"]
    response = client.post(f"/api/v1/invoices/{sent}/versions/{version}/revert")
    assert response.status_code == 422
    assert amounts(client.get(f"/api/v1/invoices/{sent}").json()) == (1000, 0, TOTAL - 1000)


def test_mark_paid_records_a_payment_of_what_is_left(client, sent):
    pay(client, sent, 100000, method="card")
    paid = client.post(f"/api/v1/invoices/{sent}/mark-paid").json()
    assert paid["status"] == "paid" and paid["paid_at"] and amounts(paid) == (TOTAL, 0, 0)
    listed = client.get(f"/api/v1/invoices/{sent}/payments").json()["data"]
    assert [(p["amount_cents"], p["method"]) for p in listed] == [(100000, "card"), (150000, "other")]
    version = client.get(f"/api/v1/invoices/{sent}/versions").json()["data"][0]
    assert version["action"] == "mark_paid"
    assert {"field": "amount_paid_cents", "before": 100000, "after": TOTAL} in version["changes"]


def test_mark_paid_of_a_draft_still_works_and_records_the_whole_total(client, create):
    number = create()["id"]
    paid = client.post(f"/api/v1/invoices/{number}/mark-paid").json()
    assert paid["status"] == "paid" and amounts(paid) == (TOTAL, 0, 0)


def test_a_financial_change_may_not_bring_the_total_below_what_was_paid(client, sent):
    pay(client, sent, 100000)
    cheaper = {"line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 99999}]}
    response = client.patch(f"/api/v1/invoices/{sent}", json=cheaper)
    assert (response.status_code, response.json()["field"]) == (422, "line_items")
    assert "$1,000.00 already paid" in response.json()["error"]
    discount = client.patch(f"/api/v1/invoices/{sent}", json={"discount": {"type": "percent", "value": 70}})
    assert (discount.status_code, discount.json()["field"]) == (422, "discount")
    currency = client.patch(f"/api/v1/invoices/{sent}", json={"currency": "EUR"})
    assert (currency.status_code, currency.json()["field"]) == (422, "currency")
    exact = {"line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 100000}]}
    changed = client.patch(f"/api/v1/invoices/{sent}", json=exact).json()
    assert changed["total_cents"] == 100000 and amounts(changed) == (100000, 0, 0)
    assert changed["status"] == "sent" and changed["revision"] == 2  # nothing due, but still to be approved
    assert client.patch(f"/api/v1/invoices/{sent}", json={"po_number": "PO-1"}).status_code == 200


def test_the_same_idempotency_key_records_one_payment(client, sent):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"amount_cents": 1000, "method": "card"}
    first = client.post(f"/api/v1/invoices/{sent}/payments", json=body, headers=headers)
    again = client.post(f"/api/v1/invoices/{sent}/payments", json=body, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert len(client.get(f"/api/v1/invoices/{sent}/payments").json()["data"]) == 1
    other = client.post(f"/api/v1/invoices/{sent}/payments", json={**body, "amount_cents": 2}, headers=headers)
    assert other.status_code == 422


def test_concurrent_payments_never_pay_more_than_is_due(services):
    account = services.accounts.ensure("payer@example.com", now())
    number = services.invoices.create(account, draft(PAGE_EXAMPLE, today=now().date()))["number"]
    services.invoices.act(account, number, "send")
    # Eight payments of 100,000 against 250,000 due: two fit, and no more.
    results = _race(8, lambda n: services.invoices.pay(account, number, {"amount_cents": 100000, "method": "card"}))
    accepted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(accepted) == 2 and len(refused) == 6
    assert all(getattr(error, "field", None) == "amount_cents" for error in refused), refused
    invoice = services.invoices.get(account, number)
    assert (invoice["amount_paid_cents"], invoice["status"]) == (200000, "sent")
    assert len(services.invoices.payments(account, number, 100, None).rows) == 2


def test_two_payments_racing_for_the_last_of_what_is_due_one_wins(services):
    account = services.accounts.ensure("closer@example.com", now())
    number = services.invoices.create(account, draft(PAGE_EXAMPLE, today=now().date()))["number"]
    services.invoices.act(account, number, "send")
    results = _race(2, lambda n: services.invoices.pay(account, number, {"amount_cents": TOTAL, "method": "card"}))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "dict"]  # the loser finds it paid
    invoice = services.invoices.get(account, number)
    assert (invoice["amount_paid_cents"], invoice["status"]) == (TOTAL, "paid")


def test_the_amounts_are_read_only_and_say_how_to_change_them(client, sent):
    response = client.patch(f"/api/v1/invoices/{sent}", json={"amount_paid_cents": 5})
    assert (response.status_code, response.json()["field"]) == (400, "amount_paid_cents")
    assert "record_payment (POST /api/v1/invoices/{number}/payments)" in response.json()["error"]
