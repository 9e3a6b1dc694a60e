"""The sender's dashboard: invoices, customers and what recipients did, from the
same handlers the JSON API runs."""

from urllib.parse import urlencode

from starlette.routing import Route

import handlers
from web.pages import Visit, page, render

PER_PAGE = 20
RECENT_ACTIVITY = 20
KEPT_MAIL = 20
NOTHING: dict = {"data": [], "next_cursor": None}


def _next_page(query, name: str, cursor: str | None) -> str | None:
    """This page with one list moved on to `cursor`, the rest of the query left as it is."""
    if cursor is None:
        return None
    kept = {key: query[key] for key in ("mode", "invoices", "customers") if query.get(key)}
    return "?" + urlencode({**kept, name: cursor})


def routes(dependencies: dict) -> list[Route]:
    services = dependencies["services"]
    list_invoices = handlers.bound("list_invoices", dependencies)
    list_customers = handlers.bound("list_customers", dependencies)

    @page(dependencies, signed_in=True)
    def dashboard(visit: Visit):
        """The live data, or with ?mode=test what test keys made (nothing before the first one)."""
        query = visit.request.query_params
        test = query.get("mode") == "test"
        account_id = services.accounts.test_account(visit.account_id) if test else visit.account_id
        if account_id is None:
            return render(visit, "dashboard.html", {"test": True, "invoices": NOTHING, "customers": NOTHING})
        invoices = list_invoices(user=account_id, limit=PER_PAGE, cursor=query.get("invoices") or None)
        customers = list_customers(user=account_id, limit=PER_PAGE, cursor=query.get("customers") or None)
        return render(visit, "dashboard.html", {
            "test": test,
            "invoices": invoices,
            "customers": customers,
            "older_invoices": _next_page(query, "invoices", invoices["next_cursor"]),
            "more_customers": _next_page(query, "customers", customers["next_cursor"]),
            "activity": services.activity.by_recipients(account_id, RECENT_ACTIVITY),
            "receivables": services.invoices.receivables(account_id),
            "kept_mail": services.outbox.kept(account_id, KEPT_MAIL) if test else [],
            "saved": query.get("saved"),
        })

    return [Route("/dashboard", dashboard, methods=["GET"])]
