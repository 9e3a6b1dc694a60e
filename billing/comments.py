"""Comments: the thread between sender and recipient on one invoice."""

from billing.errors import InvalidRequest


def comment_text(body: str, field: str = "body") -> str:
    """The comment as kept: outer blank space trimmed, never empty."""
    text = body.strip()
    if not text:
        raise InvalidRequest(f"{field} must contain some text, not only spaces.", field)
    return text


def author(name: str | None) -> str | None:
    return (name or "").strip() or None
