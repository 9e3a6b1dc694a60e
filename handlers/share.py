"""The recipient's side, authorised by the share token alone. The share page
(web/share.py) calls these same functions."""

from billing.comments import author, comment_text
from handlers import _views, blocking

__all__ = [
    "get_shared_invoice", "amend_shared_invoice", "comment_on_shared_invoice",
    "request_invoice_changes", "approve_shared_invoice",
]


def _seen_by_recipient(record, services):
    account, customer, thread = services.invoices.seen_by_recipient(record)
    return _views.shared_invoice(record, account, customer, thread)


@blocking  # the first view moves the invoice to `viewed`
def get_shared_invoice(token, services):
    return _seen_by_recipient(services.invoices.view(token), services)


def glance_at_shared_invoice(token, services):
    """The same view, marking nothing: for a link preview, or the sender's own look."""
    return _seen_by_recipient(services.invoices.shared(token), services)


def amend_shared_invoice(token, body, services, mailer):
    record = services.invoices.amend(token, body)
    mailer.kick()
    return _seen_by_recipient(record, services)


def comment_on_shared_invoice(token, body, services, mailer):
    comment = services.invoices.comment_shared(token, author(body.get("author_name")), comment_text(body["body"]))
    mailer.kick()
    return comment, 201


def request_invoice_changes(token, body, services, mailer):
    record = services.invoices.request_changes(token, comment_text(body["body"]))
    mailer.kick()
    return _seen_by_recipient(record, services)


def approve_shared_invoice(token, body, services, mailer):
    record = services.invoices.approve(token, body["version"], revision=body.get("revision"))
    mailer.kick()
    return _seen_by_recipient(record, services)
