"""storage.engine's SQLite group commit: writes that arrive together share one
transaction, each in its own savepoint, and each returns only once committed."""

import fcntl
import os
import sqlite3
import threading

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


def test_writers_that_arrive_together_all_commit_and_a_failure_among_them_stays_alone(db, monkeypatch):
    commits = []
    real_end = SqliteDatabase._end_group
    monkeypatch.setattr(SqliteDatabase, "_end_group", lambda self, error=None: commits.append(1) or real_end(self, error))
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
