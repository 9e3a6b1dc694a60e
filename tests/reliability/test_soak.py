"""The long run, for `make soak` (not part of `make test`): a mixed load on four
workers for SOAK_SECONDS (default 120), the server killed with SIGKILL and
restarted every 20 seconds, every invariant checked after each restart."""

import os
import sqlite3
import time

import httpx
import pytest

from tests.live import LiveServer, mint_key
from tests.reliability.load import Load, gapless

pytestmark = pytest.mark.soak
SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
KILL_EVERY = 20


def check_invariants(db, base_url, key, acknowledged):
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert gapless([n for (n,) in conn.execute("SELECT number FROM invoices")])
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(headers=headers, timeout=30) as client:
        for _, invoice in acknowledged:
            assert client.get(f"{base_url}/api/v1/invoices/{invoice['id']}").json() == invoice


def test_hours_of_work_in_minutes(tmp_path):
    db = tmp_path / "soak.db"
    key = mint_key(db)
    public_url = None
    acknowledged = []
    deadline = time.monotonic() + SECONDS
    rounds = 0
    while time.monotonic() < deadline:
        server = LiveServer(db, workers=4, extra_args=("--rate-limit", "0", "--no-access-log",
                                                       *(("--public-url", public_url) if public_url else ())))
        public_url = public_url or server.base_url
        try:
            server.wait_until_ready()
            check_invariants(db, server.base_url, key, acknowledged)
            with Load(server.base_url, key, threads=16) as load:
                time.sleep(min(KILL_EVERY, max(1, deadline - time.monotonic())))
                server.kill()
            acknowledged += load.acknowledged
            rounds += 1
        finally:
            server.stop()
    server = LiveServer(db, extra_args=("--public-url", public_url, "--rate-limit", "0"))
    try:
        server.wait_until_ready()
        check_invariants(db, server.base_url, key, acknowledged)
    finally:
        server.stop()
    print(f"\nsoak: {rounds} kill/restart rounds, {len(acknowledged)} acknowledged invoices, none lost")
