"""Bearer API keys, for the REST door (through connexion's security hook) and
the MCP door alike."""

from connexion.security import BearerSecurityHandler
from starlette.concurrency import run_in_threadpool

from app.ratelimit import RateLimiter
from billing.errors import Unauthenticated
from handlers._clock import now
from storage import Store
from storage.accounts import KEY_PREFIX

MISSING = "Missing API key: send the header 'Authorization: Bearer jk_live_…'."
MALFORMED = "The Authorization header must be 'Bearer jk_live_…'."
UNKNOWN = "This API key is unknown or has been revoked."
# Real keys are about 51 characters; anything far longer is not worth hashing.
LONGEST_KEY = 128


def account_for(store: Store, authorization: str | None, limiter: RateLimiter | None = None) -> int:
    """The account an Authorization header speaks for, or Unauthenticated; with a
    limiter, TooManyRequests once the key has spent its allowance."""
    if not authorization:
        raise Unauthenticated(MISSING)
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthenticated(MALFORMED)
    if not key.startswith(KEY_PREFIX) or len(key) > LONGEST_KEY:
        raise Unauthenticated(UNKNOWN)
    account_id = store.accounts.authenticate(key, now())
    if account_id is None:
        raise Unauthenticated(UNKNOWN)
    if limiter:
        limiter.take(key)
    return account_id


def bearer_security(store: Store, limiter: RateLimiter | None) -> type:
    """A connexion security handler that checks keys against `store`."""

    class StoreBearer(BearerSecurityHandler):
        def get_fn(self, security_scheme, required_scopes):
            async def verify(request):
                # A thread: the lookup may write last_used_at and wait on the database lock.
                account_id = await run_in_threadpool(account_for, store, request.headers.get("authorization"), limiter)
                return {"sub": account_id}

            return verify

    return StoreBearer
