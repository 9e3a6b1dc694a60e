"""The `jupiter-invoice` command: serve the API, migrate its database, mint API
keys, set passwords. Every command takes `--db`: a SQLite file path or a
PostgreSQL URL."""

import argparse
import getpass
import os
import sys
from pathlib import Path

import uvicorn

from app import passwords
from app.mailer import smtp_settings
from app.scheduler import DEFAULT_INTERVAL_SECONDS
from billing.errors import InvalidRequest
from storage import migrations
from storage.engine import is_postgres_url, open_database, redacted
from workflow import Services

DEMO_EMAIL = "demo@example.com"
DB_HELP = ("a SQLite file, or a PostgreSQL URL such as postgresql://user:password@host:5432/dbname "
           "(default: $JUPITER_DB or data/jupiter.db)")


def default_db() -> str:
    return os.environ.get("JUPITER_DB", "data/jupiter.db")


def _migrate(db_url: str) -> list[str]:
    """Create or upgrade the schema; the migrations that ran."""
    db = open_database(db_url)
    try:
        return migrations.migrate(db)
    finally:
        db.close()


def mint_key(db_url: str, email: str, name: str, *, test: bool = False) -> str:
    services = Services.open(db_url)
    try:
        account_id = services.accounts.ensure(email, services.clock.now())
        secret, _ = services.accounts.create_key(account_id, name, services.clock.now(), test=test)
    finally:
        services.close()
    return secret


def _welcome(base_url: str, key: str) -> str:
    return f"""
A new database, so here is a demo API key for {DEMO_EMAIL}. It is shown only once:

    {key}

Try it:

    curl -s {base_url}/api/v1/invoices -H "Authorization: Bearer {key}"
"""


def serve(args: argparse.Namespace) -> None:
    if args.smtp_url:
        try:
            smtp_settings(args.smtp_url)  # refuse a malformed URL now, not in every worker
        except ValueError as error:
            raise SystemExit(f"--smtp-url: {error}") from None
    public_url = (args.public_url or os.environ.get("JUPITER_PUBLIC_URL") or f"http://{args.host}:{args.port}").rstrip("/")
    # Migrate once here, before any worker starts; a new database gets a demo key.
    if migrations.MIGRATIONS[0].__name__ in _migrate(args.db):
        print(_welcome(public_url, mint_key(args.db, DEMO_EMAIL, "demo")), flush=True)
    print(f"JupiterInvoice on {public_url} (database {redacted(args.db)})", flush=True)
    # Worker processes build their own app from the environment.
    os.environ["JUPITER_DB"] = args.db if is_postgres_url(args.db) else str(Path(args.db).resolve())
    os.environ["JUPITER_PUBLIC_URL"] = public_url
    if args.smtp_url:
        os.environ["JUPITER_SMTP_URL"] = args.smtp_url
    # The buckets live in the database: the figure is the whole service's.
    os.environ["JUPITER_RATE_LIMIT_TOTAL"] = str(args.rate_limit)
    os.environ["JUPITER_ACCESS_LOG"] = "1" if args.access_log else "0"
    os.environ["JUPITER_SCHEDULER_INTERVAL"] = str(args.scheduler_interval)
    os.environ["JUPITER_ALLOW_PRIVATE_WEBHOOKS"] = "1" if args.allow_private_webhooks else "0"
    os.environ["JUPITER_WEBHOOK_RETRY_BASE"] = str(args.webhook_retry_base)
    uvicorn.run(
        "app.factory:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,  # ours is one JSON line per request, with its X-Request-Id (app/requestlog.py)
        timeout_keep_alive=5,
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or None,
        http="app.server:GuardedHttpToolsProtocol",
        # No limit_concurrency: uvicorn counts idle connections in it, so a thousand
        # silent sockets would turn every real request away. app.limits.InFlightLimit
        # counts requests instead.
    )


def create_key(args: argparse.Namespace) -> None:
    print(mint_key(args.db, args.email, args.name, test=args.test))


def migrate(args: argparse.Namespace) -> None:
    ran = _migrate(args.db)
    done = f"applied {', '.join(ran)}" if ran else "already up to date"
    print(f"{redacted(args.db)}: {done}.")


