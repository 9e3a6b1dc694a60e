"""storage.engine's SQLite group commit: writes that arrive together share one
transaction, each in its own savepoint, and each returns only once committed."""

import asyncio
import fcntl
import os
import sqlite3
import threading
import time

import pytest

from storage import engine
from storage.engine import SqliteDatabase


@pytest.fixture
def db(tmp_path):
    database = SqliteDatabase(tmp_path / "group.db")
    with database.write() as tx:
        tx.run("CREATE TABLE notes (body TEXT UNIQUE)")
    yield database
    database.close()


def _bodies(db) -> list[str]:
    with db.read() as tx:
        return sorted(row["body"] for row in tx.all("SELECT body FROM notes"))


def test_a_write_is_committed_when_it_returns(db, tmp_path):
    with db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('kept')")
    other = SqliteDatabase(tmp_path / "group.db")  # another connection, as another process would be
    assert _bodies(other) == ["kept"]
    other.close()


def test_a_unit_reads_what_it_has_written(db):
    with db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('mine')")
        assert _bodies(db) == ["mine"]


def test_a_failing_unit_undoes_only_itself(db):
    with db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('first')")
    with pytest.raises(RuntimeError), db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('undone')")
        raise RuntimeError("refused")
    with db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('after')")
    assert _bodies(db) == ["after", "first"]


def _counting_commits(monkeypatch) -> list:
    commits: list = []
    real_end = SqliteDatabase._end_group
    monkeypatch.setattr(SqliteDatabase, "_end_group", lambda self, error=None: commits.append(1) or real_end(self, error))
    return commits


def test_writers_that_arrive_together_all_commit_and_a_failure_among_them_stays_alone(db, monkeypatch):
    commits = _counting_commits(monkeypatch)
    failures = []

    def write(body: str) -> None:
        try:
            with db.write() as tx:
                tx.run("INSERT INTO notes VALUES (?)", [body])
        except Exception as error:  # noqa: BLE001 - the duplicate's refusal, kept for the assertion
            failures.append((body, error))

    threads = [threading.Thread(target=write, args=(f"note {n % 40}",)) for n in range(41)]  # one duplicate
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _bodies(db) == sorted(f"note {n}" for n in range(40))
    assert [body for body, _ in failures] == ["note 0"]
    assert 1 <= len(commits) <= 41
    assert engine.LARGEST_GROUP >= 2


