"""The spec as its users' tools see it: the `schemathesis run` command line, with
its default checks, against a live `jupiter-invoice serve`, finds no failure.

The one allowance, in schemathesis.toml beside this file, is the contract's:
schema-valid data that only the stored data can judge (a cursor we never issued,
another account's customer_id, an Idempotency-Key already used for another
request) may be refused with the 400 or 422 the spec documents."""

import subprocess
import sys
from pathlib import Path

import pytest

from app import spec
from tests.live import mint_key, running_server

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
MAX_EXAMPLES = 10
SECONDS = 300


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("schemathesis-cli") / "jupiter.db"
    # Thousands of requests in seconds: the per-key rate limit (tested on its own) would answer 429.
    with running_server(db, extra_args=("--rate-limit", "0")) as base_url:
        yield base_url, mint_key(db, "schemathesis-cli@example.com")


def test_schemathesis_run_with_its_default_checks_finds_no_failure(server, tmp_path):
    base_url, key = server
    command = [
        SCHEMATHESIS, "--config-file", CONFIG, "--no-color", "run", f"{base_url}/api/openapi.json",
        "-H", f"Authorization: Bearer {key}",
        "--max-examples", str(MAX_EXAMPLES),
        # One worker: schemathesis' coverage phase has failed in Hypothesis internals when threads share it.
        "--workers", "1",
        "--request-timeout", "10",
    ]
    try:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=SECONDS)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"schemathesis run took longer than {SECONDS} s:\n{expired.stdout}")
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    operations = len(list(spec.operations(spec.load())))
    assert f"Tested: {operations}" in report, report
