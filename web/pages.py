"""What every sender page shares: who is signed in, CSRF-checked forms, and
rendering with safe headers and HTML errors.

A browser session is a random token in an HttpOnly, SameSite=Lax cookie (Secure
when the public URL is https) whose hash is a row in the database, so signing
out or expiry ends it in every worker process. The JSON API and /mcp never read
this cookie: they authenticate by the Authorization header alone.

Every form carries a CSRF token derived from a cookie the page's own site set:
the session token when signed in, else a random per-browser cookie. Another
site can neither read those cookies nor compute the token."""

import functools
import hashlib
import hmac
import inspect
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app.threads import run_blocking
from billing.errors import DomainError
from web import templates

SESSION_COOKIE = "jupiter_session"
FORM_COOKIE = "jupiter_form"
SESSION_LIFETIME = timedelta(days=14)
AFTER_SIGN_IN = "/dashboard"

# Pages: nothing from elsewhere, no framing, and no copies kept by browsers or
# proxies (they show account data, and one of them shows a new key once).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
REFUSED_FORM = (
    "This form has expired or was sent from another site, so it was not accepted. "
    "Reload the page and try again."
)

log = logging.getLogger("jupiter.web")


@dataclass
class Visit:
    """One request to a page: who is signed in and what the form says."""

    request: Request
    account: dict | None
    session_token: str | None
    csrf: str
    secure: bool
    new_form_cookie: str | None = None
    form: FormData | None = None

    def field(self, name: str, *, strip: bool = True) -> str:
        """A text field of the form; "" when absent or not text."""
        value = self.form.get(name) if self.form else None
        if not isinstance(value, str):
            return ""
        return value.strip() if strip else value

    @property
    def account_id(self) -> int:
        """The signed-in account's id, on the pages that need one (signed_in=True)."""
        if self.account is None:
            raise RuntimeError("this page is for signed-in senders only")
        return self.account["id"]

    @property
    def address(self) -> str:
        return self.request.client.host if self.request.client else "unknown"


def _csrf_for(cookie_value: str) -> str:
    return hmac.new(cookie_value.encode(), b"jupiter form", hashlib.sha256).hexdigest()


def _visit(request: Request, services, secure: bool) -> Visit:
    token = request.cookies.get(SESSION_COOKIE)
    account = services.sessions.account(token, services.clock.now()) if token else None
    if account is not None:
        return Visit(request, account, token, _csrf_for(token), secure)
    form_cookie = request.cookies.get(FORM_COOKIE)
    if form_cookie:
        return Visit(request, None, None, _csrf_for(form_cookie), secure)
    new = secrets.token_urlsafe(32)
    return Visit(request, None, None, _csrf_for(new), secure, new_form_cookie=new)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and target.isprintable() \
            and "\\" not in target and " " not in target:
        return target
    return AFTER_SIGN_IN


def _to_sign_in(request: Request) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/signin?" + urlencode({"next": here}), status_code=303)


def render(visit: Visit, template: str, context: dict | None = None, *, status: int = 200,
           headers: dict | None = None) -> Response:
    response = templates.TemplateResponse(
        visit.request, template,
        {"account": visit.account, "csrf": visit.csrf, "sender_pages": True, **(context or {})},
        status_code=status, headers={**SECURITY_HEADERS, **(headers or {})},
    )
    if visit.new_form_cookie:
        response.set_cookie(FORM_COOKIE, visit.new_form_cookie, httponly=True, samesite="lax", secure=visit.secure)
    return response


def error_page(visit: Visit, status: int, message: str, headers: dict | None = None) -> Response:
    return render(visit, "error.html", {"status": status, "message": message}, status=status, headers=headers)


def redirect(location: str) -> Response:
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


def start_session(visit: Visit, services, account_id: int, location: str) -> Response:
    """Sign the browser in and send it on to `location`."""
    if visit.session_token:
        services.sessions.end(visit.session_token)  # one session per browser, never a leftover
    token = services.sessions.start(account_id, services.clock.now(), SESSION_LIFETIME)
    response = redirect(location)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True, samesite="lax", secure=visit.secure,
    )
    return response


def end_session(visit: Visit, services, location: str) -> Response:
    if visit.session_token:
        services.sessions.end(visit.session_token)
    response = redirect(location)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=visit.secure)
    return response


def page(dependencies: dict, *, signed_in: bool = False):
    """Turn `view(visit) -> Response` (plain, blocking code: it runs in a worker
    thread) into a page endpoint. With signed_in=True a signed-out visitor is sent
    to sign in and brought back afterwards. A POST is refused unless its form
    carries the right CSRF token. Domain errors become HTML error pages."""
    services = dependencies["services"]
    secure = dependencies["public_url"].startswith("https://")

    def decorate(view):
        @functools.wraps(view)
        async def endpoint(request: Request) -> Response:
            visit = await run_blocking(_visit, request, services, secure)
            if signed_in and visit.account is None:
                return _to_sign_in(request)
            if request.method == "POST":
                visit.form = await request.form()
                if not hmac.compare_digest(str(visit.form.get("csrf", "")), visit.csrf):
                    return error_page(visit, 403, REFUSED_FORM)
                if any("\x00" in value for value in visit.form.values() if isinstance(value, str)):
                    return error_page(visit, 400, "A field holds a NUL character, which text may not hold.")
            try:
                return await run_blocking(view, visit)
            except DomainError as exc:
                return error_page(visit, exc.status, exc.message)
            except Exception:
                log.exception("page %s %s failed", request.method, request.url.path)
                return error_page(visit, 500, "Something went wrong on our side. It has been logged; please retry.")

        return endpoint

    return decorate


def bind(dependencies: dict, view, *, signed_in: bool = False):
    """A module-level view `view(visit, <dependencies it names>)` as a page endpoint
    (see page), handed the dependencies its other parameters name: services, public_url, mailer."""
    named = list(inspect.signature(view).parameters)[1:]
    handed = functools.partial(view, **{name: dependencies[name] for name in named})
    return page(dependencies, signed_in=signed_in)(functools.wraps(view)(handed))