def test_writers_of_several_processes_take_turns_on_the_lock_file(db, tmp_path):
    """Another process's turn (the lock file held through a descriptor of its own) holds
    a write back; the write goes on as soon as the turn ends."""
    other = os.open(f"{tmp_path / 'group.db'}-writers", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    written = threading.Event()

    def write() -> None:
        with db.write() as tx:
            tx.run("INSERT INTO notes VALUES ('waited')")
        written.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not written.wait(0.3)
    assert _bodies(db) == []
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    writer.join(timeout=10)
    assert _bodies(db) == ["waited"]


def test_a_failed_unit_ends_the_turn(db, tmp_path):
    with pytest.raises(sqlite3.IntegrityError), db.write() as tx:
        tx.run("INSERT INTO notes VALUES ('twice')")
        tx.run("INSERT INTO notes VALUES ('twice')")
    other = os.open(f"{tmp_path / 'group.db'}-writers", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again: this would raise if not
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)


# ---------------------------------------------------------------- requests on the event loop

def _insert(db, body: str) -> None:
    with db.write() as tx:
        tx.run("INSERT INTO notes VALUES (?)", [body])


async def _on_thread(work, *args):
    return await asyncio.to_thread(work, *args)


def _on_disk(tmp_path) -> list[str]:
    """What another process would find in the file."""
    other = sqlite3.connect(tmp_path / "group.db")
    try:
        return sorted(body for (body,) in other.execute("SELECT body FROM notes"))
    finally:
        other.close()


def test_requests_on_the_loop_commit_together_each_answered_once_on_disk(db, tmp_path, monkeypatch):
    commits = _counting_commits(monkeypatch)
    answered = []

    async def request(n: int) -> None:
        await db.writing_on_loop(_insert, db, f"note {n}", elsewhere=_on_thread)
        answered.append(f"note {n}" in _on_disk(tmp_path))

    async def burst() -> None:
        await asyncio.gather(*(request(n) for n in range(20)))

    asyncio.run(burst())
    assert answered == [True] * 20
    assert len(commits) < 20, "those that arrived while a commit ran share the next one"


def test_a_request_reads_what_it_has_written_and_keeps_it_when_it_then_fails(db, tmp_path):
    def work() -> None:
        _insert(db, "kept")
        assert _bodies(db) == ["kept"]
        with pytest.raises(sqlite3.IntegrityError):
            _insert(db, "kept")  # a unit that fails is undone alone
        raise LookupError("refused after writing")

    with pytest.raises(LookupError):
        asyncio.run(db.writing_on_loop(work, elsewhere=_on_thread))
    assert _on_disk(tmp_path) == ["kept"]


def test_threads_and_requests_on_the_loop_share_the_writer(db, tmp_path):
    threads = [threading.Thread(target=_insert, args=(db, f"thread {n}")) for n in range(10)]

    async def burst() -> None:
        for thread in threads:
            thread.start()
        await asyncio.gather(*(db.writing_on_loop(_insert, db, f"loop {n}", elsewhere=_on_thread)
                               for n in range(10)))

    asyncio.run(asyncio.wait_for(burst(), timeout=10))
    for thread in threads:
        thread.join(timeout=10)
    assert _on_disk(tmp_path) == sorted([f"thread {n}" for n in range(10)] + [f"loop {n}" for n in range(10)])


def test_another_process_turn_sends_the_work_to_a_thread_and_the_loop_goes_on(db, tmp_path):
    other = os.open(f"{tmp_path / 'group.db'}-writers", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    elsewhere = []

    async def on_thread(work, *args):
        elsewhere.append(work)
        return await asyncio.to_thread(work, *args)

    async def scene() -> None:
        write = asyncio.ensure_future(db.writing_on_loop(_insert, db, "waited", elsewhere=on_thread))
        await asyncio.sleep(0.3)  # the loop is free meanwhile
        assert not write.done() and elsewhere == [_insert]
        fcntl.flock(other, fcntl.LOCK_UN)
        await asyncio.wait_for(write, timeout=10)

    try:
        asyncio.run(scene())
    finally:
        os.close(other)
    assert _on_disk(tmp_path) == ["waited"]


class _ThreadHoldingTheWriter:
    """A worker thread in the middle of its unit of work (it wrote 'thread'), holding the
    writer until `let_go()`, so that requests on the event loop queue behind it."""

    def __init__(self, db):
        self._holding, self._release = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._write, args=(db,))

    def _write(self, db) -> None:
        with db.write() as tx:
            tx.run("INSERT INTO notes VALUES ('thread')")
            self._holding.set()
            self._release.wait(10)

    def let_go(self) -> None:
        self._release.set()

    async def __aenter__(self):
        self._thread.start()
        await asyncio.to_thread(self._holding.wait, 10)
        return self

    async def __aexit__(self, *exc) -> None:
        self.let_go()
        await asyncio.to_thread(self._thread.join, 10)


def test_a_request_gone_while_waiting_for_the_writer_leaves_it_to_the_next(db, tmp_path):
    async def scene() -> None:
        async with _ThreadHoldingTheWriter(db) as thread:
            gone = asyncio.ensure_future(db.writing_on_loop(_insert, db, "gone", elsewhere=_on_thread))
            kept = asyncio.ensure_future(db.writing_on_loop(_insert, db, "kept", elsewhere=_on_thread))
            await asyncio.sleep(0.05)
            gone.cancel()
            thread.let_go()
            await asyncio.wait_for(kept, timeout=10)
        assert gone.cancelled()

    asyncio.run(scene())
    assert _on_disk(tmp_path) == ["kept", "thread"]


def test_a_request_that_read_its_groups_pending_write_answers_once_it_is_on_disk(db, tmp_path, monkeypatch):
    """An idempotent retry, say, finding the first request's answer in the group before it."""
    real_end = SqliteDatabase._end_group

    def slow_commit(self, error=None):
        time.sleep(0.2)
        real_end(self, error)

    monkeypatch.setattr(SqliteDatabase, "_end_group", slow_commit)

    def read_first() -> bool:
        return "first" in _bodies(db)

    async def scene() -> None:
        async with _ThreadHoldingTheWriter(db) as thread:
            first = asyncio.ensure_future(db.writing_on_loop(_insert, db, "first", elsewhere=_on_thread))
            second = asyncio.ensure_future(db.writing_on_loop(read_first, elsewhere=_on_thread))
            await asyncio.sleep(0.05)  # both wait for the writer, in that order
            thread.let_go()
            assert await asyncio.wait_for(second, timeout=10), "it read what the first wrote"
            assert "first" in _on_disk(tmp_path)
            await first

    asyncio.run(scene())
