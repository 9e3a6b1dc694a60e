"""The Integrations page: mint a named API key (shown once), list keys, revoke them;
add webhook endpoints (their secret shown once), remove them, see recent deliveries."""

import json

from starlette.routing import Route

from app import spec, validation
from billing.errors import DomainError
from billing.webhooks import ALL, EVENT_TYPES
from web.pages import Visit, page, redirect, render

MAX_KEY_NAME_LENGTH = 100
KEY_PLACEHOLDER = "jk_live_…"


def mcp_config(public_url: str, key: str) -> str:
    """The MCP client configuration, as the API page gives it, for this server and key."""
    config = {"mcpServers": {"jupiterinvoice": {
        "type": "http", "url": f"{public_url}/mcp", "headers": {"Authorization": f"Bearer {key}"},
    }}}
    return json.dumps(config, indent=2, ensure_ascii=False)


def curl_example(public_url: str, key: str) -> str:
    return f'curl {public_url}/api/v1/invoices \\\n  -H "Authorization: Bearer {key}"'


def routes(dependencies: dict) -> list[Route]:
    services, public_url = dependencies["services"], dependencies["public_url"]

    def _page(visit: Visit, *, status: int = 200, fresh_key: str | None = None, fresh_name: str = "",
              notice: str | None = None, error: str | None = None, key_name: str = "", key_mode: str = "live",
              **webhooks):
        key = fresh_key or KEY_PLACEHOLDER
        return render(visit, "integrations.html", {
            **_webhooks_context(services, visit.account["id"], **webhooks),
            "keys": services.accounts.list_keys(visit.account["id"]),
            "fresh_key": fresh_key,
            "fresh_name": fresh_name,
            "mcp_config": mcp_config(public_url, key),
            "curl": curl_example(public_url, key),
            "public_url": public_url,
            "notice": notice,
            "error": error,
            "key_name": key_name,
            "key_mode": key_mode,
        }, status=status)

    @page(dependencies, signed_in=True)
    def integrations(visit: Visit):
        revoked = visit.request.query_params.get("revoked")
        names = {str(key["id"]): key["name"] for key in services.accounts.list_keys(visit.account["id"])}
        notice = f"The key “{names[revoked]}” is revoked: requests made with it are refused from now on." \
            if revoked in names else None
        if visit.request.query_params.get("removed_webhook"):
            notice = "The webhook endpoint is removed: nothing more is sent to it."
        return _page(visit, notice=notice)

    @page(dependencies, signed_in=True)
    def mint_key(visit: Visit):
        name, mode = visit.field("name"), visit.field("mode") or "live"
        live = {key["name"] for key in services.accounts.list_keys(visit.account["id"]) if key["revoked_at"] is None}
        if mode not in ("live", "test"):
            error = "Choose the key's mode: live or test."
        elif not name or len(name) > MAX_KEY_NAME_LENGTH:
            error = (f"Name the key (up to {MAX_KEY_NAME_LENGTH} characters) after where it will be used, "
                     "like “billing script”.")
        elif name in live:
            # Also what a reloaded form meets: the key it minted is never shown twice.
            error = f"You already have a key named “{name}”. Its secret is shown only when it is minted; " \
                "revoke it and mint a new one if you no longer have it."
        else:
            secret, _ = services.accounts.create_key(visit.account["id"], name, services.clock.now(),
                                                     test=mode == "test")
            return _page(visit, status=201, fresh_key=secret, fresh_name=name)
        return _page(visit, status=400, error=error, key_name=name, key_mode=mode)

    @page(dependencies, signed_in=True)
    def revoke_key(visit: Visit):
        key_id = visit.request.path_params["key_id"]
        services.accounts.revoke_key(visit.account["id"], key_id, services.clock.now())
        return redirect(f"/integrations?revoked={key_id}")

    @page(dependencies, signed_in=True)
    def add_webhook(visit: Visit):
        chosen = [value for value in visit.form.getlist("events") if isinstance(value, str)]
        body = {"url": visit.field("url"), "events": [ALL] if ALL in chosen or not chosen else chosen}
        if visit.field("description"):
            body["description"] = visit.field("description")
        try:
            validation.check(spec.request_schema("create_webhook_endpoint"), body)
            created = services.webhooks.create(visit.account["id"], body)
        except DomainError as refused:
            return _page(visit, status=400 if refused.status == 400 else 422, webhook_error=refused.message,
                         webhook_form=body)
        return _page(visit, status=201, fresh_endpoint=created)

    @page(dependencies, signed_in=True)
    def remove_webhook(visit: Visit):
        endpoint_id = visit.request.path_params["endpoint_id"]
        services.webhooks.delete(visit.account["id"], endpoint_id)
        return redirect("/integrations?removed_webhook=1#webhooks")

    return [
        Route("/integrations", integrations, methods=["GET"]),
        Route("/integrations/keys", mint_key, methods=["POST"]),
        Route("/integrations/keys/{key_id:int}/revoke", revoke_key, methods=["POST"]),
        Route("/integrations/webhooks", add_webhook, methods=["POST"]),
        Route("/integrations/webhooks/{endpoint_id:int}/remove", remove_webhook, methods=["POST"]),
    ]


RECENT_DELIVERIES = 10


def _webhooks_context(services, account_id: int, *, fresh_endpoint: dict | None = None,
                      webhook_error: str | None = None, webhook_form: dict | None = None) -> dict:
    """The page's webhooks section: the endpoints, the latest deliveries, the add form."""
    return {
        "endpoints": services.webhooks.page(account_id, 100, None).rows,
        "deliveries": services.webhooks.recent_deliveries(account_id, RECENT_DELIVERIES),
        "event_types": EVENT_TYPES,
        "fresh_endpoint": fresh_endpoint,
        "webhook_error": webhook_error,
        "webhook_form": webhook_form or {"url": "", "events": [ALL], "description": ""},
    }
