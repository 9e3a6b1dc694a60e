"""Field-level history: what a change did, as before/after pairs."""

from billing.invoices import CONTENT_FIELDS


def snapshot(status: str, content: dict) -> dict:
    return {"status": status, **{name: content[name] for name in CONTENT_FIELDS}}


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
