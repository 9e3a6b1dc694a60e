"""The Integrations page: mint a named API key (shown once), list keys, revoke them."""

import json

from starlette.routing import Route

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
              notice: str | None = None, error: str | None = None, key_name: str = ""):
        key = fresh_key or KEY_PLACEHOLDER
        return render(visit, "integrations.html", {
            "keys": services.accounts.list_keys(visit.account["id"]),
            "fresh_key": fresh_key,
            "fresh_name": fresh_name,
            "mcp_config": mcp_config(public_url, key),
            "curl": curl_example(public_url, key),
            "public_url": public_url,
            "notice": notice,
            "error": error,
            "key_name": key_name,
        }, status=status)

    @page(dependencies, signed_in=True)
    def integrations(visit: Visit):
        revoked = visit.request.query_params.get("revoked")
        names = {str(key["id"]): key["name"] for key in services.accounts.list_keys(visit.account["id"])}
        notice = f"The key “{names[revoked]}” is revoked: requests made with it are refused from now on." \
            if revoked in names else None
        return _page(visit, notice=notice)

    @page(dependencies, signed_in=True)
    def mint_key(visit: Visit):
        name = visit.field("name")
        live = {key["name"] for key in services.accounts.list_keys(visit.account["id"]) if key["revoked_at"] is None}
        if not name or len(name) > MAX_KEY_NAME_LENGTH:
            error = (f"Name the key (up to {MAX_KEY_NAME_LENGTH} characters) after where it will be used, "
                     "like “billing script”.")
        elif name in live:
            # Also what a reloaded form meets: the key it minted is never shown twice.
            error = f"You already have a key named “{name}”. Its secret is shown only when it is minted; " \
                "revoke it and mint a new one if you no longer have it."
        else:
            secret, _ = services.accounts.create_key(visit.account["id"], name, services.clock.now())
            return _page(visit, status=201, fresh_key=secret, fresh_name=name)
        return _page(visit, status=400, error=error, key_name=name)

    @page(dependencies, signed_in=True)
    def revoke_key(visit: Visit):
        key_id = visit.request.path_params["key_id"]
        services.accounts.revoke_key(visit.account["id"], key_id, services.clock.now())
        return redirect(f"/integrations?revoked={key_id}")

    return [
        Route("/integrations", integrations, methods=["GET"]),
        Route("/integrations/keys", mint_key, methods=["POST"]),
        Route("/integrations/keys/{key_id:int}/revoke", revoke_key, methods=["POST"]),
    ]
