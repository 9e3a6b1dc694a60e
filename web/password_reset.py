"""Resetting a forgotten password by email: /forgot-password asks the address and
always gives the same answer, whether or not an account has it; the link emailed
leads to /reset-password?token=…, where the new password is chosen, once. It
ends every session of the account and signs this browser in."""

from starlette.routing import Route

from app import passwords
from billing.account_security import FORGOT_PASSWORD_PATH, PASSWORD_RESET, PATHS, SECURITY_PATH, lifetime_words
from billing.errors import InvalidRequest
from web import throttle
from web.account import form_email
from web.pages import Visit, bind, render, start_session
from workflow.account_security import EXPIRED, USED, VALID

ASK_AGAIN = "Ask for a new link on the sign-in page (“Forgot your password?”)."
# link state → (status, heading, what to do), for a link that cannot set a password
DEAD_LINKS = {
    USED: (410, "This link was used already", f"A link to reset a password works once. {ASK_AGAIN}"),
    EXPIRED: (410, "This link has expired",
              f"A link to reset a password works for {lifetime_words(PASSWORD_RESET)}. {ASK_AGAIN}"),
}
UNKNOWN_LINK = (404, "This link does not work",
                f"It may have been replaced by a newer one (use the link in the newest email), or not copied whole. "
                f"{ASK_AGAIN}")


def _dead(visit: Visit, state: str):
    status, heading, message = DEAD_LINKS.get(state, UNKNOWN_LINK)
    return render(visit, "link.html", {"heading": heading, "message": message, "forgot": True}, status=status)


def forgot(visit: Visit, services, public_url, mailer):
    if visit.form is None:
        return render(visit, "forgot.html")
    try:
        email = form_email(visit)
        throttle.take(services, [(throttle.RESET_EMAIL_PER_ADDRESS, visit.address)])
    except InvalidRequest as error:
        return render(visit, "forgot.html", {"error": error.message, "email": visit.field("email")}, status=400)
    except throttle.Throttled as refused:
        return render(visit, "forgot.html", {"error": refused.message, "email": email}, status=429,
                      headers={"Retry-After": str(refused.retry_after)})
    try:
        throttle.take(services, [(throttle.RESET_EMAIL_PER_EMAIL, email)])
    except throttle.Throttled:
        pass  # enough links went to this address lately: send none, and say the same as ever
    else:
        if services.security.request_reset(email, public_url):
            mailer.kick()
    return render(visit, "forgot.html", {"sent_to": email, "lifetime": lifetime_words(PASSWORD_RESET)})


def reset(visit: Visit, services):
    token = visit.field("token") if visit.form is not None else visit.request.query_params.get("token", "")
    link = services.security.reset_link(token)
    if link.state != VALID:
        return _dead(visit, link.state)
    if visit.form is None:
        return render(visit, "reset.html", {"token": token})
    try:
        password = passwords.acceptable(visit.field("password", strip=False))
    except InvalidRequest as error:
        return render(visit, "reset.html", {"token": token, "error": error.message}, status=400)
    done = services.security.reset_password(token, passwords.hash_password(password))
    if done.state != VALID or done.account_id is None:  # used by another request meanwhile
        return _dead(visit, done.state)
    outcome = "claimed" if done.claimed else "reset"
    return start_session(visit, services, done.account_id, f"{SECURITY_PATH}?done={outcome}")


def routes(dependencies: dict) -> list[Route]:
    return [
        Route(FORGOT_PASSWORD_PATH, bind(dependencies, forgot), methods=["GET", "POST"]),
        Route(PATHS[PASSWORD_RESET], bind(dependencies, reset), methods=["GET", "POST"]),
    ]
