"""What connexion 3.3 needs to serve an OpenAPI 3.1 spec properly, and fast.

Connexion checks specs against the 3.0 schema (refusing `openapi: 3.1.0`) and
validates with a Draft 4 validator that ignores `const` and numeric
`exclusiveMinimum`. So: the spec is checked by openapi-spec-validator instead
(app.spec.load), and requests and responses go through app.validation's
Draft 2020-12 validators, which also name the offending field.

Connexion also rebuilds each handler's decorators (inspecting its signature)
on every request; they depend only on the handler, so they are built once. And
it parses a JSON body again after our validator has: the handler gets ours.
tests/unit/test_connexion31.py fails when a connexion release makes this
module unnecessary or stops it from working.
"""

import functools
import typing as t

from connexion.apps.asynchronous import AsyncOperation
from connexion.context import receive as request_receive
from connexion.context import scope as request_scope
from connexion.datastructures import MediaTypeDict
from connexion.decorators.main import ASGIDecorator
from connexion.decorators.parameter import BaseParameterDecorator
from connexion.exceptions import NonConformingResponseBody
from connexion.spec import OpenAPISpecification
from connexion.validators import AbstractRequestBodyValidator, ParameterValidator
from connexion.validators.json import JSONResponseBodyValidator
from jsonschema import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.types import Receive, Scope

from app import validation
from app.dispatch import header_argument
from billing.errors import InvalidRequest

_connexion_spec_check = OpenAPISpecification._validate_spec.__func__


def _check_spec(cls, spec: dict) -> None:
    if str(spec.get("openapi", "")).startswith("3.1"):
        return  # already checked by openapi-spec-validator, which knows 3.1
    _connexion_spec_check(cls, spec)


OpenAPISpecification._validate_spec = classmethod(_check_spec)


def _decorate_once(self, function: t.Callable) -> t.Callable:
    decorated = self.decorate(function)

    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        request = self.framework.get_request(uri_parser=self.uri_parser, scope=request_scope, receive=request_receive)
        return await decorated(request)

    return wrapper


ASGIDecorator.__call__ = _decorate_once

_connexion_body = BaseParameterDecorator._maybe_get_body


def _body_parsed_once(self, request, *, arguments, has_kwargs):
    """The body our validator already parsed (exactly, see JSONBody), rather than
    connexion reading and parsing it a second time (with floats) for nothing."""
    if "body" in request.context:
        return request.context["body"]
    return _connexion_body(self, request, arguments=arguments, has_kwargs=has_kwargs)


BaseParameterDecorator._maybe_get_body = _body_parsed_once
_operation_fn = functools.cached_property(AsyncOperation.fn.fget)
_operation_fn.__set_name__(AsyncOperation, "fn")
AsyncOperation.fn = _operation_fn


# Bodies larger than this are parsed and checked in a worker thread, not on the event loop.
THREADED_BODY_BYTES = 64 * 1024


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
            if len(raw) > THREADED_BODY_BYTES:
                body = await run_in_threadpool(self._read, raw, hints)
            else:
                body = self._read(raw, hints)
            # Handlers get this exact parse (Decimal numbers), not connexion's float one:
            # connexion passes context entries to handler arguments of the same name.
            scope.setdefault("extensions", {}).setdefault("connexion_context", {})["body"] = body
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
        context = scope.setdefault("extensions", {}).setdefault("connexion_context", {})
        for location, values in sources.items():
            for param in self.parameters.get(location, []):
                name, schema = param["name"], param.get("schema", {})
                raw = values.get(name)
                if raw is None:
                    if param.get("required"):
                        raise InvalidRequest(f"{name} is required.", name)
                    continue
                value = _coerced(raw, schema) if isinstance(raw, str) else raw
                validation.check(schema, value, field=name)
                if location == "header":
                    # connexion passes no headers to handlers; context entries reach them by name.
                    context[header_argument(name)] = value


class JSONResponse(JSONResponseBodyValidator):
    """Response checking (on in tests) with the same 2020-12 semantics as requests."""

    def _validate(self, body) -> None:
        try:
            validation.validator_for(self._schema).validate(body)
        except ValidationError as error:
            raise NonConformingResponseBody(
                detail=f"Response does not conform to the spec: {error.message} at {list(error.absolute_path)}"
            ) from None
