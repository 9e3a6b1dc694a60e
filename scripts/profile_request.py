"""What one request costs, measured inside the process: the app is called as an ASGI
application, with no server and no network, so the CPU time is the app's alone
(the event loop and its worker threads), and --profile shows where it goes.

Usage: python scripts/profile_request.py get|create|list|share|mcp|mcp-2026 [--requests N]
       [--db PATH_OR_URL] [--profile [--sort tottime|cumulative]] [--inline]

--inline runs the work meant for worker threads on the event loop, so that cProfile,
which sees one thread, sees all of it (the thread hops' own cost is then left out).
Without --db the database is a fresh SQLite file; a PostgreSQL URL must name an
empty, migrated schema (scripts/pg_cluster.py makes one)."""

import argparse
import asyncio
import cProfile
import json
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import threads  # noqa: E402 - after the path is set
from app.factory import create_app  # noqa: E402
from scripts.bench import INVOICE, MCP_2025, MCP_2026, MCP_REQUESTS  # noqa: E402 - the bench's own requests


class Client:
    """Calls the app the way a server would, one request at a time."""

    def __init__(self, app, key: str):
        self.app, self.key = app, key

    async def __call__(self, method: str, path: str, query: str = "", body: dict | None = None,
                       more_headers: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else b""
        headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {self.key}".encode())]
        if body is not None:
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                        (b"accept", b"application/json, text/event-stream")]
        for name, value in (more_headers or {}).items():
            if name.lower() not in ("content-type", "accept"):
                headers.append((name.lower().encode(), value.encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
                 "server": ("127.0.0.1", 8000), "state": {}}
        received, status, chunks = False, [], []

        async def receive():
            nonlocal received
            if received:
                await asyncio.Event().wait()  # the client never disconnects
            received = True
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status[0], b"".join(chunks)


async def _inline(function, *args, **kwargs):
    return function(*args, **kwargs)


async def run(args) -> None:
    db = args.db or str(Path(tempfile.mkdtemp(prefix="jupiter-profile-")) / "profile.db")
    key = subprocess.run([Path(sys.executable).parent / "jupiter-invoice", "keys", "create", "--email",
                          "profile@example.com", "--db", db], capture_output=True, text=True, check=True).stdout.strip()
    if args.inline:
        threaded = threads.run_blocking
        for module in list(sys.modules.values()):  # wherever it was imported
            if getattr(module, "run_blocking", None) is threaded:
                setattr(module, "run_blocking", _inline)  # noqa: B010 - any module that imported it
    app = create_app(db, "http://127.0.0.1:8000", scheduler_interval=0, webhook_senders=0)
    async with app.router.lifespan_context(app):
        call = Client(app, key)
        status, body = await call("POST", "/api/v1/invoices", body=INVOICE)
        assert status == 201, body
        token = json.loads(body)["share_token"]
        requests: dict[str, tuple] = {
            "get": ("GET", "/api/v1/invoices/ACME-0001", "", None),
            "create": ("POST", "/api/v1/invoices", "", INVOICE),
            "list": ("GET", "/api/v1/invoices", "limit=50", None),
            "share": ("GET", f"/i/{token}", "", None),
            # tools/call get_invoice as the bench sends it at each revision, headers and all
            "mcp": ("POST", "/mcp", "", MCP_REQUESTS[MCP_2025][1], MCP_REQUESTS[MCP_2025][0]),
            "mcp-2026": ("POST", "/mcp", "", MCP_REQUESTS[MCP_2026][1], MCP_REQUESTS[MCP_2026][0]),
        }
        if args.operation == "list":
            for _ in range(50):
                await call("POST", "/api/v1/invoices", body=INVOICE)
        request = requests[args.operation]
        for _ in range(min(50, args.requests)):  # warm: first uses build what they keep
            await call(*request)
        profile = cProfile.Profile() if args.profile else None
        started = time.process_time()
        if profile:
            profile.enable()
        for _ in range(args.requests):
            status, body = await call(*request)
            assert status < 300, (status, body[:500])
        if profile:
            profile.disable()
        spent = time.process_time() - started
    print(f"{args.operation}: {1000 * spent / args.requests:.3f} ms of CPU a request ({args.requests} requests)")
    if profile:
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=["get", "create", "list", "share", "mcp", "mcp-2026"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--db", help="a SQLite path or a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's statistics")
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--inline", action="store_true", help="run worker-thread work on the event loop")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
