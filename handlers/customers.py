"""Customer operations, named by their operationIds."""

from billing.customers import normal_customer
from handlers import _views
from handlers._clock import now

__all__ = ["create_customer", "list_customers", "get_customer", "update_customer"]


def create_customer(body, user, store):
    customer = store.customers.create(user, normal_customer(body), now())
    return customer, 201, {"Location": f"/api/v1/customers/{customer['id']}"}


def list_customers(user, store, limit=20, cursor=None):
    return _views.page(store.customers.list(user, limit, cursor), lambda customer: customer)


def get_customer(id, user, store):  # noqa: A002 - the spec names the path parameter `id`
    return store.customers.get(user, id)


def update_customer(id, body, user, store):  # noqa: A002
    return store.customers.update(user, id, body, now())
