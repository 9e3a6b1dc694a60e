"""The schema, as ordered migrations (sqlite-utils style). Never edit one that
has shipped; add the next."""

import secrets

from sqlite_utils.migrations import Migrations

migrations = Migrations("jupiter")


@migrations()
def m001_accounts_and_keys(db):
    db.execute("""
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        )""")
    db.execute("CREATE INDEX api_keys_account ON api_keys(account_id)")
    db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db["settings"].insert({"name": "cursor_secret", "value": secrets.token_hex(32)})


@migrations()
def m002_customers_and_invoices(db):
    db.execute("""
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            code TEXT NOT NULL,
            company_key TEXT,
            email_key TEXT,
            fields TEXT NOT NULL,
            next_number INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (account_id, code)
        )""")
    db.execute("CREATE INDEX customers_company ON customers(account_id, company_key)")
    db.execute("CREATE INDEX customers_email ON customers(account_id, email_key)")
    db.execute("""
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            number TEXT NOT NULL,
            status TEXT NOT NULL,
            content TEXT NOT NULL,
            subtotal_cents INTEGER NOT NULL,
            discount_cents INTEGER NOT NULL,
            tax_cents INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            share_token TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            viewed_at TEXT,
            approved_at TEXT,
            paid_at TEXT,
            voided_at TEXT,
            UNIQUE (account_id, number)
        )""")
    db.execute("CREATE INDEX invoices_account ON invoices(account_id, id)")
    db.execute("CREATE INDEX invoices_customer ON invoices(customer_id, id)")
    db.execute("""
        CREATE TABLE invoice_versions (
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            changes TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            PRIMARY KEY (invoice_id, version)
        )""")


@migrations()
def m003_idempotency_keys(db):
    db.execute("""
        CREATE TABLE idempotency_keys (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL,
            started_at TEXT NOT NULL,
            response TEXT,
            PRIMARY KEY (account_id, key)
        )""")
    db.execute("CREATE INDEX idempotency_keys_age ON idempotency_keys(started_at)")


@migrations()
def m004_web_sign_in(db):
    # The name a sender bills under, shown to their recipients; optional.
    db.execute("ALTER TABLE accounts ADD COLUMN display_name TEXT")
    # Browser sessions live here, not in a signed cookie, so that signing out and
    # expiry end them for every worker process. Only a hash of the token is kept.
    db.execute("""
        CREATE TABLE web_sessions (
            token_hash TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX web_sessions_account ON web_sessions(account_id)")
    db.execute("CREATE INDEX web_sessions_expiry ON web_sessions(expires_at)")
    # Failed sign-ins (and sign-ups), counted per scope ("email:…", "address:…")
    # over a sliding window, shared by every worker process.
    db.execute("""
        CREATE TABLE attempts (
            scope TEXT NOT NULL,
            at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX attempts_scope ON attempts(scope, at)")
