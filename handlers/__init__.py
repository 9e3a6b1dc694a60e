"""Plain functions, one per operationId. A handler reads its arguments, calls
billing and storage, and returns JSON-ready data; it never builds an error body.

Besides the spec's parameters a handler may take `user` (the account id the key
belongs to) and the app's dependencies by name (`store`, `public_url`): the
REST and MCP doors both supply them, so both run the very same function."""

import functools
import inspect

from handlers import customers, invoices


def writes(handler):
    """Mark a GET handler that also writes, so it is not run on the event loop
    with the handlers that only read (see app/dispatch.py)."""
    handler.writes = True
    return handler


OPERATIONS = {name: getattr(module, name) for module in (invoices, customers) for name in module.__all__}


def bound(operation_id: str, dependencies: dict):
    """The handler for `operation_id` with the app's dependencies it asks for filled in."""
    handler = OPERATIONS[operation_id]
    wanted = inspect.signature(handler).parameters
    return functools.partial(handler, **{name: value for name, value in dependencies.items() if name in wanted})
