"""Plain functions, one per operationId. A handler reads its arguments, calls
the workflow, and returns JSON-ready data; it never builds an error body.

Besides the spec's parameters a handler may take `user` (the account id the key
belongs to) and the app's dependencies by name (`services`, `public_url`, `mailer`): the
REST and MCP doors both supply them, so both run the very same function."""

import functools
import inspect


def blocking(handler):
    """Mark a GET handler that may block (it writes, or does slow work), so it runs
    on a worker thread rather than on the event loop with the quick reads (see
    app/dispatch.py)."""
    handler.blocking = True
    return handler


def sql_only(handler):
    """Mark a write whose work is SQL and nothing that waits (no mail, no network, no
    drawing, no password hashing), so that on SQLite it may run on the event loop,
    only its commit going to a thread (see app/dispatch.py)."""
    handler.sql_only = True
    return handler


# After `blocking` and `sql_only`, which the handler modules use.
from handlers import account, customers, documents, invoices, payments, share, webhooks  # noqa: E402

MODULES = (invoices, customers, payments, share, documents, account, webhooks)
OPERATIONS = {name: getattr(module, name) for module in MODULES for name in module.__all__}


def bound(operation_id: str, dependencies: dict):
    """The handler for `operation_id` with the app's dependencies it asks for filled in."""
    handler = OPERATIONS[operation_id]
    wanted = inspect.signature(handler).parameters
    return functools.partial(handler, **{name: value for name, value in dependencies.items() if name in wanted})
