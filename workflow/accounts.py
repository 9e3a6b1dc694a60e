"""The sender's own account: the seller profile that invoices, emails and
documents are signed with, read and changed in one unit of work."""

from billing.accounts import patched
from billing.errors import Forbidden, NotFound
from storage import accounts as rows


class Profiles:
    def __init__(self, db):
        self._db = db

    def get(self, account_id: int) -> dict:
        with self._db.read() as tx:
            account = rows.account_of(tx, account_id)
        if account is None:
            raise NotFound(f"There is no account {account_id}.")
        return account

    def update(self, account_id: int, patch: dict) -> dict:
        """Apply a PATCH: each field given replaces the stored one (see billing.accounts.patched)."""
        with self._db.write() as tx:
            account = rows.account_of(tx, account_id, lock=True)
            if account is None:
                raise NotFound(f"There is no account {account_id}.")
            if not account["livemode"]:
                raise Forbidden("A test key cannot change the seller profile, which test mode shares with "
                                "live mode: use a live key.")
            profile = patched(account, patch)
            display_name = patch["display_name"] if "display_name" in patch else account["display_name"]
            rows.save_profile(tx, account_id, (display_name or "").strip() or None, profile)
            return rows.account_of(tx, account_id)
