"""Connections: one per thread, each tuned the same way."""

import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations

# Long enough to queue behind a burst of writers from several processes.
BUSY_TIMEOUT_MS = 30_000
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def stamp(moment: datetime) -> str:
    """How every timestamp is stored and shown: UTC, to the second."""
    return moment.strftime(STAMP)


def unstamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP).replace(tzinfo=timezone.utc)


def connect(path: str | Path) -> Database:
    # isolation_level=None: no implicit transactions; every write opens its own
    # BEGIN IMMEDIATE (see Database.write below), so writers queue on the lock
    # up front instead of failing to upgrade a read transaction.
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a write is on disk before we acknowledge it, even if the OS crashes.
    conn.execute("PRAGMA synchronous = FULL")
    return Database(conn, execute_plugins=False)


@contextmanager
def immediate(db: Database):
    """A write transaction that takes the database's write lock at once. Inside
    another one it is a savepoint, so a unit of work can span several writers
    (an idempotent request and the invoice it creates commit together)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.execute("COMMIT")


def migrate(path: str | Path) -> None:
    """Create or upgrade the database. Safe when several processes start together."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        with immediate(db):
            migrations.apply(db)
    finally:
        db.close()


class Connections:
    """Hands each thread its own connection to one database file."""

    def __init__(self, path: str | Path):
        self.path = path
        self._local = threading.local()
        # Writers of this process queue here, in order, rather than in SQLite's busy
        # handler, which polls with sleeps of up to 100 ms and lets late comers jump
        # ahead. Other processes still meet at the database's own lock.
        self._write_lock = threading.RLock()

    @property
    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
        return db

    @contextmanager
    def write(self):
        with self._write_lock, immediate(self.db) as db:
            yield db
