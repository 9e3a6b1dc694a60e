"""Fixtures for the unit tests."""

import sys
from pathlib import Path

import pytest

# The checkout's parent holds shared/ (here and in CI, where the checkout is a fresh clone).
EINVOICE = Path(__file__).resolve().parents[2].parent / "shared" / "einvoice"


@pytest.fixture(scope="session")
def fatal():
    """The fatal assertions of the official rules for a document. saxonche is in the
    test extras: without it this fails, it does not skip."""
    import saxonche  # noqa: F401

    sys.path.insert(0, str(EINVOICE))
    try:
        import validate
    finally:
        sys.path.remove(str(EINVOICE))
    for stylesheet in set(validate.STYLESHEETS.values()):
        validate._executable(stylesheet)  # compile each once for the whole session

    def check(document: bytes) -> list[dict]:
        return [failed for failed in validate.check(document) if failed["flag"] == "fatal"]

    return check
