"""The one place that reads the clock, so billing stays pure and tests can stop time."""

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
