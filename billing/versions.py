"""Field-level history: what a change did, as before/after pairs, and how to
undo one change without undoing the ones after it."""

from billing.errors import UnprocessableEntity
from billing.invoices import CONTENT_FIELDS


def snapshot(status: str, content: dict, revision: int = 1) -> dict:
    return {"status": status, "revision": revision, **{name: content[name] for name in CONTENT_FIELDS}}


def _flat(state: dict) -> dict:
    """Recipient fields count one by one: a recipient's address fix and a
    sender's company rename are separate changes."""
    flat = {}
    for name, value in state.items():
        if name == "recipient":
            flat.update({f"recipient.{key}": item for key, item in value.items()})
        else:
            flat[name] = value
    return flat


def changes(before: dict, after: dict) -> list[dict]:
    old, new = _flat(before), _flat(after)
    return [
        {"field": field, "before": old.get(field), "after": new.get(field)}
        for field in dict.fromkeys([*old, *new])
        if old.get(field) != new.get(field)
    ]


def comment_change(author_name: str | None, body: str) -> dict:
    """How a comment appears among a version's changes."""
    return {"field": "comment", "before": None, "after": {"author_name": author_name, "body": body}}


def is_content(field: str) -> bool:
    """Whether a changed field is part of what the invoice says (and so revertible),
    rather than its status, its revision or a comment."""
    return field.partition(".")[0] in CONTENT_FIELDS


def _restore(content: dict, change: dict) -> dict:
    name, _, key = change["field"].partition(".")
    if key:  # a recipient field, restored alone
        return {**content, name: {**content[name], key: change["before"]}}
    return {**content, name: change["before"]}


def reverted(content: dict, version: int, action: str, recorded: list[dict]) -> dict:
    """`content` with only the fields version `version` touched put back to their
    values just before it. Later changes to other fields stay."""
    touched = [change for change in recorded if is_content(change["field"])]
    if not touched:
        if action == "create":
            raise UnprocessableEntity(
                f"Version {version} created the invoice; there is no earlier state to revert to.", "version"
            )
        raise UnprocessableEntity(
            f"Version {version} ({action}) changed no invoice fields, only its status or comments, so there "
            "is nothing to revert. Revert a version whose changes list invoice fields such as po_number or line_items.",
            "version",
        )
    restored = content
    for change in touched:
        restored = _restore(restored, change)
    if restored == content:
        names = ", ".join(change["field"] for change in touched)
        raise UnprocessableEntity(
            f"The fields version {version} changed ({names}) already hold the values they had before it; "
            "there is nothing to revert.",
            "version",
        )
    return restored
