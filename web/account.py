"""Signing up (which emails a link to verify the address), in and out, and the
sender's business name."""

from starlette.routing import Route

from app import passwords
from billing.errors import Conflict, InvalidRequest
from web import throttle
from web.pages import Visit, end_session, page, redirect, render, safe_next, start_session

MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 100
AFTER_SIGN_UP = "/integrations"  # the quick start's next step: mint a key
WRONG_PASSWORD = "That email and password do not match an account. Check both and try again."


def form_email(visit: Visit) -> str:
    """The form's email address, normalised; InvalidRequest when it is not one."""
    email = visit.field("email").lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > MAX_EMAIL_LENGTH or any(c.isspace() for c in email):
        raise InvalidRequest("Enter your email address, like you@example.com.", "email")
    return email


def _display_name(visit: Visit) -> str | None:
    name = visit.field("display_name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidRequest(f"Keep the business name under {MAX_NAME_LENGTH} characters.", "display_name")
    return name or None


def _asked_next(visit: Visit) -> str:
    """The page a signed-out visitor was sent away from, if any ("" for none)."""
    asked = visit.request.query_params.get("next")
    return safe_next(asked) if asked else ""


def _form_error(visit: Visit, template: str, error, status: int, headers: dict | None = None):
    """The same form again, filled in (never the password), with what to fix."""
    return render(visit, template, {
        "error": error.message,
        "error_field": getattr(error, "field", None),
        "email": visit.field("email"),
        "display_name": visit.field("display_name"),
        "next": visit.field("next") and safe_next(visit.field("next")),
    }, status=status, headers=headers)


def routes(dependencies: dict) -> list[Route]:
    services, public_url, mailer = dependencies["services"], dependencies["public_url"], dependencies["mailer"]

    @page(dependencies)
    def sign_up(visit: Visit):
        if visit.account is not None and visit.form is None:
            return redirect(AFTER_SIGN_UP)
        if visit.form is None:
            return render(visit, "signup.html", {"next": _asked_next(visit)})
        try:
            email, display_name = form_email(visit), _display_name(visit)
            password = passwords.acceptable(visit.field("password", strip=False))
            throttle.take(services, [(throttle.SIGN_UP_PER_ADDRESS, visit.address)])
            password_hash = passwords.hash_password(password)
            account_id = services.security.sign_up(email, password_hash, display_name, public_url)
        except throttle.Throttled as refused:
            return _form_error(visit, "signup.html", refused, 429, {"Retry-After": str(refused.retry_after)})
        except (InvalidRequest, Conflict) as error:
            return _form_error(visit, "signup.html", error, error.status)
        mailer.kick()
        return start_session(visit, services, account_id, safe_next(visit.field("next") or AFTER_SIGN_UP))

    @page(dependencies)
    def sign_in(visit: Visit):
        if visit.form is None:
            if visit.account is not None:
                return redirect(safe_next(visit.request.query_params.get("next")))
            return render(visit, "signin.html", {"next": _asked_next(visit)})
        email = visit.field("email").lower()
        here = f"{email} {visit.address}"
        try:
            if throttle.has_failed(services, throttle.SIGN_IN_PER_EMAIL_FROM_ADDRESS, here):
                throttle.refuse_if_used_up(services, throttle.SIGN_IN_PER_EMAIL, email)
            throttle.take(services, [(throttle.SIGN_IN_PER_EMAIL_FROM_ADDRESS, here),
                                     (throttle.SIGN_IN_PER_ADDRESS, visit.address)])
        except throttle.Throttled as refused:
            return _form_error(visit, "signin.html", refused, 429, {"Retry-After": str(refused.retry_after)})
        found = services.accounts.password_hash(email)
        account_id, stored = found or (None, None)
        password = visit.field("password", strip=False)
        if not passwords.matches(stored, password):
            throttle.record(services, throttle.SIGN_IN_PER_EMAIL, email)
            return _form_error(visit, "signin.html", InvalidRequest(WRONG_PASSWORD, "password"), 400)
        throttle.forgive(services, throttle.SIGN_IN_PER_EMAIL, email)
        throttle.forgive(services, throttle.SIGN_IN_PER_EMAIL_FROM_ADDRESS, here)
        if passwords.needs_rehash(stored):
            services.accounts.set_password(account_id, passwords.hash_password(password))
        return start_session(visit, services, account_id, safe_next(visit.field("next")))

    @page(dependencies)
    def sign_out(visit: Visit):
        if visit.form is None:
            return render(visit, "signout.html") if visit.account else redirect("/")
        return end_session(visit, services, "/")

    @page(dependencies, signed_in=True)
    def business_name(visit: Visit):
        services.accounts.set_display_name(visit.account["id"], _display_name(visit))
        return redirect("/dashboard?saved=name")

    return [
        Route("/signup", sign_up, methods=["GET", "POST"]),
        Route("/signin", sign_in, methods=["GET", "POST"]),
        Route("/signout", sign_out, methods=["GET", "POST"]),
        Route("/account/name", business_name, methods=["POST"]),
    ]

