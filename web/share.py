"""The share page, /i/<token>: the invoice for its recipient, no sign-in.

Every action is a plain HTML form (no JavaScript needed) that posts to
/i/<token>/<action>, runs the same handler as the share API after the same
schema check, and answers 303 back to the page with a notice; an error is shown
on the page. The token in the URL is the only credential and the page sets no
cookie, so another site cannot forge these posts without knowing the token."""

import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import dispatch, spec, validation
from app.threads import run_blocking
from billing.errors import DomainError, NotFound
from documents import epc
from handlers.share import glance_at_shared_invoice
from web import templates
from web.pages import SECURITY_HEADERS, SESSION_COOKIE

# The sender pages' protections (nothing from elsewhere, no framing), and share
# links kept out of search engines, referrers and shared caches.
PRIVATE = {**SECURITY_HEADERS, "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}
ADDRESS_FIELDS = ("line1", "line2", "line3", "city", "state", "postal_code", "country")
NOTICES = {
    "amend": "Saved. The sender has been told what you changed.",
    "comment": "Your comment has been sent to the sender.",
    "request-changes": "The sender has been asked for changes.",
    "approve": "You approved this invoice. Thank you!",
}


def _field(form: Mapping, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""  # a file where text belongs counts as nothing


def _text(form: Mapping, name: str) -> str | None:
    """A form field as the API takes it: outer spaces trimmed, empty meaning null."""
    return _field(form, name).strip() or None


def _group(form: Mapping, prefix: str, names) -> dict | None:
    group = {name: _text(form, f"{prefix}_{name}") for name in names}
    return group if any(group.values()) else None


def _amendment(form: Mapping) -> dict:
    """Only the fields the submitted form holds, so each form changes only its own."""
    body: dict[str, Any] = {}
    recipient: dict[str, Any] = {}
    if "po_number" in form:
        body["po_number"] = _text(form, "po_number")
    for name in ("billing_entity", "tax_id"):
        if name in form:
            recipient[name] = _text(form, name)
    if any(f"address_{name}" in form for name in ADDRESS_FIELDS):
        recipient["address"] = _group(form, "address", ADDRESS_FIELDS)
    if "ap_contact_name" in form or "ap_contact_email" in form:
        recipient["ap_contact"] = _group(form, "ap_contact", ("name", "email"))
    if recipient:
        body["recipient"] = recipient
    return body


def _counted(form: Mapping, name: str) -> dict:
    text = _text(form, name)
    number = text and text.isascii() and text.isdigit() and len(text) < 20  # "²" is a digit too
    return {name: int(text) if number else text} if text else {}  # text: a 400 from the schema


def _approval(form: Mapping) -> dict:
    """What the recipient reviewed: the page's revision and version, so that they approve
    exactly the content they were shown."""
    return {**_counted(form, "revision"), **_counted(form, "version")}


# Chat and mail unfurlers, crawlers and link checkers fetch a link before (or
# instead of) a person: they do not make an invoice `viewed`.
LINK_PREVIEWERS = re.compile(
    r"slackbot|slack-imgproxy|facebookexternalhit|facebot|twitterbot|linkedinbot|discordbot|whatsapp|telegrambot"
    r"|googlebot|google-inspectiontool|bingbot|bingpreview|applebot|skypeuripreview|microsoft office|outlook"
    r"|ms-office|microsoftpreview|embedly|pinterest|redditbot|mastodon|iframely|preview|crawler|spider|\bbot\b",
    re.IGNORECASE,
)


def _unfurled(request: Request) -> bool:
    """A HEAD, or a GET from a link-preview fetcher: nobody is reading the invoice."""
    return request.method == "HEAD" or bool(LINK_PREVIEWERS.search(request.headers.get("user-agent", "")))


# action in the URL → (operationId, form → JSON body)
ACTIONS = {
    "amend": ("amend_shared_invoice", _amendment),
    "comment": ("comment_on_shared_invoice",
                lambda form: {"body": _field(form, "body"), "author_name": _text(form, "author_name")}),
    "request-changes": ("request_invoice_changes", lambda form: {"body": _field(form, "body")}),
    "approve": ("approve_shared_invoice", _approval),
}


def routes(dependencies: dict) -> list[Route]:
    services = dependencies["services"]
    view = dispatch.endpoint("get_shared_invoice", dependencies)
    act = {name: (operation, dispatch.endpoint(operation, dependencies), to_body)
           for name, (operation, to_body) in ACTIONS.items()}

    def page(request: Request, invoice: dict, *, status: int = 200, notice=None, error=None, form=None) -> Response:
        context = {"invoice": invoice, "token": request.path_params["token"], "notice": notice, "error": error,
                   "form": form or {}, "pay_qr": epc.svg_data_uri(invoice)}
        return templates.TemplateResponse(request, "share.html", context, status_code=status, headers=PRIVATE)

    def missing(request: Request) -> Response:
        return templates.TemplateResponse(request, "share_missing.html", {}, status_code=404, headers=PRIVATE)

    def by_its_sender(session: str, token: str) -> bool:
        """The sender following their own link from the dashboard is not its recipient."""
        account = services.sessions.account(session, services.clock.now())
        return account is not None and account["id"] == services.accounts.live_id(
            services.invoices.shared(token)["account_id"])

    async def show(request: Request) -> Response:
        token = request.path_params["token"]
        session = request.cookies.get(SESSION_COOKIE)  # a recipient has none: no lookup, no thread
        try:
            if _unfurled(request) or (session and await run_blocking(by_its_sender, session, token)):
                invoice = await run_blocking(glance_at_shared_invoice, token, services)
            else:
                invoice = await view(token=token)
        except NotFound:
            return missing(request)
        return page(request, invoice, notice=NOTICES.get(request.query_params.get("done", "")))

    async def refused(request: Request, token: str, error: DomainError, typed: dict) -> Response:
        """The page again with what to fix, or the missing page: a form checked before its
        token was looked up may name no invoice at all."""
        try:
            invoice = await view(token=token)
        except NotFound:
            return missing(request)
        return page(request, invoice, status=error.status, error=error.message, form=typed)

    async def submit(request: Request) -> Response:
        token, action = request.path_params["token"], request.path_params["action"]
        if action not in act:
            return missing(request)
        operation, handler, to_body = act[action]
        async with request.form() as form:  # closes any uploaded file, which no form here takes
            typed = {name: _field(form, name) for name in form}
        try:
            body = to_body(typed)
            validation.check(spec.request_schema(operation), body)
            await handler(token=token, body=body)
        except NotFound:
            return missing(request)
        except DomainError as error:
            return await refused(request, token, error, typed)
        return RedirectResponse(f"/i/{token}?done={action}", status_code=303, headers=PRIVATE)

    return [
        Route("/i/{token}", show, methods=["GET"]),
        Route("/i/{token}/{action}", submit, methods=["POST"]),
    ]
