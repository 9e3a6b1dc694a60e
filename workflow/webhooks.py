"""Webhook endpoints: where an account's events are sent, checked when they are
made or changed (http(s), public addresses only, unless the server allows private
ones), each with its own signing secret, shown once."""

from __future__ import annotations

import base64
import secrets

from billing.errors import NotFound
from billing.webhooks import check_events
from delivery.addresses import checked, resolve
from storage import webhooks as rows
from storage.pagination import Cursors, Page
from storage.stamps import stamp
from workflow.clock import Clock

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """`whsec_` and base64 of random bytes, as Standard Webhooks libraries read it."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


class Webhooks:
    def __init__(self, db, cursors: Cursors, clock: Clock, *, allow_private: bool = False, lookup=resolve):
        self._db = db
        self._cursors = cursors
        self._clock = clock
        self.allow_private = allow_private
        self._lookup = lookup

    def _check_url(self, url: str) -> None:
        checked(url, allow_private=self.allow_private, lookup=self._lookup)

    @staticmethod
    def _endpoint(tx, account_id: int, endpoint_id: int, *, lock: bool = False) -> dict:
        found = rows.endpoint_by_id(tx, account_id, endpoint_id, lock=lock)
        if found is None:
            raise NotFound(f"There is no webhook endpoint {endpoint_id}.", "id")
        return found

    def create(self, account_id: int, fields: dict) -> dict:
        """The new endpoint, with its `secret` (which only this answer shows)."""
        self._check_url(fields["url"])  # before the unit of work: a lookup may take a while
        fields = {**fields, "events": check_events(fields["events"])}
        secret = new_secret()
        with self._db.write() as tx:
            created = rows.insert_endpoint(tx, account_id, fields, secret, stamp(self._clock.now()))
        return {**created, "secret": secret}

    def get(self, account_id: int, endpoint_id: int) -> dict:
        with self._db.read() as tx:
            return self._endpoint(tx, account_id, endpoint_id)

    def update(self, account_id: int, endpoint_id: int, changes: dict) -> dict:
        if "url" in changes:
            self._check_url(changes["url"])
        if "events" in changes:
            changes = {**changes, "events": check_events(changes["events"])}
        with self._db.write() as tx:
            self._endpoint(tx, account_id, endpoint_id, lock=True)
            if not changes:
                return self._endpoint(tx, account_id, endpoint_id)
            return rows.update_endpoint(tx, endpoint_id, changes, stamp(self._clock.now()))

    def delete(self, account_id: int, endpoint_id: int) -> None:
        with self._db.write() as tx:
            self._endpoint(tx, account_id, endpoint_id, lock=True)
            rows.delete_endpoint(tx, endpoint_id)

    def page(self, account_id: int, limit: int, cursor: str | None) -> Page:
        before = self._cursors.decode("webhook_endpoints", cursor) if cursor else None
        with self._db.read() as tx:
            found = rows.endpoints_page(tx, account_id, before, limit)
        return self._cursors.page("webhook_endpoints", found, limit, lambda endpoint: endpoint["id"])

    def deliveries(self, account_id: int, endpoint_id: int, limit: int, cursor: str | None) -> Page:
        """An endpoint's deliveries, newest first, each with its attempts."""
        before = self._cursors.decode("webhook_deliveries", cursor) if cursor else None
        with self._db.read() as tx:
            self._endpoint(tx, account_id, endpoint_id)
            found = rows.deliveries_page(tx, endpoint_id, before, limit)
        return self._cursors.page("webhook_deliveries", found, limit, lambda delivery: delivery["id"])

    def recent_deliveries(self, account_id: int, limit: int = 10) -> list[dict]:
        with self._db.read() as tx:
            return rows.recent_deliveries(tx, account_id, limit)
