"""How every timestamp is stored and shown: UTC, to the second, as text that
sorts in time order on both engines."""

from datetime import UTC, datetime

STAMP = "%Y-%m-%dT%H:%M:%SZ"


def stamp(moment: datetime) -> str:
    return moment.strftime(STAMP)


def unstamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP).replace(tzinfo=UTC)
