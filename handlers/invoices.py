"""Invoice operations. Each function is the operationId of the same name in
openapi.yaml and the MCP tool of that name."""

from billing.comments import comment_text
from billing.invoices import draft
from handlers import _views
from handlers._clock import now

__all__ = [
    "create_invoice", "list_invoices", "get_invoice", "update_invoice",
    "send_invoice", "void_invoice", "mark_invoice_paid",
    "list_invoice_versions", "revert_invoice_version", "list_invoice_comments", "create_invoice_comment",
]


def create_invoice(body, user, store, public_url):
    moment = now()
    content = draft(body, today=moment.date())
    record = store.invoices.create(user, content, moment, customer_id=body.get("customer_id"))
    return _views.invoice(record, public_url), 201, {"Location": f"/api/v1/invoices/{record['number']}"}


def list_invoices(user, store, public_url, limit=20, cursor=None, status=None, customer_id=None):
    result = store.invoices.list(user, limit, cursor, status_is=status, customer_id=customer_id)
    return _views.page(result, lambda record: _views.invoice(record, public_url))


def get_invoice(number, user, store, public_url):
    return _views.invoice(store.invoices.get(user, number.upper()), public_url)


def update_invoice(number, body, user, store, public_url):
    return _views.invoice(store.invoices.update(user, number.upper(), body, now()), public_url)


def _act(action, number, user, store, public_url):
    return _views.invoice(store.invoices.act(user, number.upper(), action, now()), public_url)


def send_invoice(number, user, store, public_url):
    return _act("send", number, user, store, public_url)


def void_invoice(number, user, store, public_url):
    return _act("void", number, user, store, public_url)


def mark_invoice_paid(number, user, store, public_url):
    return _act("mark_paid", number, user, store, public_url)


def list_invoice_versions(number, user, store, limit=20, cursor=None):
    record = store.invoices.get(user, number.upper())
    return _views.page(store.invoices.versions(record["pk"], limit, cursor), lambda version: version)


def revert_invoice_version(number, version, user, store, public_url):
    return _views.invoice(store.invoices.revert(user, number.upper(), version, now()), public_url)


def list_invoice_comments(number, user, store, limit=20, cursor=None):
    record = store.invoices.get(user, number.upper())
    return _views.page(store.comments.page(record["pk"], limit, cursor), lambda comment: comment)


def create_invoice_comment(number, body, user, store):
    return store.invoices.comment(user, number.upper(), comment_text(body["body"]), now()), 201
