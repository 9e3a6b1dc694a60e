"""What the sender is told when the recipient acts on an invoice: a plain-text
email with the field-level diff. Composed here, delivered by app.mailer."""

from billing.labels import plain

_DONE = {
    "amend": "edited",
    "comment": "commented on",
    "request_changes": "requested changes to",
    "approve": "approved",
}


def _line(change: dict) -> str:
    if change["field"] == "comment":
        comment = change["after"]
        who = comment.get("author_name") or "the recipient"
        quoted = "\n".join(f"    > {line}" for line in comment["body"].splitlines())
        return f"  Comment from {who}:\n{quoted}"
    return f"  {change['field']}: {plain(change['before'])} → {plain(change['after'])}"


def one_line(text: str) -> str:
    """Text fit for an email header: a recipient's company with a CR or LF in it
    must not add a header of its own (nor break the message)."""
    return " ".join(text.split())


def recipient_activity(number: str, recipient: dict, action: str, version: int, changes: list[dict]) -> dict:
    """{"subject", "body"} of the email telling the sender what the recipient did."""
    who = recipient.get("company") or recipient.get("email") or "The recipient"
    done = _DONE.get(action, action)
    lines = "\n".join(_line(change) for change in changes) or "  (no field changed)"
    body = (
        f"{who} {done} invoice {number} (version {version}).\n\n"
        f"{lines}\n\n"
        f"Every change and comment: GET /api/v1/invoices/{number}/versions and /comments.\n"
    )
    return {"subject": one_line(f"{number}: {who} {done} the invoice"), "body": body}
