"""A real `jupiter-invoice serve` process on a free loopback port, for tests that
need the wire: several workers, MCP over HTTP, browsers."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "jupiter-invoice"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mint_key(db: Path, email: str = "live@example.com") -> str:
    result = subprocess.run([BIN, "keys", "create", "--email", email, "--db", db], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@contextlib.contextmanager
def running_server(db: Path, *, workers: int = 1, startup_seconds: float = 30, extra_args: tuple = (),
                   env: dict | None = None):
    """Serve `db` until the block ends; yield the base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    db.parent.mkdir(parents=True, exist_ok=True)
    log = open(db.parent / f"server-{port}.log", "w")
    process = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--db", db, "--workers", str(workers), *extra_args],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if httpx.get(f"{base_url}/api/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {(db.parent / log.name).read_text()}")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
