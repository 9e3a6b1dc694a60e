"""Concurrent creates never duplicate or skip an invoice number, across threads,
processes and server workers."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx

from billing.customers import normal_customer
from billing.invoices import draft
from tests.backends import fresh_db
from tests.conftest import PAGE_EXAMPLE
from tests.live import mint_key, running_server
from workflow.clock import utc_now as now


def _create_many(db_path: str, count: int) -> list[str]:
    from workflow import Services

    services = Services.open(db_path)
    account_id = services.accounts.ensure("sender@example.com", now())
    return [services.invoices.create(account_id, draft(PAGE_EXAMPLE, today=now().date()))["number"]
            for _ in range(count)]


def test_processes_racing_on_one_customer_get_consecutive_numbers(tmp_path):
    db = fresh_db(tmp_path)
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        batches = pool.starmap(_create_many, [(db, 10)] * 4, chunksize=1)
    numbers = sorted(number for batch in batches for number in batch)
    assert numbers == [f"ACME-{n:04d}" for n in range(1, 41)]


def test_twenty_concurrent_creates_against_two_workers(tmp_path):
    db = fresh_db(tmp_path)
    key = mint_key(db)
    with running_server(db, workers=2) as base_url:
        def create(_):
            return httpx.post(f"{base_url}/api/v1/invoices", json=PAGE_EXAMPLE, timeout=30,
                              headers={"Authorization": f"Bearer {key}"})

        with ThreadPoolExecutor(20) as pool:
            responses = list(pool.map(create, range(20)))
    assert [r.status_code for r in responses] == [201] * 20
    assert sorted(r.json()["id"] for r in responses) == [f"ACME-{n:04d}" for n in range(1, 21)]


def _race(count: int, work) -> list:
    """`work(n)` from `count` threads released together; each result or exception."""
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait()
        try:
            return work(n)
        except Exception as error:  # noqa: BLE001 - the race's outcome, to assert on
            return error

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_first_invoices_racing_for_one_new_company_make_one_customer(services):
    account = services.accounts.ensure("racer@example.com", now())
    body = {**PAGE_EXAMPLE, "recipient": {"company": "Brand New Co"}}
    created = _race(12, lambda n: services.invoices.create(account, draft(body, today=now().date())))
    assert not [c for c in created if isinstance(c, Exception)], created
    assert {c["customer_number"] for c in created} == {1}
    assert sorted(c["number"] for c in created) == [f"BRAND-{n:04d}" for n in range(1, 13)]


def test_customers_made_at_once_are_numbered_per_account_without_holes(services):
    """Explicit creates and first invoices for new companies race on two accounts:
    each account's customers get the ids 1..N, none twice, none skipped."""
    accounts = [services.accounts.ensure(f"numbering-{n}@example.com", now()) for n in range(2)]

    def make(n):
        account, company = accounts[n % 2], f"Firm{n:02d} Ltd"  # codes FIRM00…: no clash to resolve
        if n % 4 < 2:
            return account, services.customers.create(account, normal_customer({"company": company}))["id"]
        body = {**PAGE_EXAMPLE, "recipient": {"company": company}}
        return account, services.invoices.create(account, draft(body, today=now().date()))["customer_number"]

    made = _race(24, make)
    assert not [m for m in made if isinstance(m, Exception)], made
    for account in accounts:
        assert sorted(number for owner, number in made if owner == account) == list(range(1, 13))
        listed = services.customers.page(account, 100, None).rows
        assert [customer["id"] for customer in listed] == list(range(12, 0, -1))


def test_concurrent_patches_of_one_invoice_each_make_one_version(services):
    account = services.accounts.ensure("patcher@example.com", now())
    number = services.invoices.create(account, draft(PAGE_EXAMPLE, today=now().date()))["number"]
    results = _race(10, lambda n: services.invoices.update(account, number, {"po_number": f"PO-{n}"}))
    assert not [r for r in results if isinstance(r, Exception)], results
    versions = services.invoices.versions(account, number, 100, None).rows
    assert sorted(v["version"] for v in versions) == list(range(1, 12))


def test_approve_racing_patches_and_reverts_never_approves_a_changed_revision(services):
    account = services.accounts.ensure("approver@example.com", now())
    record = services.invoices.create(account, draft(PAGE_EXAMPLE, today=now().date()))
    number, token = record["number"], record["share_token"]
    reviewed = services.invoices.act(account, number, "send")["version"]
    priced = {"line_items": [{"description": "Brand identity system", "quantity": 2, "unit_price_cents": 250000}]}

    def step(n):
        if n == 0:
            return services.invoices.approve(token, reviewed, revision=1)
        if n % 2:
            return services.invoices.update(account, number, priced if n == 1 else {"po_number": f"PO-{n}"})
        return services.invoices.revert(account, number, 2)

    _race(6, step)
    final = services.invoices.get(account, number)
    history = services.invoices.versions(account, number, 100, None).rows
    assert sorted(v["version"] for v in history) == list(range(1, final["version"] + 1)), "no version lost or doubled"
    approvals = [v for v in history if v["action"] == "approve"]
    if approvals:  # the approval won the race: nothing charged changed after it
        assert final["status"] == "approved" and final["revision"] == 1


def test_two_mailers_never_claim_one_message_twice(services, create):
    invoice = create()
    for n in range(30):  # each a notification to the sender
        services.invoices.comment_shared(invoice["share_token"], None, f"note {n}")
    claims = _race(4, lambda n: services.outbox.claim_due(now() + timedelta(seconds=1), timedelta(minutes=5), 10))
    claimed = [message["id"] for batch in claims for message in batch]
    assert len(claimed) == len(set(claimed)) == 30
