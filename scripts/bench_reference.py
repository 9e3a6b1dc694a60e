"""The bare reference the benchmark measures our API against, in the same run:
plain Starlette routes doing the least each of our operations must do."""

import json
import os
import sqlite3
import threading

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DB = os.environ["BENCH_DB"]
_local = threading.local()
_write_lock = threading.Lock()  # writers queue in order, as storage/db.py has them do


def _conn() -> sqlite3.Connection:
    if not hasattr(_local, "conn"):
        _local.conn = sqlite3.connect(DB, isolation_level=None)
        _local.conn.execute("PRAGMA synchronous = FULL")
        _local.conn.execute("CREATE TABLE IF NOT EXISTS bench_scratch (body TEXT)")
    return _local.conn


async def static(request):
    return JSONResponse({"id": "ACME-0001", "status": "draft", "total_cents": 250000})


async def row(request):
    (content,) = _conn().execute("SELECT content FROM invoices WHERE number = ?", ["ACME-0001"]).fetchone()
    return Response(json.dumps(json.loads(content)), media_type="application/json")


def _insert(body: bytes) -> None:
    conn = _conn()
    with _write_lock:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_scratch (body) VALUES (?)", [body.decode()])
        conn.execute("COMMIT")


async def insert(request):
    await run_in_threadpool(_insert, await request.body())
    return JSONResponse({"ok": True}, status_code=201)


app = Starlette(routes=[Route("/static", static), Route("/row", row), Route("/insert", insert, methods=["POST"])])
