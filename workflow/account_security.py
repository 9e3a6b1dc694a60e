"""Who may use an account: verifying its email address by a link emailed to it.
Each step is one unit of work."""

from dataclasses import dataclass

from billing.account_security import LIFETIMES, PASSWORD_RESET, VERIFICATION, reset_email, verification_email
from storage import account_tokens as tokens
from storage import accounts as rows
from storage import outbox
from storage.accounts import Accounts
from storage.engine import Tx
from storage.stamps import stamp
from workflow.clock import Clock

VALID, USED, EXPIRED, UNKNOWN = "valid", "used", "expired", "unknown"
_EMAILS = {VERIFICATION: verification_email, PASSWORD_RESET: reset_email}


@dataclass(frozen=True)
class Link:
    """What the token of an emailed link turned out to be."""

    state: str
    account_id: int | None = None


class AccountSecurity:
    def __init__(self, db, clock: Clock, accounts: Accounts):
        self._db = db
        self._clock = clock
        self._accounts = accounts

    def sign_up(self, email: str, password_hash: str, display_name: str | None, public_url: str) -> int:
        """A new account, its address not verified yet, and the email that verifies it."""
        now = self._clock.now()
        with self._db.write() as tx:
            account_id = self._accounts.register(email, password_hash, display_name, now)
            self._email_link(tx, account_id, VERIFICATION, public_url)
        return account_id

    def resend_verification(self, account_id: int, public_url: str) -> bool:
        """Email a new verification link; False when the address is verified already."""
        with self._db.write() as tx:
            if rows.account_of(tx, account_id, lock=True)["email_verified_at"] is not None:
                return False
            self._email_link(tx, account_id, VERIFICATION, public_url)
        return True

    def verify(self, token: str) -> Link:
        """Verify the address the link was sent to, once."""
        now = self._clock.now()
        with self._db.write() as tx:
            link = self._check(tx, token, VERIFICATION, lock=True)
            if link.state == VALID:
                tokens.use(tx, token, now)
                rows.mark_verified(tx, link.account_id, now)
        return link

    def _email_link(self, tx: Tx, account_id: int, purpose: str, public_url: str) -> None:
        """Queue an email with a new link for `purpose`; the account's earlier unused ones stop working."""
        now = self._clock.now()
        tokens.drop_unused(tx, account_id, purpose)
        token = tokens.issue(tx, account_id, purpose, now, LIFETIMES[purpose])
        outbox.add(tx, account_id, None, _EMAILS[purpose](public_url, token), now, kind=purpose)

    def _check(self, tx: Tx, token: str, purpose: str, *, lock: bool = False) -> Link:
        row = tokens.find(tx, token, purpose, lock=lock)
        if row is None:
            return Link(UNKNOWN)
        if row["used_at"] is not None:
            return Link(USED, row["account_id"])
        if row["expires_at"] <= stamp(self._clock.now()):
            return Link(EXPIRED, row["account_id"])
        return Link(VALID, row["account_id"])
