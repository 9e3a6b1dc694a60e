"""Bearer API keys, for the REST door (through connexion's security hook) and
the MCP door alike."""

import asyncio
import logging

from connexion.security import BearerSecurityHandler

from app.ratelimit import RateLimiter
from billing.errors import Unauthenticated
from handlers._clock import now
from storage import Store
from storage.accounts import KEY_PREFIX

log = logging.getLogger("jupiter.auth")

MISSING = "Missing API key: send the header 'Authorization: Bearer jk_live_…'."
MALFORMED = "The Authorization header must be 'Bearer jk_live_…'."
UNKNOWN = "This API key is unknown or has been revoked."
# Real keys are about 51 characters; anything far longer is not worth hashing.
LONGEST_KEY = 128


def _key_in(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated(MISSING)
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthenticated(MALFORMED)
    if not key.startswith(KEY_PREFIX) or len(key) > LONGEST_KEY:
        raise Unauthenticated(UNKNOWN)
    return key


def _account(store: Store, authorization: str | None, limiter: RateLimiter | None) -> tuple[int, int | None]:
    key = _key_in(authorization)
    found = store.accounts.find_key(key, now())
    if found is None:
        raise Unauthenticated(UNKNOWN)
    if limiter:
        limiter.take(key)
    return found


def account_for(store: Store, authorization: str | None, limiter: RateLimiter | None = None) -> int:
    """The account an Authorization header speaks for, or Unauthenticated; with a
    limiter, TooManyRequests once the key has spent its allowance."""
    account_id, stale_key = _account(store, authorization, limiter)
    if stale_key is not None:
        store.accounts.touch_key(stale_key, now())
    return account_id


async def account_for_request(store: Store, authorization: str | None, limiter: RateLimiter | None = None) -> int:
    """account_for, for the event loop: the lookup is a read and runs inline; the
    occasional last_used_at write goes to a worker thread, off the request's path."""
    account_id, stale_key = _account(store, authorization, limiter)
    if stale_key is not None:
        asyncio.get_running_loop().run_in_executor(None, _touch, store, stale_key, now())
    return account_id


def _touch(store: Store, key_id: int, moment) -> None:
    try:
        store.accounts.touch_key(key_id, moment)
    except Exception:  # a usage timestamp is not worth failing anything for
        log.warning("could not record the use of API key %s", key_id, exc_info=True)


def bearer_security(store: Store, limiter: RateLimiter | None) -> type:
    """A connexion security handler that checks keys against `store`."""

    class StoreBearer(BearerSecurityHandler):
        def get_fn(self, security_scheme, required_scopes):
            async def verify(request):
                return {"sub": await account_for_request(store, request.headers.get("authorization"), limiter)}

            return verify

    return StoreBearer
