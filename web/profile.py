"""The Account page: the seller profile and the reminder schedule, edited with a
form that goes through the same schema check and handler as PATCH /api/v1/account."""

from starlette.routing import Route

import handlers
from app import spec, validation
from billing.accounts import ADDRESS_FIELDS
from billing.errors import DomainError
from web.pages import Visit, page, redirect, render

TEXT_FIELDS = ("display_name", "legal_name", "contact_email", "tax_id", "company_id", "default_currency")
PAYMENT_FIELDS = ("iban", "bic", "account_name")


def _days(text: str) -> list:
    """'1, 7, 14' → [1, 7, 14]; a word that is no number stays as it is, for the schema to name."""
    return [int(word) if word.isdigit() else word for word in text.replace(",", " ").split()]


def _group(visit: Visit, prefix: str, names) -> dict | None:
    group = {name: visit.field(f"{prefix}_{name}") or None for name in names}
    return group if any(group.values()) else None


def form_body(visit: Visit) -> dict:
    """The form as the PATCH body it stands for (an empty field clears its value)."""
    body: dict = {name: visit.field(name) or None for name in TEXT_FIELDS}
    body["address"] = _group(visit, "address", ADDRESS_FIELDS)
    body["payment"] = _group(visit, "payment", PAYMENT_FIELDS)
    terms = visit.field("default_payment_terms_days")
    body["default_payment_terms_days"] = int(terms) if terms.isdigit() else (terms or None)
    body["reminders"] = {"before_due_days": _days(visit.field("before_due_days")),
                         "after_due_days": _days(visit.field("after_due_days"))}
    return body


def routes(dependencies: dict) -> list[Route]:
    get_account = handlers.bound("get_account", dependencies)
    update_account = handlers.bound("update_account", dependencies)

    def _page(visit: Visit, account: dict, *, status: int = 200, error=None, saved: bool = False):
        return render(visit, "account.html", {"profile": account, "error": error, "saved": saved}, status=status)

    @page(dependencies, signed_in=True)
    def show(visit: Visit):
        return _page(visit, get_account(user=visit.account["id"]), saved=visit.request.query_params.get("saved") == "1")

    @page(dependencies, signed_in=True)
    def save(visit: Visit):
        body = form_body(visit)
        try:
            validation.check(spec.request_schema("update_account"), body)
            update_account(body=body, user=visit.account["id"])
        except DomainError as error:
            shown = {**get_account(user=visit.account["id"]), **{k: v for k, v in body.items() if k != "reminders"}}
            return _page(visit, shown, status=error.status, error=error)
        return redirect("/account?saved=1")

    return [Route("/account", show, methods=["GET"]), Route("/account", save, methods=["POST"])]
