"""Bearer API keys, for the REST door (through connexion's security hook) and
the MCP door alike."""

import logging

from connexion.security import BearerSecurityHandler
from starlette.requests import Request

from app.limits import THREADED_BODY_BYTES
from app.threads import in_background, run_blocking
from billing.errors import TooManyRequests, Unauthenticated
from storage.accounts import KEY_PREFIX, TEST_KEY_PREFIX
from workflow import Services

log = logging.getLogger("jupiter.auth")

MISSING = "Missing API key: send the header 'Authorization: Bearer jk_live_…'."
MALFORMED = "The Authorization header must be 'Bearer jk_live_…'."
UNKNOWN = "This API key is unknown or has been revoked."
# Where a request's state keeps (the key's burst, requests left) for app.requestlog.
ALLOWANCE = "jupiter.rate_limit"
# Real keys are about 51 characters; anything far longer is not worth hashing.
LONGEST_KEY = 128
REFUSED = (Unauthenticated, TooManyRequests)  # what a key's lookup may answer instead of an account


def _key_in(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated(MISSING)
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthenticated(MALFORMED)
    if not key.startswith((KEY_PREFIX, TEST_KEY_PREFIX)) or len(key) > LONGEST_KEY:
        raise Unauthenticated(UNKNOWN)
    return key


def _account(services: Services, authorization: str | None, state: dict | None = None) -> tuple[int, int | None]:
    """(account id, key id if its last use is due for a refresh); Unauthenticated, or
    TooManyRequests once the key has spent its allowance for the whole service. The
    allowance left goes into the request's `state`, for the X-RateLimit headers."""
    key = _key_in(authorization)
    found = services.accounts.find_key(key, services.clock.now())
    if found is None:
        raise Unauthenticated(UNKNOWN)
    limiter = services.key_limiter
    if limiter:
        try:
            left = limiter.take(key)
        except TooManyRequests:
            left = 0
            raise
        finally:
            if state is not None:
                state[ALLOWANCE] = (limiter.burst, max(0, int(left)))
    return found


def account_for(services: Services, authorization: str | None, state: dict | None = None) -> int:
    """The account an Authorization header speaks for. The occasional last_used_at
    write goes to a worker thread, off the request's path."""
    account_id, stale_key = _account(services, authorization, state)
    if stale_key is not None:
        in_background(_touch, services, stale_key)
    return account_id


async def account_for_request(services: Services, authorization: str | None, state: dict | None = None) -> int:
    """account_for, for the event loop. On SQLite the lookup is a read of a few
    microseconds and runs inline (the shared bucket's write costs no fsync); on
    PostgreSQL it is a round trip and goes to a worker thread."""
    if services.db.inline_reads:
        return account_for(services, authorization, state)
    return await run_blocking(account_for, services, authorization, state)


def checked_on_loop(request: Request) -> bool:
    """Whether everything that may refuse the request before its handler is checked on
    the event loop: a read's parameters, or those of a write with a body small enough to
    be checked there too (a bigger one, or one of no declared length, is checked in a
    worker thread, and not before its key is known)."""
    if request.method == "GET":
        return True
    length = request.headers.get("content-length", "")
    return length.isdigit() and int(length) <= THREADED_BODY_BYTES


class KeyToCheck:
    """A well-formed key whose lookup is left to the worker thread that runs the
    request's handler. On PostgreSQL the lookup is a round trip from a worker thread,
    and a request then makes one hop instead of two (the key's, then the handler's).
    Whatever would refuse the request before its handler first settles the key
    (`settle`), so a bad key is still the first thing a caller hears of. It is looked
    up once: asked again, it answers (or refuses) as it did."""

    __slots__ = ("_services", "_authorization", "_state", "_found")

    def __init__(self, services: Services, authorization: str | None, state: dict | None):
        _key_in(authorization)  # a missing or malformed key is refused at once
        self._services, self._authorization, self._state = services, authorization, state
        self._found: int | Exception | None = None

    @property
    def looked_up(self) -> bool:
        return self._found is not None

    def account(self) -> int:
        """account_for's answer, on the worker thread."""
        if self._found is None:
            try:
                self._found = account_for(self._services, self._authorization, self._state)
            except REFUSED as refused:
                self._found = refused
        if isinstance(self._found, Exception):
            raise self._found
        return self._found


async def settled(user: int | KeyToCheck) -> int:
    """The account `user` is, a key left for later looked up now if it was not yet:
    Unauthenticated (or TooManyRequests) if it is not one."""
    if isinstance(user, KeyToCheck):
        return user.account() if user.looked_up else await run_blocking(user.account)
    return user


async def settle(context: dict) -> None:
    """Look the request's key up now if it was left for later."""
    if "user" in context:
        context["user"] = await settled(context["user"])


def _touch(services: Services, key_id: int) -> None:
    try:
        services.accounts.touch_key(key_id, services.clock.now())
    except Exception:  # a usage timestamp is not worth failing anything for
        log.warning("could not record the use of API key %s", key_id, exc_info=True)


def bearer_security(services: Services) -> type:
    """A connexion security handler that checks keys against `services`."""

    class ServicesBearer(BearerSecurityHandler):
        def get_fn(self, security_scheme, required_scopes):
            async def verify(request):
                authorization, state = request.headers.get("authorization"), request.scope.get("state")
                if not services.db.inline_reads and checked_on_loop(request):
                    return {"sub": KeyToCheck(services, authorization, state)}
                return {"sub": await account_for_request(services, authorization, state)}

            return verify

    return ServicesBearer
