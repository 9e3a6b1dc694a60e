"""The one error translator: every failure, whoever raised it, leaves as
{"error": "<sentence>", "field": "<JSON path or null>"} with the right status."""

import json
import logging
import sqlite3

from connexion.exceptions import ProblemException, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.spec import allowed_methods
from billing.errors import DomainError

log = logging.getLogger("jupiter.errors")

_HTTP_SENTENCES = {
    404: "There is no such route: {method} {path}. The API is described at /api/openapi.json.",
    405: "{method} is not allowed on {path}.",
}


# Whatever a message or field quotes, an error body stays small.
MAX_MESSAGE, MAX_FIELD = 1000, 200


def _capped(text: str | None, limit: int) -> str | None:
    return text[:limit] + "…" if isinstance(text, str) and len(text) > limit else text


def _unauthenticated_headers(status: int) -> dict:
    return {"WWW-Authenticate": "Bearer"} if status == 401 else {}


def translate(exc: Exception, method: str, path: str) -> tuple[int, dict, dict]:
    """(status, body, headers) for any exception."""
    if isinstance(exc, DomainError):
        status, message, field, headers = exc.status, exc.message, exc.field, dict(exc.headers)
    elif isinstance(exc, UnsupportedMediaTypeProblem):
        status, message, field, headers = 415, "Send the body as JSON, with 'Content-Type: application/json'.", None, {}
    elif isinstance(exc, ProblemException):
        status, message, field = exc.status, exc.detail or exc.title, None
        headers = dict(exc.headers or {})
    elif isinstance(exc, HTTPException):
        status, field, headers = exc.status_code, None, dict(exc.headers or {})
        template = _HTTP_SENTENCES.get(status)
        message = template.format(method=method, path=path) if template else exc.detail
        if status == 405:
            # Connexion routes each method separately, so its own Allow names only one.
            headers["Allow"] = ", ".join(allowed_methods(path)) or headers.get("Allow", "")
            message += f" Allowed: {headers['Allow']}."
    elif isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        log.warning("database busy: %s", exc)
        status, message, field, headers = 503, "The database is busy; retry in a moment.", None, {"Retry-After": "1"}
    else:
        log.error("unexpected error on %s %s", method, path, exc_info=exc)
        message = "Something went wrong on our side. It has been logged; please retry."
        status, field, headers = 500, None, {}
    body = {"error": _capped(message, MAX_MESSAGE), "field": _capped(field, MAX_FIELD)}
    return status, body, {**headers, **_unauthenticated_headers(status)}


def _encode(body: dict) -> bytes:
    # ASCII escapes: a message may quote client text that is not valid Unicode.
    return json.dumps(body).encode()


def connexion_handler(request, exc: Exception) -> ConnexionResponse:
    status, body, headers = translate(exc, request.method, request.url.path)
    return ConnexionResponse(status_code=status, body=_encode(body), mimetype="application/json", headers=headers)


async def starlette_handler(request, exc: Exception) -> Response:
    status, body, headers = translate(exc, request.method, request.url.path)
    return Response(_encode(body), status_code=status, media_type="application/json", headers=headers)


HANDLED = (DomainError, ProblemException, HTTPException, Exception)
