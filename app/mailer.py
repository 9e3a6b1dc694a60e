"""Delivers the outbox (storage.outbox) through SMTP, off the request path.

A recipient's action writes its notification in the same transaction as the
change, then kicks the mailer, whose one background thread sends what is due and
goes quiet when nothing is left. A failed send is retried with a growing delay;
the message stays in the outbox until it is delivered, so SMTP being down loses
nothing. Several worker processes may share the outbox: each message is leased
to one sender at a time. Without an SMTP URL the outbox is simply the record.

Mail to a recipient may carry an attachment, stored as what to draw (the invoice
as a given version left it); `attachments` draws it when the message leaves. A
message that can never be delivered (it cannot be built, or the server refuses
every recipient) is given up on and stays on record as failed."""

import logging
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from billing.errors import DomainError
from storage.outbox import Outbox
from workflow.clock import Clock

log = logging.getLogger("jupiter.mailer")

LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
SMTP_TIMEOUT_SECONDS = 15
# When a message that can never be sent is "retried": never, yet it stays on record.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)
_SCHEMES = {"smtp": (None, 25), "smtp+starttls": ("starttls", 587), "smtps": ("ssl", 465)}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str | None  # None, "starttls" or "ssl"
    username: str | None
    password: str | None
    sender: str


def smtp_settings(url: str) -> SmtpSettings:
    """smtp://[user:password@]host[:port][?from=address]; smtp+starttls:// and smtps:// for TLS."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ValueError(f"{url!r} is not an SMTP URL like smtp://user:password@mail.example.com:587?from=billing@example.com")
    security, default_port = _SCHEMES[parts.scheme]
    sender = parse_qs(parts.query).get("from", [f"JupiterInvoice <notifications@{parts.hostname}>"])[0]
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most an hour apart."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts, 0), LONGEST_RETRY_SECONDS))


# attachment spec → (file name, MIME type, bytes)
Attachments = Callable[[dict], tuple[str, str, bytes]]


def _email(settings: SmtpSettings, message: dict, attachments: Attachments | None = None) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message["to_address"]
    if message.get("cc_address"):
        email["Cc"] = message["cc_address"]
    if message.get("reply_to"):
        email["Reply-To"] = message["reply_to"]
    email["Subject"] = message["subject"]
    email.set_content(message["body"])
    if message.get("attachment"):
        if attachments is None:
            raise ValueError("this server cannot draw attachments")
        filename, mime, content = attachments(message["attachment"])
        maintype, subtype = mime.split("/")
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return email


def _permanent(error: Exception) -> bool:
    """The server refused every recipient: retrying will not change its mind."""
    return isinstance(error, smtplib.SMTPRecipientsRefused)


def send(settings: SmtpSettings, email: EmailMessage) -> None:
    connect = smtplib.SMTP_SSL if settings.security == "ssl" else smtplib.SMTP
    with connect(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.security == "starttls":
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(email)


class Mailer:
    def __init__(self, outbox: Outbox, smtp_url: str | None = None, clock: Clock | None = None,
                 attachments: Attachments | None = None):
        self._outbox = outbox
        self._clock = clock or Clock()
        self._attachments = attachments
        self.settings = smtp_settings(smtp_url) if smtp_url else None
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> None:
        """Deliver what an earlier run left in the outbox; kicks work from now on."""
        self._stopping = False
        self.kick()

    def kick(self) -> None:
        """Something was queued: deliver it soon. Returns at once."""
        if self.settings is None or self._stopping:
            return
        self._wake.set()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="jupiter-mailer", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout=SMTP_TIMEOUT_SECONDS + 5)

    def deliver_due(self) -> int:
        """Send every message that is due; the number delivered."""
        delivered = 0
        now = self._clock.now
        for message in self._outbox.claim_due(now(), LEASE):
            try:
                email = _email(self.settings, message, self._attachments)
            except (ValueError, TypeError, DomainError) as error:  # a header or attachment no retry can mend
                log.error("notification %s cannot be sent: %s", message["id"], error)
                self._outbox.failed(message["id"], f"cannot be built: {error}", NEVER)
                continue
            except Exception as error:  # noqa: BLE001 - the attachment's database may be busy: later
                log.warning("notification %s not built (attempt %s): %s", message["id"], message["attempts"] + 1, error)
                self._outbox.failed(message["id"], f"not built: {error}", now() + retry_delay(message["attempts"]))
                continue
            try:
                send(self.settings, email)
            except (OSError, smtplib.SMTPException) as error:
                if _permanent(error):
                    log.error("notification %s refused for good: %s", message["id"], error)
                    self._outbox.failed(message["id"], f"refused: {error}", NEVER)
                    continue
                attempts = message["attempts"]
                log.warning("notification %s not delivered (attempt %s): %s", message["id"], attempts + 1, error)
                self._outbox.failed(message["id"], str(error) or type(error).__name__, now() + retry_delay(attempts))
            else:
                self._outbox.delivered(message["id"], now())
                delivered += 1
        return delivered

    def _seconds_to_next(self) -> float | None:
        due = self._outbox.next_due()
        if due is None:
            return None
        return min(max((due - self._clock.now()).total_seconds(), 1.0), LONGEST_RETRY_SECONDS)

    def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                self.deliver_due()
                wait = self._seconds_to_next()
            except Exception:  # the database may be busy or gone: try again later, never die silently
                log.exception("the mailer could not read the outbox")
                wait = FIRST_RETRY_SECONDS
            if wait is None:
                with self._lock:
                    if not self._wake.is_set():  # a kick after this point starts a new thread
                        self._thread = None
                        return
                continue
            self._wake.wait(wait)
        with self._lock:
            self._thread = None
