"""From an operationId to the function both doors (REST and MCP) await: the
handler with its dependencies, behind the request-level guarantees every
operation shares (idempotency keys), run where it belongs.

Where: a GET handler only reads, and a SQLite read is quicker than the hop to a
worker thread, so on SQLite it runs on the event loop. A write whose work is only
SQL (handlers.sql_only), sent with a body small enough to have been checked on the
event loop, runs there too on SQLite, only its commit's fsync going to a thread
(storage.engine's writing_on_loop). Every other write (it may wait for mail, the
network or a password hash), and every PostgreSQL request (a network round trip),
runs on a worker thread."""

import hashlib
import inspect
import json
from contextvars import ContextVar
from decimal import Decimal

import handlers
from app import spec
from app.auth import KeyToCheck
from app.threads import run_blocking
from billing.errors import InvalidRequest, NotFound

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_ARGUMENT = "idempotency_key"

# Set by the REST door when it has read and checked the request's JSON body on the
# event loop, as it does a small one: the handler's work is then small enough too.
body_checked_on_loop: ContextVar[bool] = ContextVar("body_checked_on_loop", default=False)


def handler_argument(parameter: dict) -> str:
    """The handler argument a declared parameter arrives as, through either door: path and
    query parameters by their name, headers made a name (Idempotency-Key → idempotency_key)."""
    name = parameter["name"]
    return name.lower().replace("-", "_") if parameter["in"] == "header" else name


def _takes_idempotency_key(operation: dict) -> bool:
    return any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER for p in operation.get("parameters", []))


def _nul_in(value, path: str) -> str | None:
    """The JSON path of the first string holding a NUL character, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _nul_in(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def refuse_nul(arguments: dict, path_parameters: frozenset) -> None:
    """No backend stores a NUL character in text (PostgreSQL refuses it outright):
    say so, naming the field, whatever the backend. A path holding one names
    nothing that can exist."""
    for name in path_parameters:
        if _nul_in(arguments.get(name), name):
            raise NotFound(f"There is nothing at this {name}: it contains a NUL character.", name)
    found = _nul_in({name: value for name, value in arguments.items() if name not in path_parameters}, "")
    if found:
        field = found.removeprefix("body.")  # the body's own fields are named from its top
        raise InvalidRequest(f"{field} contains a NUL character (\\u0000), which text may not hold.", field)


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


def _signed(function, signature: inspect.Signature):
    """`function`, presenting `signature` to whoever inspects it (connexion reads it
    to know which arguments to pass)."""
    function.__dict__["__signature__"] = signature
    return function


def _idempotent(operation_id: str, handler, services):
    def call(**arguments):
        key = arguments.pop(IDEMPOTENCY_ARGUMENT, None)
        if key is None:
            return handler(**arguments)
        return services.idempotency.run(
            arguments["user"], key, fingerprint(operation_id, arguments), lambda: as_response(handler(**arguments)),
        )

    parameters = list(inspect.signature(handler).parameters.values())
    extra = inspect.Parameter(IDEMPOTENCY_ARGUMENT, inspect.Parameter.KEYWORD_ONLY, default=None)
    return _signed(call, inspect.Signature([*parameters, extra]))


def _limited_by_link(handler, services):
    def call(**arguments):
        services.invoices.shared(arguments["token"])  # an unknown link is a cheap 404, and spends nothing
        services.share_limiter.take(arguments["token"])
        return handler(**arguments)

    return _signed(call, inspect.signature(handler))


def endpoint(operation_id: str, dependencies: dict):
    """An async function taking the operation's arguments by name (its signature
    says which: connexion reads it to know what to pass)."""
    path, method, operation = spec.operation(operation_id)
    services = dependencies["services"]
    handler = handlers.bound(operation_id, dependencies)
    inline = (method == "get" and services.db.inline_reads
              and not getattr(handlers.OPERATIONS[operation_id], "blocking", False))
    sql_only = method != "get" and getattr(handlers.OPERATIONS[operation_id], "sql_only", False)
    if _takes_idempotency_key(operation):
        handler = _idempotent(operation_id, handler, services)
    # The recipient's actions need no key, only the link: its bucket stands in for a key's.
    limited_by_link = method != "get" and not spec.needs_key(spec.resolved(), operation)
    if limited_by_link:
        handler = _limited_by_link(handler, services)

    parameters = spec.parameters(spec.resolved(), path, operation)
    path_parameters = frozenset(p["name"] for p in parameters if p["in"] == "path")
    signature = inspect.signature(handler)
    if spec.needs_key(spec.resolved(), operation) and "user" not in signature.parameters:
        raise TypeError(f"{operation_id} needs a key, so its handler must take the account (`user`)")

    def checked(arguments: dict):
        user = arguments.get("user")
        if isinstance(user, KeyToCheck):  # on the worker thread the handler needs anyway
            arguments["user"] = user.account()
        refuse_nul(arguments, path_parameters)
        return handler(**arguments)

    async def call(**arguments):
        if inline:
            return checked(arguments)
        if sql_only and body_checked_on_loop.get():
            return await services.db.writing_on_loop(checked, arguments, elsewhere=run_blocking)
        return await run_blocking(checked, arguments)

    call.__name__ = operation_id
    return _signed(call, signature)
