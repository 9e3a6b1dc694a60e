"""The schema, as ordered migrations that both engines run. Never edit one that
has shipped; add the next. DDL is written once: `{id}` is the engine's
auto-numbered primary key, `{float}` its double, `{unlogged}` marks a table whose
contents may be lost in a crash (PostgreSQL skips its WAL); every other integer
is BIGINT, so money has 64 bits on both."""

import secrets
from datetime import UTC, datetime

MIGRATIONS: list = []


def migration(function):
    MIGRATIONS.append(function)
    return function


def _create(tx, db, *statements: str) -> None:
    for statement in statements:
        tx.run(db.ddl(statement))


@migration
def m001_accounts_and_keys(tx, db):
    _create(tx, db, """
        CREATE TABLE accounts (
            id {id},
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT,
            created_at TEXT NOT NULL
        )""", """
        CREATE TABLE api_keys (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        )""",
        "CREATE INDEX api_keys_account ON api_keys(account_id)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )
    tx.run("INSERT INTO settings (name, value) VALUES ('cursor_secret', ?)", [secrets.token_hex(32)])


@migration
def m002_customers_and_invoices(tx, db):
    _create(tx, db, """
        CREATE TABLE customers (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            code TEXT NOT NULL,
            company_key TEXT,
            email_key TEXT,
            fields TEXT NOT NULL,
            next_number BIGINT NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (account_id, code)
        )""",
        "CREATE INDEX customers_company ON customers(account_id, company_key)",
        "CREATE INDEX customers_email ON customers(account_id, email_key)", """
        CREATE TABLE invoices (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            customer_id BIGINT NOT NULL REFERENCES customers(id),
            number TEXT NOT NULL,
            status TEXT NOT NULL,
            content TEXT NOT NULL,
            subtotal_cents BIGINT NOT NULL,
            discount_cents BIGINT NOT NULL,
            tax_cents BIGINT NOT NULL,
            total_cents BIGINT NOT NULL,
            share_token TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            viewed_at TEXT,
            approved_at TEXT,
            paid_at TEXT,
            voided_at TEXT,
            UNIQUE (account_id, number)
        )""",
        "CREATE INDEX invoices_account ON invoices(account_id, id)",
        "CREATE INDEX invoices_customer ON invoices(customer_id, id)", """
        CREATE TABLE invoice_versions (
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            version BIGINT NOT NULL,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            changes TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            PRIMARY KEY (invoice_id, version)
        )""",
    )


@migration
def m003_idempotency_keys(tx, db):
    _create(tx, db, """
        CREATE TABLE idempotency_keys (
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL,
            started_at TEXT NOT NULL,
            response TEXT,
            PRIMARY KEY (account_id, key)
        )""",
        "CREATE INDEX idempotency_keys_age ON idempotency_keys(started_at)",
    )


@migration
def m004_web_sign_in(tx, db):
    # The name a sender bills under, shown to their recipients; optional.
    # Browser sessions live here, not in a signed cookie, so that signing out and
    # expiry end them for every worker process. Only a hash of the token is kept.
    # Failed sign-ins (and sign-ups), counted per scope ("email:…", "address:…")
    # over a sliding window, shared by every worker process.
    _create(tx, db,
        "ALTER TABLE accounts ADD COLUMN display_name TEXT", """
        CREATE TABLE web_sessions (
            token_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""",
        "CREATE INDEX web_sessions_account ON web_sessions(account_id)",
        "CREATE INDEX web_sessions_expiry ON web_sessions(expires_at)",
        "CREATE TABLE attempts (scope TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX attempts_scope ON attempts(scope, at)",
    )


@migration
def m005_recipient_side(tx, db):
    """Revisions, comment threads, the reverted version of a revert, and the
    outbox of notifications to senders."""
    _create(tx, db,
        "ALTER TABLE invoices ADD COLUMN revision BIGINT NOT NULL DEFAULT 1",
        "ALTER TABLE invoice_versions ADD COLUMN reverts BIGINT", """
        CREATE TABLE invoice_comments (
            id {id},
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            version BIGINT NOT NULL,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            author_name TEXT,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX invoice_comments_invoice ON invoice_comments(invoice_id, id)", """
        CREATE TABLE outbox (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            created_at TEXT NOT NULL,
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT
        )""",
        "CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at)",
    )


@migration
def m006_shared_rate_limits(tx, db):
    """Token buckets for API keys and share links, one allowance for every server.
    Unlogged: a crash may refill a bucket, which costs nothing worth a WAL write."""
    _create(tx, db, """
        CREATE {unlogged} TABLE rate_buckets (
            key TEXT PRIMARY KEY,
            tokens {float} NOT NULL,
            updated {float} NOT NULL,
            allowed BIGINT NOT NULL
        )""",
        "CREATE INDEX rate_buckets_age ON rate_buckets(updated)",
    )


@migration
def m007_payments(tx, db):
    """Payments received against invoices, and on each invoice what has been paid and
    credited so far (kept beside its total, so what is due is read without a sum)."""
    _create(tx, db, """
        CREATE TABLE payments (
            id {id},
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            version BIGINT NOT NULL,
            amount_cents BIGINT NOT NULL,
            paid_at TEXT NOT NULL,
            method TEXT NOT NULL,
            reference TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX payments_invoice ON payments(invoice_id, id)",
        "ALTER TABLE invoices ADD COLUMN amount_paid_cents BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE invoices ADD COLUMN amount_credited_cents BIGINT NOT NULL DEFAULT 0",
    )

@migration
def m008_account_profile_and_delivery(tx, db):
    """The seller profile (one JSON object, null until first saved); each invoice's
    due date as a column, for the overdue filter and the reminder scan, and how it
    was delivered; outbox messages to recipients (with their kind, cc, reply-to and
    the attachment to render when sending); the reminder steps claimed per invoice,
    each at most once, whatever number of schedulers race for it."""
    _create(tx, db,
        "ALTER TABLE accounts ADD COLUMN profile TEXT",
        "ALTER TABLE invoices ADD COLUMN due_date TEXT",
        "ALTER TABLE invoices ADD COLUMN delivery TEXT",
        "ALTER TABLE invoices ADD COLUMN delivery_message_id BIGINT",
        "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notification'",
        "ALTER TABLE outbox ADD COLUMN cc_address TEXT",
        "ALTER TABLE outbox ADD COLUMN reply_to TEXT",
        "ALTER TABLE outbox ADD COLUMN attachment TEXT", """
        CREATE TABLE reminders_sent (
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            step TEXT NOT NULL,
            outcome TEXT NOT NULL,
            created_at TEXT NOT NULL,
            message_id BIGINT,
            PRIMARY KEY (invoice_id, step)
        )""",
        "CREATE INDEX invoices_due ON invoices(account_id, due_date)",
    )
    if db.engine == "sqlite":
        tx.run("UPDATE invoices SET due_date = json_extract(content, '$.due_date')")
    else:
        tx.run("UPDATE invoices SET due_date = content::json ->> 'due_date'")


@migration
def m010_credit_notes(tx, db):
    """Credit notes, numbered CODE-CN-NNNN from each customer's own counter."""
    _create(tx, db,
        "ALTER TABLE customers ADD COLUMN next_credit_note BIGINT NOT NULL DEFAULT 1", """
        CREATE TABLE credit_notes (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            invoice_id BIGINT NOT NULL REFERENCES invoices(id),
            number TEXT NOT NULL,
            content TEXT NOT NULL,
            total_cents BIGINT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (account_id, number)
        )""",
        "CREATE INDEX credit_notes_account ON credit_notes(account_id, id)",
        "CREATE INDEX credit_notes_invoice ON credit_notes(invoice_id)",
    )


@migration
def m009_events_and_webhooks(tx, db):
    """Events as they happened, the endpoints subscribed to them, and one delivery
    per event and endpoint with each attempt it took. `due_ms` and `leased_until_ms`
    are Unix milliseconds: retries may come sooner than a second apart."""
    _create(tx, db, """
        CREATE TABLE events (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            public_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX events_account ON events(account_id, id)",
        "CREATE INDEX events_type ON events(account_id, type, id)", """
        CREATE TABLE webhook_endpoints (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            description TEXT,
            secret TEXT NOT NULL,
            enabled BIGINT NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX webhook_endpoints_account ON webhook_endpoints(account_id, id)", """
        CREATE TABLE webhook_deliveries (
            id {id},
            endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
            event_id BIGINT NOT NULL REFERENCES events(id),
            status TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            due_ms BIGINT,
            leased_until_ms BIGINT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id)",
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, due_ms)", """
        CREATE TABLE webhook_attempts (
            id {id},
            delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
            at TEXT NOT NULL,
            status_code BIGINT,
            error TEXT,
            duration_ms BIGINT NOT NULL
        )""",
        "CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id)",
    )


@migration
def m011_account_security(tx, db):
    """Whether an account's email address is proved to be its owner's, and the
    single-use links emailed to prove it or to reset the password (only a hash of
    each kept, as for sessions). Accounts already here are treated as verified:
    they were made before anyone was asked. Mail about the account itself (those
    links) has no invoice, so the outbox's invoice becomes optional: PostgreSQL
    drops the NOT NULL in place; SQLite cannot, so it builds the table anew."""
    _create(tx, db,
        "ALTER TABLE accounts ADD COLUMN email_verified_at TEXT", """
        CREATE TABLE account_tokens (
            token_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            purpose TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )""",
        "CREATE INDEX account_tokens_account ON account_tokens(account_id, purpose)",
        "CREATE INDEX account_tokens_expiry ON account_tokens(expires_at)",
    )
    tx.run("UPDATE accounts SET email_verified_at = created_at")
    if db.engine == "postgresql":
        tx.run("ALTER TABLE outbox ALTER COLUMN invoice_id DROP NOT NULL")
        return
    columns = ("id, account_id, invoice_id, created_at, to_address, subject, body, attempts, next_attempt_at, "
               "last_error, sent_at, kind, cc_address, reply_to, attachment")
    _create(tx, db, """
        CREATE TABLE outbox_rebuilt (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            invoice_id BIGINT REFERENCES invoices(id),
            created_at TEXT NOT NULL,
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT,
            kind TEXT NOT NULL DEFAULT 'notification',
            cc_address TEXT,
            reply_to TEXT,
            attachment TEXT
        )""")
    tx.run(f"INSERT INTO outbox_rebuilt ({columns}) SELECT {columns} FROM outbox")
    tx.run("DROP TABLE outbox")
    tx.run("ALTER TABLE outbox_rebuilt RENAME TO outbox")
    tx.run("CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at)")


@migration
def m012_customer_numbers(tx, db):
    """Each account numbers its own customers 1, 2, 3… in the order they were made:
    that number is the id the API shows, so an id tells nothing of other accounts.
    The row id stays the key that invoices refer to. Existing customers are
    numbered in the order of their row ids (the default only serves the ALTER)."""
    _create(tx, db, "ALTER TABLE customers ADD COLUMN number BIGINT NOT NULL DEFAULT 0")
    tx.run("""
        UPDATE customers SET number = numbered.number
        FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY id) AS number FROM customers) AS numbered
        WHERE customers.id = numbered.id""")
    _create(tx, db, "CREATE UNIQUE INDEX customers_number ON customers(account_id, number)")


@migration
def m013_test_mode(tx, db):
    """Test mode is a second account beside each live one (`test_of` names the live
    one), made when its first test key is: every row already belongs to an account,
    so test data is apart from live data by construction. Mail queued for a test
    account is kept (`kept_at`), never delivered."""
    _create(tx, db,
        "ALTER TABLE accounts ADD COLUMN test_of BIGINT REFERENCES accounts(id)",
        "CREATE UNIQUE INDEX accounts_test_of ON accounts(test_of)",
        "ALTER TABLE outbox ADD COLUMN kept_at TEXT",
    )


LATEST = MIGRATIONS[-1].__name__


def _applied(tx) -> set[str]:
    return {row["name"] for row in tx.all("SELECT name FROM schema_migrations")}


def _adopt_earlier_record(tx) -> None:
    """SQLite files made before schema_migrations recorded their migrations in
    sqlite-utils' table; take those over so nothing runs twice."""
    if tx.one("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'"):
        tx.run("INSERT INTO schema_migrations (name, applied_at) "
               "SELECT name, applied_at FROM _sqlite_migrations WHERE migration_set = 'jupiter'")


def migrate(db) -> list[str]:
    """Create or upgrade the schema; the migrations it ran. Safe when several
    processes start together: each engine lets one migrator in at a time."""
    with db.migrating() as tx:
        if db.engine == "sqlite":
            fresh = not tx.one("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'")
        else:
            fresh = tx.value("SELECT to_regclass('schema_migrations') IS NULL")
        if fresh:
            tx.run("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            if db.engine == "sqlite":
                _adopt_earlier_record(tx)
        done = _applied(tx)
        ran = []
        for step in MIGRATIONS:
            if step.__name__ not in done:
                step(tx, db)
                tx.insert("schema_migrations", {"name": step.__name__,
                                                "applied_at": datetime.now(UTC).isoformat()})
                ran.append(step.__name__)
        return ran


def is_current(db) -> bool:
    """Whether every migration this code knows has run (for /readyz)."""
    with db.read() as tx:
        try:
            return LATEST in _applied(tx)
        except Exception:  # noqa: BLE001 - no table at all is "not current" too
            return False
