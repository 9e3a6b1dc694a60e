"""The bare reference the benchmark measures our API against, in the same run:
plain Starlette routes doing the least each of our operations must do, on the
same backend (BENCH_DB: a SQLite file or a PostgreSQL URL)."""

import json
import os
import sqlite3
import threading

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DB = os.environ["BENCH_DB"]
ON_POSTGRES = DB.startswith(("postgresql://", "postgres://"))
_local = threading.local()
_write_lock = threading.Lock()  # writers queue in order, as storage/engine.py has them do
_pool = None
if ON_POSTGRES:
    from psycopg_pool import ConnectionPool

    _pool = ConnectionPool(DB, min_size=1, max_size=10, open=True, kwargs={"autocommit": True})
    with _pool.connection() as setup, setup.transaction():
        setup.execute("SELECT pg_advisory_xact_lock(42)")  # worker processes start together
        setup.execute("CREATE TABLE IF NOT EXISTS bench_scratch (body TEXT)")


def _conn() -> sqlite3.Connection:
    if not hasattr(_local, "conn"):
        _local.conn = sqlite3.connect(DB, isolation_level=None)
        _local.conn.execute("PRAGMA synchronous = FULL")
        _local.conn.execute("CREATE TABLE IF NOT EXISTS bench_scratch (body TEXT)")
    return _local.conn


async def static(request):
    return JSONResponse({"id": "ACME-0001", "status": "draft", "total_cents": 250000})


def _read() -> str:
    if _pool is not None:
        with _pool.connection() as conn:
            return conn.execute("SELECT content FROM invoices WHERE number = %s", ["ACME-0001"]).fetchone()[0]
    return _conn().execute("SELECT content FROM invoices WHERE number = ?", ["ACME-0001"]).fetchone()[0]


async def row(request):
    # A PostgreSQL read is a round trip: off the event loop, as ours is.
    content = await run_in_threadpool(_read) if ON_POSTGRES else _read()
    return Response(json.dumps(json.loads(content)), media_type="application/json")


def _insert(body: bytes) -> None:
    if _pool is not None:
        with _pool.connection() as conn, conn.transaction():
            conn.execute("INSERT INTO bench_scratch (body) VALUES (%s)", [body.decode()])
        return
    local = _conn()
    with _write_lock:
        local.execute("BEGIN IMMEDIATE")
        local.execute("INSERT INTO bench_scratch (body) VALUES (?)", [body.decode()])
        local.execute("COMMIT")


async def insert(request):
    await run_in_threadpool(_insert, await request.body())
    return JSONResponse({"ok": True}, status_code=201)


app = Starlette(routes=[Route("/static", static), Route("/row", row), Route("/insert", insert, methods=["POST"])])
