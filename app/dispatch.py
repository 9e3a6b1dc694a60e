"""From an operationId to the function both doors (REST and MCP) call: the
handler with its dependencies, behind the request-level guarantees every
operation shares, such as idempotency keys."""

import hashlib
import inspect
import json
from decimal import Decimal

import handlers
from app import spec
from handlers._clock import now

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_ARGUMENT = "idempotency_key"


def header_argument(name: str) -> str:
    """The handler argument a declared header parameter arrives as: Idempotency-Key → idempotency_key."""
    return name.lower().replace("-", "_")


def _takes_idempotency_key(operation_id: str) -> bool:
    for _, _, operation in spec.operations(spec.resolved()):
        if operation["operationId"] == operation_id:
            return any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER for p in operation.get("parameters", []))
    raise KeyError(operation_id)


def _as_response(result) -> tuple:
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


def endpoint(operation_id: str, dependencies: dict):
    handler = handlers.bound(operation_id, dependencies)
    if not _takes_idempotency_key(operation_id):
        return handler
    store = dependencies["store"]

    def call(**arguments):
        key = arguments.pop(IDEMPOTENCY_ARGUMENT, None)
        if key is None:
            return handler(**arguments)
        return store.idempotency.run(
            arguments["user"], key, fingerprint(operation_id, arguments), now(),
            lambda: _as_response(handler(**arguments)),
        )

    # Show callers (connexion, the MCP door) the handler's own arguments plus the key.
    parameters = list(inspect.signature(handler).parameters.values())
    extra = inspect.Parameter(IDEMPOTENCY_ARGUMENT, inspect.Parameter.KEYWORD_ONLY, default=None)
    call.__signature__ = inspect.Signature([*parameters, extra])
    call.__name__ = operation_id
    return call
