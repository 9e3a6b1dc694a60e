"""Recent attempts per scope ("email:…", "address:…"), for rate limits that hold
across every worker process and server."""

from datetime import datetime, timedelta

from storage.stamps import stamp, unstamp

# Nothing older matters to any limit; older rows are swept on the next write.
KEPT_FOR = timedelta(days=1)


class Attempts:
    def __init__(self, db):
        self._db = db

    def since(self, scope: str, moment: datetime) -> list[datetime]:
        """Timestamps of the scope's attempts after `moment`, oldest first."""
        with self._db.read() as tx:
            rows = tx.all("SELECT at FROM attempts WHERE scope = ? AND at > ? ORDER BY at", [scope, stamp(moment)])
        return [unstamp(row["at"]) for row in rows]

    def take(self, limits: list[tuple[str, int, datetime]], now: datetime) -> tuple[str, datetime] | None:
        """Record an attempt in every scope of `limits` ((scope, allowed, window start)),
        unless one of them has used its allowance already: then record nothing and
        return (that scope, when its oldest counted attempt was). One unit of work
        with each scope locked, so concurrent attempts cannot all pass the count."""
        with self._db.write() as tx:
            for scope, _, _ in sorted(limits):
                tx.lock("attempts", scope)
            for scope, allowed, since in limits:
                rows = tx.all("SELECT at FROM attempts WHERE scope = ? AND at > ? ORDER BY at DESC LIMIT ?",
                              [scope, stamp(since), allowed])
                if len(rows) >= allowed:
                    return scope, unstamp(rows[-1]["at"])
            for scope, _, _ in limits:
                tx.run("INSERT INTO attempts (scope, at) VALUES (?, ?)", [scope, stamp(now)])
        return None

    def record(self, scopes: list[str], now: datetime) -> None:
        with self._db.write() as tx:
            tx.run("DELETE FROM attempts WHERE at <= ?", [stamp(now - KEPT_FOR)])
            for scope in scopes:
                tx.run("INSERT INTO attempts (scope, at) VALUES (?, ?)", [scope, stamp(now)])

    def clear(self, scope: str) -> None:
        with self._db.write() as tx:
            tx.run("DELETE FROM attempts WHERE scope = ?", [scope])
