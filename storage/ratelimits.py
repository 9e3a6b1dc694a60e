"""Token buckets in the database, so that a key's (or a share link's) allowance
is one for every worker and every server. One statement per request: the upsert
refills the bucket for the time since its last use, takes a token if there is
one, and says whether it did."""

import hashlib

from storage.engine import Tx

# refill = the bucket's tokens plus what the elapsed time earned, at most `burst`;
# a clock that stepped back earns nothing.
_REFILL = (
    "CASE WHEN rate_buckets.tokens + (CASE WHEN excluded.updated > rate_buckets.updated "
    "THEN excluded.updated - rate_buckets.updated ELSE 0 END) * ? >= ? THEN ? "
    "ELSE rate_buckets.tokens + (CASE WHEN excluded.updated > rate_buckets.updated "
    "THEN excluded.updated - rate_buckets.updated ELSE 0 END) * ? END"
)
TAKE = f"""
    INSERT INTO rate_buckets (key, tokens, updated, allowed) VALUES (?, ?, ?, 1)
    ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN {_REFILL} >= 1 THEN {_REFILL} - 1 ELSE {_REFILL} END,
        allowed = CASE WHEN {_REFILL} >= 1 THEN 1 ELSE 0 END,
        updated = CASE WHEN excluded.updated > rate_buckets.updated THEN excluded.updated ELSE rate_buckets.updated END
    RETURNING tokens, allowed"""
CREATE = """
    CREATE TABLE IF NOT EXISTS rate_buckets (
        key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL, allowed INTEGER NOT NULL
    )"""


def bucket_key(scope: str, identity: str) -> str:
    # Keys and share tokens are secrets: keep only a digest of them.
    return scope + ":" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()


def take(tx: Tx, key: str, rate: float, burst: int, now: float) -> tuple[bool, float]:
    """Spend one token of the bucket `key`; (whether there was one, tokens left)."""
    refill = [rate, burst, burst, rate]
    row = tx.one(TAKE, [key, burst - 1, now, *refill * 4])
    return bool(row["allowed"]), row["tokens"]


def sweep(tx: Tx, scope: str, idle_before: float) -> None:
    """Forget a scope's buckets idle long enough to have refilled: they hold no information."""
    tx.run("DELETE FROM rate_buckets WHERE key >= ? AND key < ? AND updated < ?",
           [scope + ":", scope + ";", idle_before])  # the keys "scope:…", in index order
