"""From an operationId to the function both doors (REST and MCP) await: the
handler with its dependencies, behind the request-level guarantees every
operation shares (idempotency keys), run where it belongs.

Where: a GET handler only reads, and a SQLite read is quicker than the hop to a
worker thread, so it runs on the event loop; everything that writes (and may
wait for the write lock or for fsync) runs on a worker thread."""

import hashlib
import inspect
import json
from decimal import Decimal

from starlette.concurrency import run_in_threadpool

import handlers
from app import spec
from handlers._clock import now

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_ARGUMENT = "idempotency_key"


def header_argument(name: str) -> str:
    """The handler argument a declared header parameter arrives as: Idempotency-Key → idempotency_key."""
    return name.lower().replace("-", "_")


def _takes_idempotency_key(operation: dict) -> bool:
    return any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER for p in operation.get("parameters", []))


def as_response(result) -> tuple:
    """Handlers return data, (data, status) or (data, status, headers)."""
    if not isinstance(result, tuple):
        return result, 200, {}
    body, status, *headers = result
    return body, status, (headers[0] if headers else {})


def _canonical(value):
    if isinstance(value, Decimal):
        return str(value.normalize())  # 1.50 and 1.5 are the same request
    raise TypeError(type(value))


def fingerprint(operation_id: str, arguments: dict) -> str:
    """What makes two requests the same request: the operation and what was sent."""
    sent = {name: value for name, value in arguments.items() if name != "user"}
    text = json.dumps([operation_id, sent], sort_keys=True, default=_canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def _idempotent(operation_id: str, handler, store):
    def call(**arguments):
        key = arguments.pop(IDEMPOTENCY_ARGUMENT, None)
        if key is None:
            return handler(**arguments)
        return store.idempotency.run(
            arguments["user"], key, fingerprint(operation_id, arguments), now(),
            lambda: as_response(handler(**arguments)),
        )

    parameters = list(inspect.signature(handler).parameters.values())
    extra = inspect.Parameter(IDEMPOTENCY_ARGUMENT, inspect.Parameter.KEYWORD_ONLY, default=None)
    call.__signature__ = inspect.Signature([*parameters, extra])
    return call


def endpoint(operation_id: str, dependencies: dict):
    """An async function taking the operation's arguments by name (its signature
    says which: connexion reads it to know what to pass)."""
    _, method, operation = spec.operation(operation_id)
    handler = handlers.bound(operation_id, dependencies)
    inline = method == "get" and not getattr(handlers.OPERATIONS[operation_id], "blocking", False)
    if _takes_idempotency_key(operation):
        handler = _idempotent(operation_id, handler, dependencies["store"])
    # The recipient's actions need no key, only the link: its bucket stands in for a key's.
    link_limiter = dependencies.get("share_limiter") if method != "get" and not spec.needs_key(spec.resolved(), operation) else None

    async def call(**arguments):
        if link_limiter:
            link_limiter.take(arguments["token"])
        if inline:
            return handler(**arguments)
        return await run_in_threadpool(handler, **arguments)

    call.__signature__ = inspect.signature(handler)
    call.__name__ = operation_id
    return call
