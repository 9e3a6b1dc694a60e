"""The sender's own account and seller profile, named by their operationIds."""

from handlers import _views

__all__ = ["get_account", "update_account"]


def get_account(user, services):
    return _views.account(services.profiles.get(user))


def update_account(body, user, services):
    return _views.account(services.profiles.update(user, body))
