"""The app: the spec, the two doors, the pages, wired around one `Services`."""

import contextlib
import copy
import os

import connexion
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.resolver import Resolver
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

import web
from app import attachments, auth, connexion31, dispatch, errors, spec
from app.limits import BodyLimit, InFlightLimit
from app.mailer import Mailer
from app.requestlog import RequestLog, log_to_stderr
from app.scheduler import DEFAULT_INTERVAL_SECONDS, Scheduler
from app.threads import run_blocking
from delivery.webhooks import DEFAULT_RETRY_BASE_SECONDS, SENDERS, WebhookSender
from handlers import _views
from mcp_tools import catalog
from mcp_tools.dispatch import Dispatcher
from mcp_tools.http import McpEndpoint, account_of_request
from mcp_tools.server import build_server
from storage import migrations
from workflow import Services
from workflow.clock import Clock


def _read_only_hints() -> dict:
    """operationId → its success response schema (explains read-only fields)."""
    return {op["operationId"]: spec.success_schema(op) for _, _, op in spec.operations(spec.resolved())}


def _ready(services: Services) -> bool:
    try:
        return migrations.is_current(services.db)
    except Exception:  # noqa: BLE001 - a database that does not answer is simply not ready
        return False


def health_routes(services: Services) -> list[Route]:
    """/healthz: the process serves. /readyz: and its database answers with the
    schema this code expects, so a load balancer may send it traffic."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if await run_blocking(_ready, services):
            return JSONResponse({"status": "ready"})
        body = {"error": "The database does not answer, or its schema is not the one this server expects "
                         "(run `jupiter-invoice migrate`).", "field": None}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    return [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"])]


class Under(BaseRoute):
    """Every path under `prefix` goes to `app` as it came, without being tried against
    each route before it: the API's requests are the many, and connexion routes them."""

    def __init__(self, prefix: str, app: ASGIApp):
        self.prefix, self.app = prefix, app

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope["path"].removeprefix(scope.get("root_path", ""))  # as the router sees it
        if scope["type"] == "http" and path.startswith(self.prefix):
            return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(db_url: str, public_url: str, *, check_responses: bool = False,
               rate_limit: float | None = None, smtp_url: str | None = None,
               services: Services | None = None, scheduler_interval: float = DEFAULT_INTERVAL_SECONDS,
               allow_private_webhooks: bool = False, webhook_retry_base: float = DEFAULT_RETRY_BASE_SECONDS,
               webhook_senders: int = SENDERS) -> Starlette:
    """`db_url`: a SQLite path or a PostgreSQL URL. `rate_limit`: requests a second
    allowed per API key across the whole service (None: no limit). `smtp_url`: where
    notifications go (None: they stay in the outbox). `scheduler_interval`: seconds
    between the scheduler's rounds of reminders (0: no scheduler in this process).
    `allow_private_webhooks`: let webhook endpoints be on private and loopback
    addresses; `webhook_retry_base`: the seconds before a failed webhook delivery's
    first retry (doubling after); `webhook_senders`: this process's threads sending
    them (0: it records them only, and other servers send them)."""
    clock = Clock()
    services = services or Services.open(
        db_url, rate_limit=rate_limit, clock=clock, allow_private_webhooks=allow_private_webhooks,
        # Events carry the invoice as get_invoice shows it, `overdue` judged by the same clock.
        present_invoice=lambda record: _views.invoice(record, public_url.rstrip("/"), clock.now().date()),
        present_credit_note=_views.credit_note,
    )
    mailer = Mailer(services.outbox, smtp_url, services.clock, attachments=attachments.drawer(services))
    webhooks = WebhookSender(services.db, allow_private=allow_private_webhooks, retry_base=webhook_retry_base,
                             senders=webhook_senders)
    dependencies = {"services": services, "public_url": public_url.rstrip("/"), "mailer": mailer}
    scheduler = Scheduler(services.reminders, public_url, mailer, scheduler_interval)

    # Connexion's bundled Swagger UI cannot render OpenAPI 3.1; a mounted app's lifespan
    # never runs; and responses are checked only when asked (in tests).
    unused = {SwaggerUIMiddleware, LifespanMiddleware, *([] if check_responses else [ResponseValidationMiddleware])}
    middlewares = [m for m in ConnexionMiddleware.default_middlewares if m not in unused]
    api = connexion.AsyncApp(__name__, middlewares=middlewares)
    api.add_api(
        copy.deepcopy(spec.load()),
        resolver=Resolver(function_resolver=lambda operation_id: dispatch.endpoint(operation_id, dependencies)),
        strict_validation=True,
        validate_responses=check_responses,
        validator_map=connexion31.validator_map(_read_only_hints().get),
        security_map={"bearer": auth.bearer_security(services)},
    )
    for exception in errors.HANDLED:
        api.add_error_handler(exception, errors.connexion_handler)

    mcp_tools = Dispatcher(catalog.load(), dependencies)
    mcp = McpEndpoint(build_server(mcp_tools, account_of_request), services)

    spec_json = spec.as_json()

    async def serve_spec(request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # Mounted apps' lifespans never run, so the MCP transport runs in the app's own;
        # the mailer delivers what an earlier run left in the outbox, and stops with us;
        # so does the scheduler, which queues the reminders that come due.
        mailer.start()
        scheduler.start()
        webhooks.start()
        try:
            async with mcp.running():
                yield
        finally:
            await run_blocking(scheduler.stop)
            await run_blocking(mailer.stop)
            await run_blocking(webhooks.stop)

    app = Starlette(
        routes=[
            Under(spec.base_path() + "/", api),
            Route("/api/openapi.json", serve_spec),
            Route("/.well-known/openapi.json", serve_spec),
            *health_routes(services),
            # A Route, not a Mount: a Mount would answer /mcp with a redirect to /mcp/.
            Route("/mcp", mcp),
            *web.routes(dependencies),
            Mount("", app=api),
        ],
        middleware=[Middleware(RequestLog), Middleware(InFlightLimit), Middleware(BodyLimit)],
        exception_handlers={exception: errors.starlette_handler for exception in errors.HANDLED},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.mcp_tools = mcp_tools
    app.state.mailer = mailer
    app.state.scheduler = scheduler
    app.state.webhooks = webhooks
    return app


def app_from_environment() -> Starlette:
    """For `uvicorn --factory` worker processes, configured by `jupiter-invoice serve`."""
    rate = float(os.environ.get("JUPITER_RATE_LIMIT_TOTAL", "0"))
    if os.environ.get("JUPITER_ACCESS_LOG") == "1":
        log_to_stderr()
    interval = float(os.environ.get("JUPITER_SCHEDULER_INTERVAL", DEFAULT_INTERVAL_SECONDS))
    return create_app(os.environ["JUPITER_DB"], os.environ["JUPITER_PUBLIC_URL"], rate_limit=rate or None,
                      smtp_url=os.environ.get("JUPITER_SMTP_URL"), scheduler_interval=interval,
                      allow_private_webhooks=os.environ.get("JUPITER_ALLOW_PRIVATE_WEBHOOKS") == "1",
                      webhook_retry_base=float(os.environ.get("JUPITER_WEBHOOK_RETRY_BASE",
                                                              DEFAULT_RETRY_BASE_SECONDS)))
