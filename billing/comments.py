"""Comments: the thread between sender and recipient on one invoice."""

from billing.errors import UnprocessableEntity


def comment_text(body: str, field: str = "body") -> str:
    """The comment as kept: outer blank space trimmed, line breaks as LF (browsers
    send CRLF from a textarea), never empty."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        # Schema-valid (a non-empty string) yet says nothing: a rule, not a malformed request.
        raise UnprocessableEntity(f"{field} must contain some text, not only spaces.", field)
    return text


def author(name: str | None) -> str | None:
    return (name or "").strip() or None
