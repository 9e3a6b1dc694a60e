"""Where a webhook URL leads, looked up now: every address its host resolves to,
checked, so that a request is only ever made to an address that passed."""

import socket

from billing.errors import UnprocessableEntity
from billing.webhooks import Target, check_addresses, target


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` has (an IP literal is its own); [] when it has none."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def checked(url: str, *, allow_private: bool, lookup=resolve) -> tuple[Target, list[str]]:
    """The URL's target and its addresses, all of them public unless `allow_private`;
    UnprocessableEntity on `url` otherwise."""
    where = target(url)
    addresses = lookup(where.host, where.port)
    if allow_private and addresses:
        return where, addresses
    if not addresses:
        raise UnprocessableEntity(f"url: the host {where.host} has no address we can find; check its spelling.", "url")
    check_addresses(where.host, addresses)
    return where, addresses
