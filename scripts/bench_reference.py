"""The bare reference the benchmark measures our API against, in the same run:
plain Starlette routes doing the least each of our operations must do, on the
same backend and the same rows (BENCH_DB: our SQLite file or PostgreSQL URL)."""

import html
import json
import os
import sqlite3
import threading

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

DB = os.environ["BENCH_DB"]
ON_POSTGRES = DB.startswith(("postgresql://", "postgres://"))
NEWEST = 9223372036854775807
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


def _query(sql: str, params: list) -> list:
    if _pool is not None:
        with _pool.connection() as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    return _conn().execute(sql, params).fetchall()


async def _off_the_loop(function, *args):
    # A PostgreSQL read is a round trip: off the event loop, as ours is.
    return await run_in_threadpool(function, *args) if ON_POSTGRES else function(*args)


async def static(request):
    return JSONResponse({"id": "ACME-0001", "status": "draft", "total_cents": 250000})


# The bench's account, the first and only one in the database it makes.
ACCOUNT_ID = 1


def _read() -> str:
    # By the account's unique (account_id, number), as ours looks it up: no table scan.
    return _query("SELECT content FROM invoices WHERE account_id = ? AND number = ?", [ACCOUNT_ID, "ACME-0001"])[0][0]


async def row(request):
    content = await _off_the_loop(_read)
    return Response(json.dumps(json.loads(content)), media_type="application/json")


async def page(request):
    """A page of rows, newest first, below `before` (a keyset cursor in the clear)."""
    limit, before = int(request.query_params.get("limit", 50)), int(request.query_params.get("before", NEWEST))
    found = await _off_the_loop(
        _query, "SELECT id, content FROM invoices WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
        [ACCOUNT_ID, before, limit + 1])
    body = {"data": [json.loads(content) for _, content in found[:limit]],
            "next_cursor": str(found[limit - 1][0]) if len(found) > limit else None}
    return Response(json.dumps(body), media_type="application/json")


async def page_html(request):
    content = json.loads(await _off_the_loop(_read))
    items = "".join(f"<tr><td>{html.escape(item['description'])}</td><td>{item['unit_price_cents']}</td></tr>"
                    for item in content["line_items"])
    return HTMLResponse(f"<!doctype html><title>ACME-0001</title><table>{items}</table>")


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


app = Starlette(routes=[Route("/static", static), Route("/row", row), Route("/page", page),
                        Route("/html", page_html), Route("/insert", insert, methods=["POST"])])
