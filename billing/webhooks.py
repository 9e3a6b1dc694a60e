"""Webhook rules, without I/O: the event types, who is subscribed to what, which
URLs and addresses an endpoint may have, and when a failed delivery is retried."""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from billing.errors import UnprocessableEntity

INVOICE_CREATED = "invoice.created"
INVOICE_UPDATED = "invoice.updated"
INVOICE_SENT = "invoice.sent"
INVOICE_VIEWED = "invoice.viewed"
INVOICE_AMENDED = "invoice.amended"
INVOICE_COMMENTED = "invoice.commented"
INVOICE_CHANGES_REQUESTED = "invoice.changes_requested"
INVOICE_APPROVED = "invoice.approved"
INVOICE_PAYMENT_RECEIVED = "invoice.payment_received"
INVOICE_PAID = "invoice.paid"
INVOICE_VOIDED = "invoice.voided"
INVOICE_REVERTED = "invoice.reverted"
CREDIT_NOTE_CREATED = "credit_note.created"
CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"

EVENT_TYPES = (
    INVOICE_CREATED, INVOICE_UPDATED, INVOICE_SENT, INVOICE_VIEWED, INVOICE_AMENDED, INVOICE_COMMENTED,
    INVOICE_CHANGES_REQUESTED, INVOICE_APPROVED, INVOICE_PAYMENT_RECEIVED, INVOICE_PAID, INVOICE_VOIDED,
    INVOICE_REVERTED, CREDIT_NOTE_CREATED, CUSTOMER_CREATED, CUSTOMER_UPDATED,
)
ALL = "*"

# The invoice event each action of the invoice workflow makes (workflow.invoices' `action`).
# mark_paid records a payment of what is left; a credit note is its own event.
INVOICE_ACTIONS = {
    "update": INVOICE_UPDATED, "send": INVOICE_SENT, "view": INVOICE_VIEWED, "amend": INVOICE_AMENDED,
    "comment": INVOICE_COMMENTED, "request_changes": INVOICE_CHANGES_REQUESTED, "approve": INVOICE_APPROVED,
    "payment": INVOICE_PAYMENT_RECEIVED, "mark_paid": INVOICE_PAYMENT_RECEIVED, "void": INVOICE_VOIDED,
    "revert": INVOICE_REVERTED,
}

ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def invoice_events(action: str, before: str, after: str) -> list[str]:
    """The events a change to an invoice makes: its action's, then invoice.paid when
    it left the invoice paid (the payment that leaves nothing due)."""
    found = [INVOICE_ACTIONS[action]] if action in INVOICE_ACTIONS else []
    if after == "paid" and before != "paid":
        found.append(INVOICE_PAID)
    return found


def subscribed(events: list[str], event_type: str) -> bool:
    return ALL in events or event_type in events


def check_events(events: list[str]) -> list[str]:
    """The subscription as stored: either ["*"] or distinct event types."""
    if ALL in events and len(events) > 1:
        raise UnprocessableEntity('events: send ["*"] alone for every event, or list the event types you want.',
                                  "events")
    return list(dict.fromkeys(events))


def retry_delay(attempts: int, base: float) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones: base, 2 × base,
    4 × base…; None once the last of the ATTEMPTS has failed."""
    if attempts >= ATTEMPTS:
        return None
    return base * 2 ** (attempts - 1)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query, as the request line carries it


def target(url: str) -> Target:
    """Where a webhook URL points; UnprocessableEntity on `url` when it is not one we send to."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnprocessableEntity(f"url {url!r} is not a valid URL; give one like https://example.com/webhooks.",
                                  "url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnprocessableEntity("url must be an http:// or https:// URL with a host, like https://example.com/webhooks.",
                                  "url")
    if parts.username is not None or parts.password is not None:
        raise UnprocessableEntity("url must not carry a user name or password: "
                                  "check the webhook-signature header to know a request is ours.", "url")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def refusal(address: str) -> str | None:
    """Why an endpoint may not be at `address` (None: it may): a webhook must reach
    the public internet, never this server's own network."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind, flagged in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                          ("private", ip.is_private), ("multicast", ip.is_multicast),
                          ("reserved", ip.is_reserved or ip.is_unspecified or not ip.is_global)):
        if flagged:
            return kind
    return None


def check_addresses(host: str, addresses: list[str]) -> None:
    """Refuse a host with no address, or with ANY address that is not public (one
    bad answer is enough: a resolver may hand out either)."""
    if not addresses:
        raise UnprocessableEntity(f"url: the host {host} has no address we can find; check its spelling.", "url")
    for address in addresses:
        kind = refusal(address)
        if kind:
            raise UnprocessableEntity(
                f"url: {host} resolves to {address}, a {kind} address; webhooks are sent only to public "
                "addresses (a server started with --allow-private-webhooks allows private ones).",
                "url",
            )


def shown(event: dict) -> dict:
    """An event as GET /api/v1/events/{id} and the body of its webhook deliveries show it."""
    return {name: event[name] for name in ("id", "type", "created_at", "livemode", "data")}
