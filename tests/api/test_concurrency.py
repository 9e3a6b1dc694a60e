"""Concurrent creates never duplicate or skip an invoice number, across threads,
processes and server workers."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import PAGE_EXAMPLE
from tests.live import mint_key, running_server
from tests.backends import fresh_db


def _create_many(db_path: str, count: int) -> list[str]:
    from billing.invoices import draft
    from workflow.clock import utc_now as now
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
