"""Customer operations, named by their operationIds."""

from billing.customers import normal_customer
from handlers import _views, sql_only

__all__ = ["create_customer", "list_customers", "get_customer", "update_customer"]


@sql_only
def create_customer(body, user, services):
    customer = services.customers.create(user, normal_customer(body))
    return customer, 201, {"Location": f"/api/v1/customers/{customer['id']}"}


def list_customers(user, services, limit=20, cursor=None):
    return _views.page(services.customers.page(user, limit, cursor), lambda customer: customer)


def get_customer(id, user, services):  # noqa: A002 - the spec names the path parameter `id`
    return services.customers.get(user, id)


@sql_only
def update_customer(id, body, user, services):  # noqa: A002
    return services.customers.update(user, id, body)
