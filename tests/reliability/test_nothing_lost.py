"""Nothing duplicated, nothing skipped, nothing lost: concurrency across worker
processes, and a SIGKILL in the middle of a create load."""

import sqlite3
import time

import httpx

from storage.engine import open_database
from tests.backends import ON_POSTGRES, fresh_db
from tests.live import LiveServer, mint_key, running_server
from tests.reliability.load import Load, burst, gapless

NO_LIMIT = ("--rate-limit", "0")


def test_200_concurrent_creates_over_5_customers_on_4_workers(tmp_path):
    db = fresh_db(tmp_path)
    key = mint_key(db)
    with running_server(db, workers=4, extra_args=NO_LIMIT) as base_url:
        responses = burst(base_url, key, 200)
    assert [r.status_code for r in responses] == [201] * 200, {r.text for r in responses if r.status_code != 201}
    numbers = [r.json()["id"] for r in responses]
    assert len(set(numbers)) == 200
    assert gapless(numbers)
    assert {n.split("-")[0] for n in numbers} == {"ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI"}


def test_a_sigkill_mid_load_loses_no_acknowledged_invoice(tmp_path):
    db = fresh_db(tmp_path)
    key = mint_key(db)
    server = LiveServer(db, workers=2, extra_args=NO_LIMIT)
    try:
        server.wait_until_ready()
        with Load(server.base_url, key) as load:
            deadline = time.monotonic() + 10
            while len(load.acknowledged) < 60 and time.monotonic() < deadline:
                time.sleep(0.05)
            server.kill()  # mid-load: requests are in flight
        assert len(load.acknowledged) >= 60
    finally:
        server.stop()

    if not ON_POSTGRES:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    database = open_database(db)
    with database.read() as tx:
        stored = [row["number"] for row in tx.all("SELECT number FROM invoices")]
    database.close()
    assert gapless(stored), "a crash may cut a load short, never leave a hole"

    # The same public URL as before the crash, so share links are the same too.
    with running_server(db, extra_args=("--public-url", server.base_url, *NO_LIMIT)) as base_url:
        headers = {"Authorization": f"Bearer {key}"}
        for sent, acknowledged in load.acknowledged:
            stored_invoice = httpx.get(f"{base_url}/api/v1/invoices/{acknowledged['id']}", headers=headers).json()
            assert stored_invoice == acknowledged
            assert stored_invoice["line_items"][0]["description"] == sent["line_items"][0]["description"]
