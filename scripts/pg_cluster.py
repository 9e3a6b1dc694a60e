"""A throwaway PostgreSQL server on a loopback port, for the tests and the
benchmark: Debian's postgresql, run as the `postgres` user when we are root
(PostgreSQL refuses to run as root), in a temporary directory removed at exit."""

import atexit
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL server on a loopback port; without fsync unless
    `durable` (the benchmark measures the real thing)."""

    def __init__(self, *, durable: bool = False) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("PostgreSQL is not installed: `make test` installs Debian's postgresql with apt-get")
        self.bin = Path(found[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="jupiter-pg-"))
        self.data, self.sockets = self.root / "data", self.root / "sockets"
        self.sockets.mkdir()
        self.port = _free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c max_connections=300"
        if not durable:  # tests: it is the server under test, not PostgreSQL, that crash tests kill
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        atexit.register(self.stop)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / program), *args], check=True, capture_output=True,
                       cwd=self.root)

    def url(self, schema: str | None = None) -> str:
        base = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        return base + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def fresh_schema(self) -> str:
        """The URL of a new, empty schema: each test gets its own database, in effect."""
        import psycopg

        schema = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "stop"], capture_output=True, cwd=self.root)
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)
