"""Proving that an account's email address is its owner's: the links emailed to
verify it and to reset the password (where they lead, how long they last, what
the emails say), and the rule that an account emails nobody until its address
is verified, so that whoever signs up with someone else's address cannot mail
in their name. Pure: the links' tokens are made and checked in workflow/."""

from datetime import timedelta
from urllib.parse import urlencode

from billing.errors import Forbidden

# The purpose of a token, which is also the kind of the email carrying it.
VERIFICATION = "verification"
PASSWORD_RESET = "password_reset"
LIFETIMES = {VERIFICATION: timedelta(hours=24), PASSWORD_RESET: timedelta(hours=1)}
PATHS = {VERIFICATION: "/verify-email", PASSWORD_RESET: "/reset-password"}
FORGOT_PASSWORD_PATH = "/forgot-password"
SECURITY_PATH = "/account/security"


def link(public_url: str, purpose: str, token: str) -> str:
    # The token goes in the query, which the access log leaves out (it logs the path).
    return f"{public_url}{PATHS[purpose]}?{urlencode({'token': token})}"


def lifetime_words(purpose: str) -> str:
    """How long a link for `purpose` works, in words: 'an hour', '24 hours'."""
    hours = int(LIFETIMES[purpose].total_seconds() // 3600)
    return "an hour" if hours == 1 else f"{hours} hours"


def is_verified(account: dict) -> bool:
    return account.get("email_verified_at") is not None


def ensure_may_email(account: dict, public_url: str) -> None:
    """Forbidden, saying how to lift it, unless the account's address is verified.
    Test mode may: its email is kept, never delivered."""
    if account.get("livemode", True) and not is_verified(account):
        raise Forbidden(
            f"Nothing is emailed for this account until its email address, {account['email']}, is verified. "
            f"Open the link in the email sent to that address when the account was made (a new one can be sent "
            f"from {public_url}{SECURITY_PATH}), then retry."
        )


def verification_email(public_url: str, token: str) -> dict:
    """{"subject", "body"} of the email that verifies an address, which also tells
    an owner who never signed up how to take the account over."""
    body = (
        "Someone, hopefully you, made a JupiterInvoice account with this email address.\n\n"
        f"To confirm that the address is yours, open this link within {lifetime_words(VERIFICATION)}:\n"
        f"{link(public_url, VERIFICATION, token)}\n\n"
        "Until then the account sends no email to anyone.\n\n"
        "If it was not you, the account cannot mail in your name. To make it yours, and sign out whoever "
        f"made it, reset its password: {public_url}{FORGOT_PASSWORD_PATH}\n"
    )
    return {"subject": "Confirm your email address for JupiterInvoice", "body": body}


def reset_email(public_url: str, token: str) -> dict:
    body = (
        "Someone, hopefully you, asked to reset the password of the JupiterInvoice account with this "
        "email address.\n\n"
        f"To choose a new password, open this link within {lifetime_words(PASSWORD_RESET)}:\n"
        f"{link(public_url, PASSWORD_RESET, token)}\n\n"
        "The link works once, and a newer one replaces it. Choosing a new password signs the account out "
        "everywhere else.\n\n"
        "If you did not ask, ignore this email: the password stays as it is.\n"
    )
    return {"subject": "Reset your JupiterInvoice password", "body": body}
