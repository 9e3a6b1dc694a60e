"""The signed-in sender's "Sign-in and security" page: whether the email address
is verified (and a new link if not), changing the password, and signing out
everywhere. A new password ends every session of the account; this browser is
signed in again with a new one."""

from starlette.routing import Route

from app import passwords
from billing.account_security import SECURITY_PATH, VERIFICATION, lifetime_words
from billing.errors import InvalidRequest
from web import throttle
from web.pages import Visit, bind, end_session, redirect, render, start_session

WRONG_CURRENT_PASSWORD = "That is not the current password of this account; nothing was changed."
DONE = {
    "password": "Your password is changed, and every other session of the account has ended.",
    "reset": "Your new password is set, and every other session of the account has ended.",
    "claimed": "Your new password is set, your email address is verified, and every other session of the "
               "account has ended. The address had not been verified before, so whoever used the account "
               "until now may not have been you: its API keys are revoked and its webhook endpoints stopped. "
               "Mint new keys on the Integrations page.",
    "verification": f"A new link is on its way to your address. It works for {lifetime_words(VERIFICATION)}.",
}


def _page(visit: Visit, *, status: int = 200, error: str | None = None, headers: dict | None = None):
    notice = DONE.get(visit.request.query_params.get("done", ""))
    return render(visit, "security.html", {"notice": notice, "error": error}, status=status, headers=headers)


def _refused(visit: Visit, refused: throttle.Throttled):
    return _page(visit, status=429, error=refused.message, headers={"Retry-After": str(refused.retry_after)})


def show(visit: Visit):
    return _page(visit)


def send_verification(visit: Visit, services, public_url, mailer):
    try:
        throttle.take(services, [(throttle.VERIFICATION_EMAIL_PER_ACCOUNT, str(visit.account_id))])
    except throttle.Throttled as refused:
        return _refused(visit, refused)
    if services.security.resend_verification(visit.account_id, public_url):
        mailer.kick()
        return redirect(f"{SECURITY_PATH}?done=verification")
    return redirect(SECURITY_PATH)  # verified meanwhile: the page says so


def change_password(visit: Visit, services):
    scope = str(visit.account_id)
    try:
        password = passwords.acceptable(visit.field("password", strip=False))
        throttle.take(services, [(throttle.PASSWORD_CHANGE_PER_ACCOUNT, scope)])
    except InvalidRequest as error:
        return _page(visit, status=400, error=error.message)
    except throttle.Throttled as refused:
        return _refused(visit, refused)
    _, stored = services.accounts.password_hash(visit.account["email"]) or (None, None)
    if not passwords.matches(stored, visit.field("current_password", strip=False)):
        return _page(visit, status=400, error=WRONG_CURRENT_PASSWORD)
    throttle.forgive(services, throttle.PASSWORD_CHANGE_PER_ACCOUNT, scope)
    services.security.change_password(visit.account_id, passwords.hash_password(password))
    return start_session(visit, services, visit.account_id, f"{SECURITY_PATH}?done=password")


def sign_out_everywhere(visit: Visit, services):
    services.security.sign_out_everywhere(visit.account_id)
    return end_session(visit, services, "/")


def routes(dependencies: dict) -> list[Route]:
    return [
        Route(SECURITY_PATH, bind(dependencies, show, signed_in=True), methods=["GET"]),
        Route("/account/verification", bind(dependencies, send_verification, signed_in=True), methods=["POST"]),
        Route("/account/password", bind(dependencies, change_password, signed_in=True), methods=["POST"]),
        Route("/signout/everywhere", bind(dependencies, sign_out_everywhere, signed_in=True), methods=["POST"]),
    ]
