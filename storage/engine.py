"""One small database adapter, two engines: SQLite (the embedded default) and
PostgreSQL. Everything above it sees units of work (`Tx`) that run SQL written
once, with `?` placeholders, and get plain dicts back.

What the engines do differently lives here and nowhere else:
- SQLite lets one writer in at a time (BEGIN IMMEDIATE), so its row locks and
  advisory locks are no-ops; PostgreSQL runs READ COMMITTED and needs them.
- SQLite reads take microseconds and may run on the event loop, and so may a
  quick write, its COMMIT going to a thread (`writing_on_loop`); a PostgreSQL
  statement is a network round trip and goes to a worker thread (`inline_reads`).
The PostgreSQL engine is storage.postgresql, loaded when a URL names one.
"""

import asyncio
import fcntl
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from storage.postgresql import PostgresDatabase

# Long enough to queue behind a burst of writers from several processes.
BUSY_TIMEOUT_MS = 30_000
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(db: str) -> bool:
    return urlsplit(str(db)).scheme in POSTGRES_SCHEMES


def redacted(db: str) -> str:
    """The database as it may be printed: a URL's password replaced by ***."""
    parts = urlsplit(str(db))
    if parts.scheme not in POSTGRES_SCHEMES or parts.password is None:
        return str(db)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Tx:
    """A unit of work on one connection. `for_update` and `skip_locked` are the
    locking clauses to append to a SELECT (empty where the engine needs none)."""

    for_update = ""
    skip_locked = ""

    def __init__(self, conn):
        self._conn = conn

    def all(self, sql: str, params=()) -> list[dict]:
        return self._execute(sql, params).fetchall()

    def each(self, sql: str, params=()) -> Iterator[dict]:
        """The rows one at a time, read as they are asked for: a caller that stops early
        never turns the rest into Python objects."""
        return iter(self._execute(sql, params))

    def one(self, sql: str, params=()) -> dict | None:
        return self._execute(sql, params).fetchone()

    def value(self, sql: str, params=()) -> Any:
        row = self.one(sql, params)
        return None if row is None else next(iter(row.values()))

    def run(self, sql: str, params=()) -> int:
        """Execute a statement; the number of rows it touched."""
        return self._execute(sql, params).rowcount

    def insert(self, table: str, row: dict, returning: str = "*") -> dict:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self.one(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {returning}", list(row.values()))

    def update(self, table: str, key: dict, columns: dict) -> int:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        where = " AND ".join(f"{name} = ?" for name in key)
        return self.run(f"UPDATE {table} SET {assignments} WHERE {where}", [*columns.values(), *key.values()])

    def lock(self, *names) -> None:
        """Hold an advisory lock on `names` until this unit of work ends."""

    def _execute(self, sql: str, params):
        raise NotImplementedError


_name = itemgetter(0)  # of a column in cursor.description


def _dict_row(cursor, row) -> dict:
    return dict(zip(map(_name, cursor.description), row, strict=True))


class _SqliteTx(Tx):
    def _execute(self, sql, params):
        return self._conn.execute(sql, params)


class _Group:
    """Units of work that commit together: each is acknowledged once the group's
    COMMIT is on disk, or fails with the error that COMMIT met."""

    def __init__(self) -> None:
        self.size = 0  # units kept
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._futures: dict[asyncio.AbstractEventLoop, asyncio.Future] = {}

    def done_on(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future:
        """A future of `loop`'s, done with the group: one wake-up for all its units on that
        loop. Asked for by a unit that holds the writer, so before the group can end."""
        future = self._futures.get(loop)
        if future is None:
            future = self._futures[loop] = loop.create_future()
        return future

    def finish(self, error: BaseException | None = None) -> None:
        self.error = error
        self._done.set()
        for loop, future in self._futures.items():
            try:
                loop.call_soon_threadsafe(_settle, future)
            except RuntimeError:  # that loop has closed: nobody there is waiting
                pass

    def wait(self) -> None:
        self._done.wait()
        if self.error is not None:
            raise self.error


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _rolled_back() -> sqlite3.OperationalError:
    return sqlite3.OperationalError("The transaction was rolled back; retry.")


# A group commits once nobody queues behind it, or once it holds this many units.
LARGEST_GROUP = 32


class SqliteDatabase:
    """One file; a connection per thread for reads, one for this process's writes.
    Writers of this process queue in order for that connection, and those that
    arrive together commit together: each unit of work is a savepoint of one
    transaction, acknowledged when its COMMIT, and so one fsync for the whole group,
    is done. Groups of several processes take turns on an OS file lock beside the
    database before they meet at SQLite's own: the kernel hands it to a waiter the
    moment it is released, where SQLite's busy handler would have the others poll
    with sleeps of up to 100 ms, and the queue behind a turn becomes the next group.

    A writer is a worker thread (`write()`) or a request on the event loop
    (`writing_on_loop`), whose quick SQL runs right there: only its group's COMMIT
    goes to a thread, and the requests that arrive while it runs are the next group,
    handed the writer from one to the next with no thread between them."""

    inline_reads = True
    engine = "sqlite"

    def __init__(self, path: str | Path, *, durable: bool = True):
        self.path = Path(path)
        self.url = str(path)
        self._durable = durable
        self._local = threading.local()
        # SQLite's busy handler polls with sleeps of up to 100 ms and lets late comers
        # jump ahead; queueing here keeps this process's writers in order.
        self._write_lock = threading.Lock()  # held by whoever has the writer connection
        self._writer: sqlite3.Connection | None = None
        self._group: _Group | None = None
        self._queued = 0  # threads waiting for the writer, counted under _queue_lock
        self._loop_waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()
        self._queue_lock = threading.Lock()
        self._turn: int | None = None  # the open lock file of the writers' turns
        self._committer: ThreadPoolExecutor | None = None  # where the event loop's groups commit
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; write() opens BEGIN IMMEDIATE,
        # so writers queue on the lock up front instead of failing to upgrade a read.
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        conn.row_factory = _dict_row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a write is on disk before we acknowledge it, even if the OS crashes.
        # Scratch databases (rate buckets) trade that for speed: losing them loses nothing.
        conn.execute(f"PRAGMA synchronous = {'FULL' if self._durable else 'OFF'}")
        if conn.execute("PRAGMA journal_mode").fetchone()["journal_mode"] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def read(self) -> Iterator[Tx]:
        # Inside a unit of work, or a request holding the writer: read what it has written.
        local = self._local
        yield _SqliteTx(self._writer if getattr(local, "writing", False) or getattr(local, "holding", False)
                        else self._conn)

    @staticmethod
    @contextmanager
    def _savepoint(conn: sqlite3.Connection) -> Iterator[Tx]:
        """A unit of work inside the open transaction: undone alone if it fails."""
        conn.execute("SAVEPOINT unit")
        try:
            yield _SqliteTx(conn)
        except BaseException:
            if conn.in_transaction:  # else SQLite has already rolled back the whole transaction
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
            raise
        conn.execute("RELEASE unit")

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A unit of work, returning once it is durable. Inside another one on this
        thread, a savepoint of it, so a unit of work can span several writers (an
        idempotent request and the invoice it creates commit together). In a request
        holding the writer on the event loop, a unit of its group, made durable before
        the request answers (see writing_on_loop)."""
        if getattr(self._local, "writing", False):
            with self._savepoint(self._writer) as tx:
                yield tx
            return
        if getattr(self._local, "holding", False):
            if self._group is None:
                raise _rolled_back()
            with self._unit(self._group) as tx:
                yield tx
            return
        with self._queue_lock:
            self._queued += 1
        self._write_lock.acquire()
        try:
            with self._queue_lock:
                self._queued -= 1
            group = self._join_group()
            assert group is not None  # a thread waits for its turn
            try:
                with self._unit(group) as tx:
                    yield tx
            finally:
                if self._ends_with(group):
                    self._end_group()
        finally:
            self._release_writer()
        group.wait()

    def _ends_with(self, group: _Group) -> bool:
        """Whether `group` ends with the unit just done: it is still open (SQLite has not
        rolled it back), and it is full or nobody waits to carry it on."""
        return self._group is group and (group.size >= LARGEST_GROUP or not (self._queued or self._loop_waiters))

    @contextmanager
    def _unit(self, group: _Group) -> Iterator[Tx]:
        """One unit of work in the open group, by whoever holds the writer."""
        self._local.writing = True
        try:
            with self._savepoint(self._writer) as tx:
                yield tx
            group.size += 1
        finally:
            self._local.writing = False
            if not self._writer.in_transaction:  # a failure SQLite answered by rolling back everything
                self._end_group(_rolled_back())

    async def writing_on_loop(self, work: Callable, *args, elsewhere: Callable):
        """`work(*args)` on the event loop, holding the writer: its units of work join
        this process's open group (or begin one) and are made durable before this
        returns, the COMMIT (and its fsync) on a thread of its own. `work` must be
        quick: SQL, and nothing that waits. While another process has the writers'
        turn, `elsewhere(work, *args)` (a worker thread, where waiting for the turn
        blocks nobody) runs it instead."""
        loop = asyncio.get_running_loop()
        await self._take_writer(loop)
        try:
            group = self._join_group(wait=False)
        except BaseException:
            self._release_writer()
            raise
        if group is None:
            self._release_writer()
            return await elsewhere(work, *args)
        durable = group.done_on(loop)
        self._local.holding = True
        try:
            return work(*args)
        finally:
            self._local.holding = False
            # Whatever `work` wrote, or read of its group's units before it (an idempotent
            # answer, say), is answered only once on disk.
            pending = group.size > 0
            self._leave(group)
            if pending:
                await asyncio.shield(durable)
                if group.error is not None:
                    raise group.error

    async def _take_writer(self, loop: asyncio.AbstractEventLoop) -> None:
        """The writer for a request on `loop`: at once if nobody has it, else when handed on."""
        with self._queue_lock:
            if not self._loop_waiters and self._write_lock.acquire(blocking=False):
                return
            waiter = loop.create_future()
            self._loop_waiters.append((loop, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed the writer as the request ended
                self._release_writer()
            raise

    def _release_writer(self) -> None:
        """Hand the writer to the next request waiting on an event loop or, when a thread
        waits too or nobody does, let it go (threads queue on the lock). A group left open
        for a request that has since gone is committed first."""
        with self._queue_lock:
            if self._queued or not (self._loop_waiters or self._group):
                self._write_lock.release()
                return
            loop, waiter = self._loop_waiters.popleft() if self._loop_waiters else (None, None)
        if loop is None:
            self._commit_elsewhere()
        elif asyncio._get_running_loop() is loop:
            self._hand_over(waiter)
        else:
            try:
                loop.call_soon_threadsafe(self._hand_over, waiter)
            except RuntimeError:  # that loop has closed, and its request with it
                self._release_writer()

    def _hand_over(self, waiter: asyncio.Future) -> None:
        if waiter.cancelled():
            self._release_writer()
        else:
            waiter.set_result(None)

    def _leave(self, group: _Group) -> None:
        """A request on the event loop is done with the writer: hand it on with the group
        still open when others wait, else end the group, its COMMIT on the committer's thread."""
        if not self._ends_with(group):
            self._release_writer()
        elif group.size == 0:  # nobody wrote: no fsync to wait for
            self._end_group()
            self._release_writer()
        else:
            self._commit_elsewhere()

    def _commit_elsewhere(self) -> None:
        """End the open group on the committer's thread, which then lets the writer go."""
        if self._committer is None:
            self._committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="commit")
        self._committer.submit(self._commit_and_release)

    def _commit_and_release(self) -> None:
        try:
            self._end_group()
        finally:
            self._release_writer()

    def _join_group(self, *, wait: bool = True) -> _Group | None:
        """The group of units the caller's joins, its transaction begun by the first;
        None, without `wait`, while another process has the writers' turn."""
        if self._writer is None:
            self._writer = self._connect()
            self._turn = os.open(f"{self.path}-writers", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        if self._group is None:
            try:  # released by _end_group, or by the kernel if we die
                fcntl.flock(self._turn, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            try:
                self._writer.execute("BEGIN IMMEDIATE")
            except BaseException:
                fcntl.flock(self._turn, fcntl.LOCK_UN)
                raise
            self._group = _Group()
        return self._group

    def _end_group(self, error: BaseException | None = None) -> None:
        group, self._group = self._group, None
        try:
            if error is None:
                try:
                    self._writer.execute("COMMIT")
                except BaseException as failed:
                    error = failed
            if error is not None and self._writer.in_transaction:
                self._writer.rollback()
        finally:
            fcntl.flock(self._turn, fcntl.LOCK_UN)
            group.finish(error)

    @contextmanager
    def migrating(self) -> Iterator[Tx]:
        with self.write() as tx:  # BEGIN IMMEDIATE: one migrator at a time
            yield tx

    def ddl(self, sql: str) -> str:
        return sql.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", float="REAL", unlogged="")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._committer is not None:
            self._committer.shutdown()
            self._committer = None
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
                os.close(self._turn)
                self._turn = None


Database = Union[SqliteDatabase, "PostgresDatabase"]  # noqa: UP007 - the name is only known to type checkers


def open_database(db: str | Path, **options) -> Database:
    """The engine for `db`: a PostgreSQL URL, else a SQLite file path."""
    if is_postgres_url(str(db)):
        # psycopg and its pool (9 MB a process) are loaded by the servers that use them only.
        from storage.postgresql import PostgresDatabase

        return PostgresDatabase(str(db), **options)
    return SqliteDatabase(db, **options)
