"""The recipient's side, authorised by the share token alone. The share page
(web/share.py) calls these same functions."""

from billing.comments import author, comment_text
from documents.pdf import invoice_pdf
from handlers import _views, blocking
from handlers._clock import now

__all__ = [
    "get_shared_invoice", "amend_shared_invoice", "comment_on_shared_invoice",
    "request_invoice_changes", "approve_shared_invoice", "get_shared_invoice_pdf",
]


def _seen_by_recipient(record, store):
    account = store.accounts.get(record["account_id"])
    customer = store.customers.get(record["account_id"], record["customer_id"])
    return _views.shared_invoice(record, account, customer, store.comments.thread(record["pk"]))


@blocking  # the first view moves the invoice to `viewed`
def get_shared_invoice(token, store):
    return _seen_by_recipient(store.invoices.view(token, now()), store)


def amend_shared_invoice(token, body, store, mailer):
    record = store.invoices.amend(token, body, now())
    mailer.kick()
    return _seen_by_recipient(record, store)


def comment_on_shared_invoice(token, body, store, mailer):
    comment = store.invoices.comment_shared(token, author(body.get("author_name")), comment_text(body["body"]), now())
    mailer.kick()
    return comment, 201


def request_invoice_changes(token, body, store, mailer):
    record = store.invoices.request_changes(token, comment_text(body["body"]), now())
    mailer.kick()
    return _seen_by_recipient(record, store)


def approve_shared_invoice(token, store, mailer, body=None):
    record = store.invoices.approve(token, now(), revision=(body or {}).get("revision"))
    mailer.kick()
    return _seen_by_recipient(record, store)


@blocking  # it only reads, but drawing takes ~100 ms: keep it off the event loop
def get_shared_invoice_pdf(token, store):
    # Downloading is not viewing: the sender may fetch the PDF to attach it somewhere.
    shown = _seen_by_recipient(store.invoices.shared(token), store)
    headers = {"Content-Type": "application/pdf", "Content-Disposition": f'attachment; filename="{shown["number"]}.pdf"'}
    return invoice_pdf(shown), 200, headers
