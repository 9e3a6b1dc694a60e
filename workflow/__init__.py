"""The workflow over storage: one `Services` object per app, handed to handlers
and pages as an argument (never imported as a global). It holds the database,
the clock and the units of work built on them."""

from dataclasses import dataclass, field

from storage import migrations
from storage.accounts import Accounts
from storage.activity import Activity
from storage.attempts import Attempts
from storage.engine import Database, open_database
from storage.outbox import Outbox
from storage.pagination import Cursors
from storage.sessions import Sessions
from workflow.account_security import AccountSecurity
from workflow.accounts import Profiles
from workflow.clock import Clock
from workflow.credit_notes import CreditNotes
from workflow.customers import Customers
from workflow.events import Events
from workflow.idempotency import IdempotencyKeys
from workflow.invoices import Invoices, unpresented
from workflow.ratelimit import RateLimiter, bucket_database
from workflow.reminders import Reminders
from workflow.webhooks import Webhooks

# A share link's actions: a recipient acts a few times; a script spamming
# comments (each one an email to the sender) does not get far.
SHARE_ACTIONS_BURST = 20
SHARE_ACTIONS_PER_SECOND = 0.1


@dataclass
class Services:
    db: Database
    clock: Clock
    accounts: Accounts
    customers: Customers
    invoices: Invoices
    credit_notes: CreditNotes
    outbox: Outbox
    idempotency: IdempotencyKeys
    sessions: Sessions
    attempts: Attempts
    activity: Activity
    share_limiter: RateLimiter
    profiles: Profiles
    reminders: Reminders
    security: AccountSecurity
    key_limiter: RateLimiter | None = field(default=None)
    events: Events | None = field(default=None)
    webhooks: Webhooks | None = field(default=None)

    @classmethod
    def open(cls, db_url: str, *, rate_limit: float | None = None, clock: Clock | None = None,
             present_invoice=unpresented, present_credit_note=unpresented,
             allow_private_webhooks: bool = False) -> "Services":
        """Services over the database at `db_url` (a SQLite path or a PostgreSQL URL),
        its schema brought up to date first. `rate_limit`: requests a second per API
        key for the whole service (None: no limit). `present_invoice`, `present_credit_note`:
        a stored invoice or credit note → its JSON, as events carry it.
        `allow_private_webhooks`: let webhook endpoints be on private, loopback and
        link-local addresses."""
        db = open_database(db_url)
        migrations.migrate(db)
        clock = clock or Clock()
        with db.read() as tx:
            cursors = Cursors(tx.value("SELECT value FROM settings WHERE name = 'cursor_secret'"))
        buckets = bucket_database(db)
        accounts = Accounts(db)
        return cls(
            db=db, clock=clock,
            accounts=accounts, customers=Customers(db, cursors, clock),
            invoices=Invoices(db, cursors, clock, present_invoice, present_credit_note),
            credit_notes=CreditNotes(db, cursors),
            outbox=Outbox(db), idempotency=IdempotencyKeys(db, clock), sessions=Sessions(db),
            attempts=Attempts(db), activity=Activity(db),
            share_limiter=RateLimiter(buckets, SHARE_ACTIONS_PER_SECOND, SHARE_ACTIONS_BURST, scope="share",
                                      per="share link"),
            profiles=Profiles(db), reminders=Reminders(db, clock), security=AccountSecurity(db, clock, accounts),
            key_limiter=RateLimiter(buckets, rate_limit, scope="key") if rate_limit else None,
            events=Events(db, cursors),
            webhooks=Webhooks(db, cursors, clock, allow_private=allow_private_webhooks),
        )

    def close(self) -> None:
        buckets = self.share_limiter.db
        if buckets is not self.db:  # SQLite's scratch file of rate buckets
            buckets.close()
        self.db.close()
