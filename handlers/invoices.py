"""Invoice operations. Each function is the operationId of the same name in
openapi.yaml and the MCP tool of that name."""

from billing.comments import comment_text
from billing.invoices import draft
from handlers import _views, sql_only

__all__ = [
    "create_invoice", "preview_invoice", "list_invoices", "get_invoice", "update_invoice", "delete_invoice",
    "send_invoice", "void_invoice", "mark_invoice_paid",
    "list_invoice_versions", "revert_invoice_version", "list_invoice_comments", "create_invoice_comment",
    "remind_invoice",
]


def _shown(record, public_url, services):
    """The invoice's JSON, `overdue` judged by the services' clock."""
    return _views.invoice(record, public_url, services.invoices.today())


@sql_only
def create_invoice(body, user, services, public_url):
    content = draft(body, today=services.clock.now().date())
    record = services.invoices.create(user, content, customer_id=body.get("customer_id"))
    return _shown(record, public_url, services), 201, {"Location": f"/api/v1/invoices/{record['number']}"}


@sql_only
def preview_invoice(body, user, services, public_url):
    content = draft(body, today=services.clock.now().date())
    return _shown(services.invoices.preview(user, content, customer_id=body.get("customer_id")), public_url, services)


def list_invoices(user, services, public_url, limit=20, cursor=None, status=None, customer_id=None, overdue=None):
    result = services.invoices.page(user, limit, cursor, status_is=status, customer_id=customer_id, overdue=overdue)
    today = services.invoices.today()  # one page, one day: the clock is read once
    return _views.page(result, lambda record: _views.invoice(record, public_url, today))


def get_invoice(number, user, services, public_url):
    return _shown(services.invoices.get(user, number.upper()), public_url, services)


@sql_only
def update_invoice(number, body, user, services, public_url):
    return _shown(services.invoices.update(user, number.upper(), body), public_url, services)


def delete_invoice(number, user, services):
    services.invoices.delete(user, number.upper())
    return None, 204


def _act(action, number, user, services, public_url):
    return _shown(services.invoices.act(user, number.upper(), action), public_url, services)


def send_invoice(number, user, services, public_url, mailer, body=None):
    body = body or {}
    message = comment_text(body["message"], "message") if body.get("message") is not None else None
    record = services.invoices.send(user, number.upper(), public_url, to=body.get("to"), message=message)
    mailer.kick()
    return _shown(record, public_url, services)


def remind_invoice(number, user, services, public_url, mailer, body=None):
    body = body or {}
    message = comment_text(body["message"], "message") if body.get("message") is not None else None
    reminder = services.invoices.remind(user, number.upper(), public_url, to=body.get("to"), message=message)
    mailer.kick()
    return reminder


def void_invoice(number, user, services, public_url):
    return _act("void", number, user, services, public_url)


def mark_invoice_paid(number, user, services, public_url):
    return _act("mark_paid", number, user, services, public_url)


def list_invoice_versions(number, user, services, limit=20, cursor=None):
    return _views.page(services.invoices.versions(user, number.upper(), limit, cursor), lambda version: version)


def revert_invoice_version(number, version, user, services, public_url):
    return _shown(services.invoices.revert(user, number.upper(), version), public_url, services)


def list_invoice_comments(number, user, services, limit=20, cursor=None):
    return _views.page(services.invoices.comments(user, number.upper(), limit, cursor), lambda comment: comment)


def create_invoice_comment(number, body, user, services, public_url, mailer):
    comment = services.invoices.comment(user, number.upper(), comment_text(body["body"]), public_url)
    mailer.kick()
    return comment, 201
