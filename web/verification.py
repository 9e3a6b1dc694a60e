"""/verify-email?token=…: the link emailed at sign-up, which verifies the address
it was sent to, once. A HEAD request (a mail scanner checking the link) only
looks: it verifies nothing and uses up nothing."""

from starlette.routing import Route

from billing.account_security import PATHS, VERIFICATION, lifetime_words
from web.pages import Visit, bind, render
from workflow.account_security import EXPIRED, USED, VALID

# link state → (status, heading, what to do)
OUTCOMES = {
    VALID: (200, "Your email address is verified",
            "Invoices, reminders and comments can now be emailed in your name."),
    USED: (410, "This link was used already",
           "The address it was sent to is verified; there is nothing more to do."),
    EXPIRED: (410, "This link has expired",
              f"A link to verify an address works for {lifetime_words(VERIFICATION)}. Sign in and use "
              "“Send the link again” for a new one."),
}
UNKNOWN_LINK = (404, "This link does not work",
                "It may have been replaced by a newer one (use the link in the newest email), or not copied whole. "
                "Sign in and use “Send the link again” for a new one.")


def verify(visit: Visit, services, mailer):
    if visit.request.method == "HEAD":
        return render(visit, "link.html", {"heading": "Verify your email address", "message": ""})
    link = services.security.verify(visit.request.query_params.get("token", ""))
    if link.state == VALID:
        mailer.kick()  # what the account queued meanwhile may leave now
    status, heading, message = OUTCOMES.get(link.state, UNKNOWN_LINK)
    return render(visit, "link.html", {"heading": heading, "message": message}, status=status)


def routes(dependencies: dict) -> list[Route]:
    return [Route(PATHS[VERIFICATION], bind(dependencies, verify), methods=["GET"])]
