"""The sender's dashboard: invoices, customers and what recipients did, from the
same handlers the JSON API runs."""

from urllib.parse import urlencode

from starlette.routing import Route

import handlers
from web.pages import Visit, page, render

PER_PAGE = 20
RECENT_ACTIVITY = 20


def _next_page(query, name: str, cursor: str | None) -> str | None:
    """This page with one list moved on to `cursor`, the other list left where it is."""
    if cursor is None:
        return None
    return "?" + urlencode({**{key: query[key] for key in ("invoices", "customers") if query.get(key)}, name: cursor})


def routes(dependencies: dict) -> list[Route]:
    services = dependencies["services"]
    list_invoices = handlers.bound("list_invoices", dependencies)
    list_customers = handlers.bound("list_customers", dependencies)

    @page(dependencies, signed_in=True)
    def dashboard(visit: Visit):
        account_id, query = visit.account_id, visit.request.query_params
        invoices = list_invoices(user=account_id, limit=PER_PAGE, cursor=query.get("invoices") or None)
        customers = list_customers(user=account_id, limit=PER_PAGE, cursor=query.get("customers") or None)
        return render(visit, "dashboard.html", {
            "invoices": invoices,
            "customers": customers,
            "older_invoices": _next_page(query, "invoices", invoices["next_cursor"]),
            "more_customers": _next_page(query, "customers", customers["next_cursor"]),
            "activity": services.activity.by_recipients(account_id, RECENT_ACTIVITY),
            "receivables": services.invoices.receivables(account_id),
            "saved": query.get("saved"),
        })

    return [Route("/dashboard", dashboard, methods=["GET"])]
