"""Recent attempts per scope ("email:…", "address:…"), for rate limits that hold
across every worker process."""

from datetime import datetime, timedelta

from storage.db import Connections, stamp, unstamp

# Nothing older matters to any limit; older rows are swept on the next write.
KEPT_FOR = timedelta(days=1)


class Attempts:
    def __init__(self, connections: Connections):
        self._conn = connections

    def since(self, scope: str, moment: datetime) -> list[datetime]:
        """Timestamps of the scope's attempts after `moment`, oldest first."""
        rows = self._conn.db.execute(
            "SELECT at FROM attempts WHERE scope = ? AND at > ? ORDER BY at", [scope, stamp(moment)]
        ).fetchall()
        return [unstamp(at) for (at,) in rows]

    def record(self, scopes: list[str], now: datetime) -> None:
        with self._conn.write() as db:
            db.execute("DELETE FROM attempts WHERE at <= ?", [stamp(now - KEPT_FOR)])
            db["attempts"].insert_all([{"scope": scope, "at": stamp(now)} for scope in scopes])

    def clear(self, scope: str) -> None:
        with self._conn.write() as db:
            db.execute("DELETE FROM attempts WHERE scope = ?", [scope])