def _new_password() -> str:
    """Asked twice at a terminal; the first line of standard input otherwise (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        sys.exit("The two passwords differ; nothing was changed.")
    return first


def set_password(args: argparse.Namespace) -> None:
    try:
        password = passwords.acceptable(_new_password())
    except InvalidRequest as refused:
        sys.exit(refused.message + " Nothing was changed.")
    services = Services.open(args.db)
    try:
        services.security.set_password_from_server(args.email, passwords.hash_password(password))
    finally:
        services.close()
    print(f"{args.email.strip().lower()} can now sign in on the web; every earlier web session of it has ended.")


def _positive_seconds(text: str) -> float:
    seconds = float(text)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return seconds


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="jupiter-invoice", description="Invoicing API for code and AI agents.")
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="serve the REST API, the MCP server and the pages")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--db", default=default_db(), help=DB_HELP)
    run.add_argument("--public-url", help="base of share links (default: $JUPITER_PUBLIC_URL or http://HOST:PORT)")
    run.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    run.add_argument(
        "--smtp-url", default=os.environ.get("JUPITER_SMTP_URL"),
        help="where to send notifications to senders, e.g. smtp+starttls://user:pass@host:587?from=billing@example.com "
             "(default: $JUPITER_SMTP_URL; without one they are only recorded in the outbox table)",
    )
    run.add_argument(
        "--forwarded-allow-ips", default=os.environ.get("JUPITER_FORWARDED_ALLOW_IPS", "127.0.0.1"), metavar="IPS",
        help="comma-separated addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
             "believed: the client address they give is the one sign-in limits and the access log use, '*' for "
             "any, '' for none (default: $JUPITER_FORWARDED_ALLOW_IPS or 127.0.0.1, a proxy on this machine)",
    )
    run.add_argument("--no-access-log", dest="access_log", action="store_false", help="do not log each request")
    run.add_argument("--rate-limit", type=float, default=float(os.environ.get("JUPITER_RATE_LIMIT", 100)),
                     help="requests a second per API key, for all servers together, 0 for none "
                          "(default: $JUPITER_RATE_LIMIT or 100)")
    run.add_argument("--scheduler-interval", type=float, metavar="S",
                     default=float(os.environ.get("JUPITER_SCHEDULER_INTERVAL", DEFAULT_INTERVAL_SECONDS)),
                     help="seconds between the scheduler's rounds of automatic reminders, 0 for none in this server "
                          "(default: $JUPITER_SCHEDULER_INTERVAL or 60); several servers never send one twice")
    run.add_argument("--allow-private-webhooks", action="store_true",
                     help="let webhook endpoints be on private, loopback and link-local addresses "
                          "(for a receiver on this machine or network; refused by default)")
    run.add_argument("--webhook-retry-base", type=_positive_seconds, default=30.0, metavar="S",
                     help="seconds before a failed webhook delivery is retried, doubling each time, "
                          "8 attempts in all (default: 30)")
    run.set_defaults(func=serve)

    upgrade = commands.add_parser("migrate", help="create or upgrade the database schema, then exit "
                                                  "(safe when several run at once)")
    upgrade.add_argument("--db", default=default_db(), help=DB_HELP)
    upgrade.set_defaults(func=migrate)

    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser("create", help="mint a key and print it (shown once)")
    create.add_argument("--email", required=True,
                        help="the account; created (its email counted as verified) if it does not exist")
    create.add_argument("--name", default="cli", help="a label for the key")
    create.add_argument("--test", action="store_true",
                        help="a test key (jk_test_…): it sees test data only, and its email is never delivered")
    create.add_argument("--db", default=default_db(), help=DB_HELP)
    create.set_defaults(func=create_key)

    accounts = commands.add_parser("accounts", help="manage accounts").add_subparsers(
        dest="accounts_command", required=True)
    password = accounts.add_parser(
        "set-password",
        help="set the web sign-in password of an account (created if need be), which marks its email "
             "verified and signs it out everywhere; asked at the terminal, else read from the first line of "
             "standard input",
    )
    password.add_argument("--email", required=True)
    password.add_argument("--db", default=default_db(), help=DB_HELP)
    password.set_defaults(func=set_password)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
