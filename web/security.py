"""The signed-in sender's "Sign-in and security" page: whether the email address
is verified (and a new link if not), and what a password reset did."""

from starlette.routing import Route

from billing.account_security import SECURITY_PATH, VERIFICATION, lifetime_words
from web import throttle
from web.pages import Visit, bind, redirect, render

DONE = {
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


def routes(dependencies: dict) -> list[Route]:
    return [
        Route(SECURITY_PATH, bind(dependencies, show, signed_in=True), methods=["GET"]),
        Route("/account/verification", bind(dependencies, send_verification, signed_in=True), methods=["POST"]),
    ]
