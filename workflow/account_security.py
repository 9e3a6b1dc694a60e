"""Who may use an account: verifying its email address, resetting a forgotten
password by email, changing it, and ending sessions. Each is one unit of work.

Whoever can read mail at an account's address owns the account. So a password
reset works for an account whose address is not verified yet, verifies it, and
signs out everyone else: a stranger who signed up with someone's address cannot
keep its owner out. When a new password makes an unverified account verified,
what was set up before may have been set up by that stranger, so its API keys
are revoked and its webhook endpoints stopped too."""

from dataclasses import dataclass, replace

from billing.account_security import LIFETIMES, PASSWORD_RESET, VERIFICATION, reset_email, verification_email
from storage import account_tokens as tokens
from storage import accounts as rows
from storage import outbox, sessions, webhooks
from storage.accounts import Accounts
from storage.engine import Tx
from storage.stamps import stamp
from workflow.clock import Clock

VALID, USED, EXPIRED, UNKNOWN = "valid", "used", "expired", "unknown"
_EMAILS = {VERIFICATION: verification_email, PASSWORD_RESET: reset_email}


@dataclass(frozen=True)
class Link:
    """What the token of an emailed link turned out to be. `claimed`: the password
    it set made an unverified account verified (see the module's docstring)."""

    state: str
    account_id: int | None = None
    claimed: bool = False


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

    def request_reset(self, email: str, public_url: str) -> bool:
        """Email a reset link to `email` if an account there signs in with a password;
        whether one was sent (which nobody asking may be told). Accounts made on the
        server without a password get one there, from its operator."""
        with self._db.write() as tx:
            account = rows.by_email(tx, email)
            if account is None or not account["has_password"]:
                return False
            self._email_link(tx, account["id"], PASSWORD_RESET, public_url)
        return True

    def reset_link(self, token: str) -> Link:
        with self._db.read() as tx:
            return self._check(tx, token, PASSWORD_RESET)

    def reset_password(self, token: str, password_hash: str) -> Link:
        """Set the new password the link's owner chose, once: the address is verified
        and every session of the account ends."""
        now = self._clock.now()
        with self._db.write() as tx:
            link = self._check(tx, token, PASSWORD_RESET, lock=True)
            if link.state != VALID:
                return link
            tokens.use(tx, token, now)
            return replace(link, claimed=self._new_password(tx, link.account_id, password_hash, verified=True))

    def change_password(self, account_id: int, password_hash: str) -> None:
        """A new password chosen by a signed-in owner (who gave the current one): every session ends."""
        with self._db.write() as tx:
            self._new_password(tx, account_id, password_hash, verified=False)

    def set_password_from_server(self, email: str, password_hash: str) -> int:
        """The server's operator gives the account at `email` (made if need be) a password,
        vouching for the address: it is verified, and every session ends."""
        with self._db.write() as tx:
            account_id = self._accounts.ensure(email, self._clock.now())
            self._new_password(tx, account_id, password_hash, verified=True)
        return account_id

    def sign_out_everywhere(self, account_id: int) -> None:
        with self._db.write() as tx:
            sessions.end_all(tx, account_id)

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

    def _new_password(self, tx: Tx, account_id: int, password_hash: str, *, verified: bool) -> bool:
        """Store a new password, end every session and forget unused reset links. With
        `verified` (the password came through the address, or from the operator) the
        address counts as verified; whether that claimed an unverified account."""
        now = self._clock.now()
        rows.store_password(tx, account_id, password_hash)
        sessions.end_all(tx, account_id)
        tokens.drop_unused(tx, account_id, PASSWORD_RESET)
        if not (verified and rows.mark_verified(tx, account_id, now)):
            return False
        tokens.drop_unused(tx, account_id, VERIFICATION)
        for either_mode in rows.both_modes(tx, account_id):  # test keys are theirs too
            rows.revoke_keys(tx, either_mode, now)
            webhooks.disable_endpoints(tx, either_mode, stamp(now))
        return True
