"""The only package that speaks SQL. `Store` is its front door: one per app,
handed to handlers as an argument, never imported as a global."""

from pathlib import Path

from storage.accounts import Accounts
from storage.activity import Activity
from storage.attempts import Attempts
from storage.customers import Customers
from storage.db import Connections, migrate
from storage.idempotency import IdempotencyKeys
from storage.invoices import Invoices
from storage.pagination import Cursors, Page
from storage.sessions import Sessions

__all__ = ["Store", "Page"]


class Store:
    def __init__(self, path: str | Path):
        migrate(path)
        self.path = Path(path)
        connections = Connections(path)
        (secret,) = connections.db.execute("SELECT value FROM settings WHERE name = 'cursor_secret'").fetchone()
        cursors = Cursors(secret)
        self.accounts = Accounts(connections)
        self.customers = Customers(connections, cursors)
        self.invoices = Invoices(connections, cursors)
        self.idempotency = IdempotencyKeys(connections)
        self.sessions = Sessions(connections)
        self.attempts = Attempts(connections)
        self.activity = Activity(connections)
