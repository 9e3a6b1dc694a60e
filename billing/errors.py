"""The domain's errors. Each carries the HTTP status it means and the JSON path
of the offending field, so the one error translator at the edge can render
``{"error": ..., "field": ...}`` without knowing where the error came from."""


class DomainError(Exception):
    status = 500
    headers: dict = {}
    # Whether the refusal is the request's answer for good, which a retry with the
    # same Idempotency-Key is given again; not when the account itself can lift it.
    final = True

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    # connexion picks the most specific of several auth errors by this name
    @property
    def status_code(self) -> int:
        return self.status


class InvalidRequest(DomainError):
    """Malformed or schema-invalid input: bad JSON, wrong type, unknown field."""

    status = 400


class Unauthenticated(DomainError):
    status = 401


class Forbidden(DomainError):
    """Not allowed now, or not with this key: the message says what would allow it.
    Not final: once the account has done what it says (verified its email address),
    the same request succeeds."""

    status = 403
    final = False


class NotFound(DomainError):
    """Not there, or not yours: the two are never told apart."""

    status = 404


class Conflict(DomainError):
    """Locked invoice, illegal status transition, duplicate."""

    status = 409


class PayloadTooLarge(DomainError):
    status = 413


class UnprocessableEntity(DomainError):
    """Well-formed, but breaks a business rule (due before issue, unknown customer)."""

    status = 422


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class ServiceBusy(DomainError):
    """Too much at once on our side, not the client's fault: retry shortly."""

    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}
