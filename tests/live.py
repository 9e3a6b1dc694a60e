"""A real `jupiter-invoice serve` process on a free loopback port, for tests that
need the wire: several workers, MCP over HTTP, browsers."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "jupiter-invoice"
LOGS = Path(tempfile.mkdtemp(prefix="jupiter-servers-"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mint_key(db: str | Path, email: str = "live@example.com") -> str:
    result = subprocess.run([BIN, "keys", "create", "--email", email, "--db", str(db)], capture_output=True, text=True,
                            check=True)
    return result.stdout.strip()


class LiveServer:
    """A `jupiter-invoice serve` process group (the parent and its workers)."""

    def __init__(self, db: str | Path, *, workers: int = 1, extra_args: tuple = (), env: dict | None = None):
        self.db = str(db)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = LOGS / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--db", self.db, "--workers", str(workers), *extra_args],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )

    def wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {self.log_path.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole group, as a power cut or the OOM killer would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


@contextlib.contextmanager
def running_server(db: str | Path, *, workers: int = 1, startup_seconds: float = 60, extra_args: tuple = (),
                   env: dict | None = None):
    """Serve `db` until the block ends; yield the base URL."""
    server = LiveServer(db, workers=workers, extra_args=extra_args, env=env)
    try:
        server.wait_until_ready(startup_seconds)
        yield server.base_url
    finally:
        server.stop()
