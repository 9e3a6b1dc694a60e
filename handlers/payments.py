"""Payments received against an invoice. Each function is the operationId of the
same name in openapi.yaml and the MCP tool of that name."""

from handlers import _views

__all__ = ["record_payment", "list_payments"]


def record_payment(number, body, user, services):
    return services.invoices.pay(user, number.upper(), body), 201


def list_payments(number, user, services, limit=20, cursor=None):
    result = services.invoices.payments(user, number.upper(), limit, cursor)
    return _views.page(result, lambda payment: payment)
