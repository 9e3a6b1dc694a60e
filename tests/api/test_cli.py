"""The command line that tests, scripts and the README rely on, on either backend."""

import contextlib
import subprocess

import httpx
import pytest

from tests.backends import ON_POSTGRES, cluster, fresh_db
from tests.conftest import PAGE_EXAMPLE
from tests.live import BIN, LiveServer, mint_key


@contextlib.contextmanager
def serving(db):
    server = LiveServer(db)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def test_keys_create_prints_only_the_new_key(tmp_path):
    result = subprocess.run([BIN, "keys", "create", "--email", "Me@Example.com", "--name", "laptop",
                             "--db", fresh_db(tmp_path)], capture_output=True, text=True, check=True)
    (line,) = result.stdout.splitlines()
    assert line.startswith("jk_live_") and len(line) >= len("jk_live_") + 32


def test_serve_prints_a_demo_key_on_first_start_that_works(tmp_path):
    db = fresh_db(tmp_path / "fresh")
    with serving(db) as server:
        key = next(word for word in server.log_path.read_text().split() if word.startswith("jk_live_"))
        response = httpx.post(f"{server.base_url}/api/v1/invoices", json=PAGE_EXAMPLE,
                              headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 201
        assert response.json()["share_url"].startswith(f"{server.base_url}/i/")


def test_a_second_start_prints_no_key_and_keeps_the_data(tmp_path):
    db = fresh_db(tmp_path)
    key = mint_key(db)
    with serving(db) as server:
        httpx.post(f"{server.base_url}/api/v1/invoices", json=PAGE_EXAMPLE, headers={"Authorization": f"Bearer {key}"})
    with serving(db) as server:
        listed = httpx.get(f"{server.base_url}/api/v1/invoices", headers={"Authorization": f"Bearer {key}"}).json()
        assert [i["id"] for i in listed["data"]] == ["ACME-0001"]
        assert "jk_live_" not in server.log_path.read_text()


def test_migrate_creates_then_finds_the_schema_current(tmp_path):
    db = fresh_db(tmp_path)
    first = subprocess.run([BIN, "migrate", "--db", db], capture_output=True, text=True, check=True)
    again = subprocess.run([BIN, "migrate", "--db", db], capture_output=True, text=True, check=True)
    assert "applied m001_accounts_and_keys" in first.stdout
    assert "already up to date" in again.stdout


def test_several_migrations_at_once_each_succeed(tmp_path):
    db = fresh_db(tmp_path)
    runs = [subprocess.Popen([BIN, "migrate", "--db", db], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * 4
    assert sum("applied m001" in output for output in outputs) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL URL with a password")
def test_a_password_in_the_url_is_never_printed(tmp_path):
    import psycopg

    with psycopg.connect(cluster().url(), autocommit=True) as conn:
        conn.execute("DO $$ BEGIN CREATE ROLE billing LOGIN PASSWORD 's3cret-pw'; "
                     "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        conn.execute("GRANT ALL ON SCHEMA public TO billing")
    db = cluster().url().replace("postgres@", "billing:s3cret-pw@")
    result = subprocess.run([BIN, "migrate", "--db", db], capture_output=True, text=True, check=True)
    assert "s3cret-pw" not in result.stdout + result.stderr and "billing:***@" in result.stdout
    assert not list(tmp_path.iterdir()), "a URL is never taken for a file path"
