"""What connexion 3.3 needs to serve an OpenAPI 3.1 spec properly, and fast.

Connexion checks specs against the 3.0 schema (refusing `openapi: 3.1.0`) and
validates with a Draft 4 validator that ignores `const` and numeric
`exclusiveMinimum`. So: the spec is checked by openapi-spec-validator instead
(in tests/api/test_spec.py), and requests and responses go through app.validation's
Draft 2020-12 validators, which also name the offending field.

Connexion also rebuilds its request validators on every request, and its
handler decorators build a request object, parse the query, path and body again
(the body with floats) and inspect the handler's signature each time. Here the
validators are built once per operation, and the handler is called with the
values they already read and checked (the exact parse of the body among them).
tests/unit/test_connexion31.py fails when a connexion release makes this
module unnecessary or stops it from working.
"""

import functools
import inspect
import typing as t
from decimal import Decimal

import orjson
from connexion import utils
from connexion.apps.asynchronous import AsyncOperation
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody
from connexion.middleware.request_validation import RequestValidationOperation
from connexion.spec import OpenAPISpecification
from connexion.validators import AbstractRequestBodyValidator, ParameterValidator
from connexion.validators.json import JSONResponseBodyValidator
from jsonschema import ValidationError
from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app import auth, dispatch, limits, validation
from app.threads import run_blocking
from billing.errors import InvalidRequest

_connexion_spec_check = OpenAPISpecification._validate_spec.__func__


def _check_spec(cls, spec: dict) -> None:
    if str(spec.get("openapi", "")).startswith("3.1"):
        return  # checked by openapi-spec-validator, which knows 3.1, in the tests
    _connexion_spec_check(cls, spec)


OpenAPISpecification._validate_spec = classmethod(_check_spec)


JSON = "application/json"


def _kept_on(cls: type, name: str, compute: t.Callable) -> None:
    """`cls().name` is `compute(instance)`, worked out on first use and then kept."""
    kept = functools.cached_property(compute)
    kept.__set_name__(cls, name)
    setattr(cls, name, kept)


def _context(scope: Scope) -> dict:
    """What connexion's middlewares hand on to the handler: its arguments by name."""
    return scope.setdefault("extensions", {}).setdefault("connexion_context", {})


async def _call_handler(self: AsyncOperation, scope: Scope, receive: Receive, send: Send) -> None:
    """Call the handler with the arguments the middlewares before it already read and
    checked (Parameters, JSONBody, the security check's `user`), and answer with what it
    returns. This replaces connexion's decorators, which build a request object, parse the
    query, path and body again and inspect the handler's signature on every request."""
    context = _context(scope)
    result = await self._fn(**{name: value for name, value in context.items() if name in self.arguments})
    await _response(result, self.jsonifier)(scope, receive, send)


def _response(result, jsonifier) -> Response:
    """Handlers return data, (data, status) or (data, status, headers); data is JSON unless
    the headers name another Content-Type (a PDF's bytes), and no data is a 204."""
    body, status, headers = dispatch.as_response(result) if isinstance(result, tuple) else (result, None, {})
    if body is None:
        return Response(status_code=status or 204, headers=headers)
    media_type = next((value for name, value in headers.items() if name.lower() == "content-type"), JSON)
    if media_type == JSON:
        body = _json(body, jsonifier)
    return Response(body, status_code=status or 200, headers=headers, media_type=media_type)


_ORJSON_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _decimal_as_float(value):
    if isinstance(value, Decimal):
        return float(value)  # as connexion's encoder writes it
    raise TypeError


