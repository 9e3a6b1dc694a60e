"""Webhook endpoints, their deliveries, and the events they carry, named by their operationIds."""

from billing.webhooks import shown
from handlers import _views

__all__ = [
    "create_webhook_endpoint", "list_webhook_endpoints", "get_webhook_endpoint", "update_webhook_endpoint",
    "delete_webhook_endpoint", "list_webhook_deliveries", "list_events", "get_event",
]


def create_webhook_endpoint(body, user, services):
    endpoint = services.webhooks.create(user, body)
    return _views.webhook_endpoint(endpoint), 201, {"Location": f"/api/v1/webhook-endpoints/{endpoint['id']}"}


def list_webhook_endpoints(user, services, limit=20, cursor=None):
    return _views.page(services.webhooks.page(user, limit, cursor), _views.webhook_endpoint)


def get_webhook_endpoint(id, user, services):  # noqa: A002 - the spec names the path parameter `id`
    return _views.webhook_endpoint(services.webhooks.get(user, id))


def update_webhook_endpoint(id, body, user, services):  # noqa: A002
    return _views.webhook_endpoint(services.webhooks.update(user, id, body))


def delete_webhook_endpoint(id, user, services):  # noqa: A002
    services.webhooks.delete(user, id)
    return None, 204


def list_webhook_deliveries(id, user, services, limit=20, cursor=None):  # noqa: A002
    return _views.page(services.webhooks.deliveries(user, id, limit, cursor), _views.webhook_delivery)


def list_events(user, services, limit=20, cursor=None, type=None):  # noqa: A002 - the spec's query parameter
    return _views.page(services.events.page(user, limit, cursor, type_=type), shown)


def get_event(id, user, services):  # noqa: A002
    return shown(services.events.get(user, id))
