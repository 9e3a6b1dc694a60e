"""What the recipient is sent: the invoice, the sender's comments and reminders,
as plain-text emails. Composed here (pure), queued in the outbox in the change's
own unit of work, delivered by app.mailer."""

from datetime import date

from billing.errors import UnprocessableEntity
from billing.money import format_amount
from billing.notifications import one_line

SIGNATURE = "Sent with JupiterInvoice."


def share_link(public_url: str, token: str) -> str:
    return f"{public_url}/i/{token}"


def is_address(text: str | None) -> bool:
    """One plain address fit for a header: something@domain.tld, no spaces, no
    control characters, no second address hidden after a comma."""
    if not text:
        return False
    local, at, domain = text.rpartition("@")
    return bool(local and at and "." in domain) and not any(
        char.isspace() or not char.isprintable() or char in ",;<>\"" for char in text
    )


def given_addresses(to: list[str]) -> list[str]:
    """The addresses a sender typed, each checked; 422 naming the first bad one."""
    for index, address in enumerate(to):
        if not is_address(address.strip()):
            raise UnprocessableEntity(
                f"to[{index}] {address!r} is not one email address like ap@acme.com.", f"to[{index}]",
            )
    return _unique(address.strip() for address in to)


def _unique(addresses) -> list[str]:
    seen, kept = set(), []
    for address in addresses:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            kept.append(address)
    return kept


def default_addresses(recipient: dict, customer: dict) -> tuple[list[str], list[str]]:
    """(to, cc) by default: the recipient's email, and the customer's cc_emails
    (which become the To when the recipient has no email). Stored addresses that
    could not go in a header are left out rather than stop the sending."""
    to = [address for address in [recipient.get("email")] if is_address(address)]
    cc = [address for address in customer.get("cc_emails") or [] if is_address(address)]
    if not to:
        return _unique(cc), []
    known = {address.casefold() for address in to}
    return to, _unique(address for address in cc if address.casefold() not in known)


def sender_name(account: dict) -> str:
    """Who the recipient is told the mail is from; never the sign-in email."""
    return one_line(account.get("display_name") or account.get("legal_name") or account.get("contact_email")
                    or "your supplier")


def _quoted(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def _amount(record: dict) -> str:
    return format_amount(record["total_cents"], record["content"]["currency"])


def invoice_email(record: dict, account: dict, message: str | None, link: str) -> dict:
    """{"subject", "body"} of the email that carries an invoice (its PDF attached)."""
    sender, number = sender_name(account), record["number"]
    lines = [f"{sender} sent you invoice {number}.", "",
             f"Amount due: {_amount(record)}", f"Due date: {record['content']['due_date']}"]
    if message:
        lines += ["", f"Message from {sender}:", _quoted(message)]
    lines += ["", "See it, comment, correct your billing details, approve it or download it:", link, "",
              f"The invoice is attached as a PDF. {SIGNATURE}"]
    return {"subject": one_line(f"Invoice {number} from {sender}"), "body": "\n".join(lines) + "\n"}


def comment_email(record: dict, account: dict, body: str, link: str) -> dict:
    sender, number = sender_name(account), record["number"]
    text = (f"{sender} commented on invoice {number}:\n\n{_quoted(body)}\n\n"
            f"Reply on the invoice's page:\n{link}\n\n{SIGNATURE}\n")
    return {"subject": one_line(f"New comment on invoice {number} from {sender}"), "body": text}


def reminder_email(record: dict, account: dict, today: date, message: str | None, link: str) -> dict:
    """A reminder: how long until (or since) the due date, the amount, the link."""
    sender, number = sender_name(account), record["number"]
    due = date.fromisoformat(record["content"]["due_date"])
    days = (due - today).days
    if days > 0:
        when = f"is due on {due} (in {days} day{'s' if days != 1 else ''})"
        subject = f"Reminder: invoice {number} from {sender} is due on {due}"
    elif days == 0:
        when, subject = "is due today", f"Reminder: invoice {number} from {sender} is due today"
    else:
        late = -days
        when = f"was due on {due} ({late} day{'s' if late != 1 else ''} ago)"
        subject = f"Overdue: invoice {number} from {sender} was due on {due}"
    lines = [f"Invoice {number} from {sender} {when}.", "", f"Amount due: {_amount(record)}"]
    if message:
        lines += ["", f"Message from {sender}:", _quoted(message)]
    lines += ["", "See it, approve it or download it:", link, "",
              f"If you have paid it already, thank you, and please ignore this reminder. {SIGNATURE}"]
    return {"subject": one_line(subject), "body": "\n".join(lines) + "\n"}