def _json(body, jsonifier) -> bytes | str:
    """orjson writes a page of fifty invoices ten times faster than the json module;
    what it does not write (an integer past 64 bits, a date) connexion's encoder does."""
    try:
        return orjson.dumps(body, default=_decimal_as_float, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return jsonifier.dumps(body)


_kept_on(AsyncOperation, "arguments", lambda operation: frozenset(inspect.signature(operation._fn).parameters))
AsyncOperation.__call__ = _call_handler


async def _validate_request(self: RequestValidationOperation, scope: Scope, receive: Receive, send: Send) -> None:
    """connexion's request validation, with the validators built once per operation
    rather than on every request (they hold nothing of a request)."""
    parameters, body = self.checks
    try:
        parameters.validate(scope)
        mime_type, _ = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        if body is not None:
            receive, scope = await body.wrap_receive(receive, scope=scope)
    except Exception:
        await auth.settle(_context(scope))  # a bad key first
        raise
    await self.next_app(scope, receive, send)


def _checks(self: RequestValidationOperation) -> tuple:
    """The operation's parameter validator, and its body validator if it takes a body."""
    operation = self._operation
    parameters = self._validator_map["parameter"](
        operation.parameters, uri_parser=None, strict_validation=self.strict_validation,
        security_query_params=self.security_query_params)
    if len(operation.consumes) > 1:
        raise NotImplementedError("every operation in openapi.yaml takes one media type")
    schema = operation.body_schema() if operation.request_body else None
    if not schema:
        return parameters, None
    media_type = operation.consumes[0]
    body = self._validator_map["body"][media_type](
        schema=schema, required=operation.request_body.get("required", False),
        nullable=utils.is_nullable(operation.body_definition(media_type)), encoding="utf-8",
        strict_validation=self.strict_validation, uri_parser=None)
    return parameters, body


_kept_on(RequestValidationOperation, "checks", _checks)
RequestValidationOperation.__call__ = _validate_request


def operation_id(scope: Scope) -> str | None:
    return scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")


def validator_map(read_only_hints: t.Callable[[str | None], dict | None]) -> dict:
    """The validators connexion should use. `read_only_hints(operation_id)` gives
    the response schema whose notes explain read-only fields sent by mistake."""

    class JSONBody(AbstractRequestBodyValidator):
        async def wrap_receive(self, receive: Receive, *, scope: Scope):
            messages, chunks, more = [], [], True
            while more:
                message = await receive()
                messages.append(message)
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            raw = b"".join(chunks)
            if not raw.strip():
                if not self._required:  # an optional body may be left out
                    return self._insert_messages(receive, messages=messages), scope
                raise InvalidRequest("This operation needs a JSON body.")
            hints = read_only_hints(operation_id(scope))
            if len(raw) > limits.THREADED_BODY_BYTES:
                # Worked on in a thread: not before its key is known. (A key is left for later
                # only with a small body declared, see app.auth; this body is not what it said.)
                await auth.settle(_context(scope))
                body = await run_blocking(self._read, raw, hints)
            else:
                body = self._read(raw, hints)
                dispatch.body_checked_on_loop.set(True)
            # Handlers get this exact parse (Decimal numbers), not connexion's float one:
            # connexion passes context entries to handler arguments of the same name.
            _context(scope)["body"] = body
            return self._insert_messages(receive, messages=messages), scope

        def _read(self, raw: bytes, hints: dict | None):
            body = validation.parse_json(raw)
            validation.check(self._schema, body, hints=hints)
            return body

    return {
        "body": MediaTypeDict({"*/*json": JSONBody}),
        "parameter": Parameters,
        "response": MediaTypeDict({"*/*json": JSONResponse}),
    }


def _coerced(raw: str, schema: dict):
    """Query and path values arrive as text; read them as the schema's type when they are one."""
    kind = schema.get("type")
    try:
        if kind == "integer" and raw.lstrip("-").isdigit():
            return int(raw)
        if kind == "boolean" and raw in ("true", "false"):
            return raw == "true"
    except ValueError:
        pass
    return raw


class Parameters(ParameterValidator):
    def validate(self, scope: Scope) -> None:
        query = QueryParams(scope.get("query_string", b"").decode("latin-1"))
        if self.strict_validation:
            declared = {param["name"] for param in self.parameters.get("query", [])}
            for name in query:
                if name not in declared:
                    known = ", ".join(sorted(declared)) or "none"
                    raise InvalidRequest(f"Unknown query parameter '{validation.quoted(name)}'; "
                                         f"this operation takes: {known}.", validation.quoted(name))
        headers = Headers(scope=scope)
        sources = {"query": query, "path": scope.get("path_params", {}), "header": headers}
        context = _context(scope)
        for location, values in sources.items():
            for param in self.parameters.get(location, []):
                name, schema = param["name"], param.get("schema", {})
                argument = dispatch.handler_argument(param)
                raw = values.get(name)
                if raw is None:
                    if param.get("required"):
                        raise InvalidRequest(f"{name} is required.", name)
                    if "default" in schema:
                        context[argument] = schema["default"]
                    continue
                value = _coerced(raw, schema) if isinstance(raw, str) else raw
                validation.check(schema, value, field=name)
                context[argument] = value  # how it reaches the handler (see _call_handler)


class JSONResponse(JSONResponseBodyValidator):
    """Response checking (on in tests) with the same 2020-12 semantics as requests."""

    def _validate(self, body) -> None:
        try:
            validation.validator_for(self._schema).validate(body)
        except ValidationError as error:
            raise NonConformingResponseBody(
                detail=f"Response does not conform to the spec: {error.message} at {list(error.absolute_path)}"
            ) from None
