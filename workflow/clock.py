"""The one clock, handed to everything that needs the time, so billing stays
pure and a test can stop or move time in one place."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def now(self) -> datetime:
        return self._fixed or utc_now()

    def freeze(self, moment: datetime | None) -> None:
        """Stop time at `moment` (None lets it run again)."""
        self._fixed = moment
