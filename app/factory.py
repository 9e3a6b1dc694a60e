"""The app: the spec, the two doors, the pages, wired around one Store."""

import copy
import os

import connexion
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.resolver import Resolver
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

import web
from app import auth, connexion31, dispatch, errors, spec
from app.limits import BodyLimit
from app.mailer import Mailer
from app.ratelimit import RateLimiter
from mcp_tools import catalog
from mcp_tools.dispatch import Dispatcher
from mcp_tools.http import McpEndpoint, account_of_request
from mcp_tools.server import build_server
from storage import Store

# A share link's actions: a recipient acts a few times; a script spamming
# comments (each one an email to the sender) does not get far.
SHARE_ACTIONS_BURST = 20
SHARE_ACTIONS_PER_SECOND = 0.1


def _read_only_hints() -> dict:
    """operationId → its success response schema (explains read-only fields)."""
    return {op["operationId"]: spec.success_schema(op) for _, _, op in spec.operations(spec.resolved())}


def create_app(db_path: str, public_url: str, *, check_responses: bool = False,
               rate_limit: float | None = None, smtp_url: str | None = None) -> Starlette:
    """`rate_limit`: requests a second allowed per API key in this process (None: no limit).
    `smtp_url`: where notifications to senders go (None: they stay in the outbox)."""
    store = Store(db_path)
    limiter = RateLimiter(rate_limit) if rate_limit else None
    mailer = Mailer(store.outbox, smtp_url)
    mailer.kick()  # deliver what an earlier run left in the outbox
    dependencies = {"store": store, "public_url": public_url.rstrip("/"), "mailer": mailer}
    if rate_limit:
        dependencies["share_limiter"] = RateLimiter(SHARE_ACTIONS_PER_SECOND, SHARE_ACTIONS_BURST, per="share link")

    # Connexion's bundled Swagger UI cannot render OpenAPI 3.1: leave it out.
    middlewares = [m for m in ConnexionMiddleware.default_middlewares if m is not SwaggerUIMiddleware]
    api = connexion.AsyncApp(__name__, middlewares=middlewares)
    api.add_api(
        copy.deepcopy(spec.load()),
        resolver=Resolver(function_resolver=lambda operation_id: dispatch.endpoint(operation_id, dependencies)),
        strict_validation=True,
        validate_responses=check_responses,
        validator_map=connexion31.validator_map(_read_only_hints().get),
        security_map={"bearer": auth.bearer_security(store, limiter)},
    )
    for exception in errors.HANDLED:
        api.add_error_handler(exception, errors.connexion_handler)

    mcp_tools = Dispatcher(catalog.load(), dependencies)
    mcp = McpEndpoint(build_server(mcp_tools, account_of_request), store, limiter)

    spec_json = spec.as_json()

    async def serve_spec(request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    app = Starlette(
        routes=[
            Route("/api/openapi.json", serve_spec),
            Route("/.well-known/openapi.json", serve_spec),
            # A Route, not a Mount: a Mount would answer /mcp with a redirect to /mcp/.
            Route("/mcp", mcp),
            *web.routes(dependencies),
            Mount("", app=api),
        ],
        middleware=[Middleware(BodyLimit)],
        exception_handlers={exception: errors.starlette_handler for exception in errors.HANDLED},
        # Mounted apps' lifespans never run, so the MCP transport runs in the app's own.
        lifespan=lambda app: mcp.running(),
    )
    app.state.store = store
    app.state.mcp_tools = mcp_tools
    app.state.limiter = limiter
    app.state.mailer = mailer
    return app


def app_from_environment() -> Starlette:
    """For `uvicorn --factory` worker processes, configured by `jupiter-invoice serve`."""
    rate = float(os.environ.get("JUPITER_WORKER_RATE_LIMIT", "0"))
    return create_app(os.environ["JUPITER_DB"], os.environ["JUPITER_PUBLIC_URL"], rate_limit=rate or None,
                      smtp_url=os.environ.get("JUPITER_SMTP_URL"))
