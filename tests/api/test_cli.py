"""The command line that tests, scripts and the README rely on."""

import subprocess

import httpx

from tests.conftest import PAGE_EXAMPLE
from tests.live import BIN, mint_key, running_server


def test_keys_create_prints_only_the_new_key(tmp_path):
    db = tmp_path / "cli.db"
    result = subprocess.run([BIN, "keys", "create", "--email", "Me@Example.com", "--name", "laptop", "--db", db],
                            capture_output=True, text=True, check=True)
    (line,) = result.stdout.splitlines()
    assert line.startswith("jk_live_") and len(line) >= len("jk_live_") + 32


def test_serve_prints_a_demo_key_on_first_start_that_works(tmp_path):
    db = tmp_path / "fresh" / "jupiter.db"
    with running_server(db) as base_url:
        log = next(tmp_path.joinpath("fresh").glob("server-*.log")).read_text()
        key = next(word for word in log.split() if word.startswith("jk_live_"))
        response = httpx.post(f"{base_url}/api/v1/invoices", json=PAGE_EXAMPLE, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 201
        assert response.json()["share_url"].startswith(f"{base_url}/i/")


def test_a_second_start_prints_no_key_and_keeps_the_data(tmp_path):
    db = tmp_path / "jupiter.db"
    key = mint_key(db)
    with running_server(db) as base_url:
        httpx.post(f"{base_url}/api/v1/invoices", json=PAGE_EXAMPLE, headers={"Authorization": f"Bearer {key}"})
    with running_server(db) as base_url:
        listed = httpx.get(f"{base_url}/api/v1/invoices", headers={"Authorization": f"Bearer {key}"}).json()
        assert [i["id"] for i in listed["data"]] == ["ACME-0001"]
    assert all("jk_live_" not in log.read_text() for log in tmp_path.glob("server-*.log"))
