"""The database each test runs on: a fresh SQLite file (the default), or, with
JUPITER_TEST_BACKEND=postgresql, a fresh schema in a PostgreSQL cluster that the
tests start themselves (Debian's postgresql, run as the `postgres` user when the
tests run as root, which PostgreSQL refuses to run as)."""

import os
from pathlib import Path

from scripts.pg_cluster import Cluster

BACKEND = os.environ.get("JUPITER_TEST_BACKEND", "sqlite")
ON_POSTGRES = BACKEND == "postgresql"
_cluster: Cluster | None = None


def cluster() -> Cluster:
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
    return _cluster


def fresh_db(directory: Path) -> str:
    """A new, empty database for one test (or one live server)."""
    if ON_POSTGRES:
        return cluster().fresh_schema()
    return str(directory / "jupiter.db")


def dump(db) -> str:
    """Every row of every table, as text: to check what is (not) stored."""
    with db.read() as tx:
        if ON_POSTGRES:
            tables = [row["tablename"] for row in tx.all("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        else:
            tables = [row["name"] for row in tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(f"{table}: {row!r}" for table in tables for row in tx.all(f"SELECT * FROM {table}"))
