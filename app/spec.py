"""openapi.yaml, loaded once: the contract both doors serve and validate against."""

import json
import re
from functools import cache
from pathlib import Path

import yaml
from connexion.json_schema import resolve_refs

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
SUCCESS = ("200", "201")
METHODS = ("get", "put", "post", "patch", "delete")


# libyaml's parser where PyYAML has it: the same document, a fifth of the time, and
# less of the parse left behind in the worker's memory.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load() -> dict:
    """The parsed spec. It is checked where it changes rather than each time a worker
    starts (that cost each worker 0.8 s and 8 MB kept): against the OpenAPI 3.1 schema
    by openapi-spec-validator in tests/api/test_spec.py, and by Redocly and Spectral
    in `make lint`."""
    return yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=_LOADER)


@cache
def resolved() -> dict:
    """The spec with every $ref replaced by what it points to."""
    return resolve_refs(load())


@cache
def as_json() -> bytes:
    return json.dumps(load(), ensure_ascii=False, indent=2).encode()


def operations(spec: dict):
    """(path, method, operation) for every operation in the spec."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


@cache
def _by_id() -> dict:
    return {operation["operationId"]: (path, method, operation) for path, method, operation in operations(resolved())}


def operation(operation_id: str) -> tuple[str, str, dict]:
    """(path, method, operation with $refs resolved) for an operationId."""
    return _by_id()[operation_id]


def parameters(spec: dict, path: str, operation: dict) -> list[dict]:
    """The operation's parameters: those declared on its path item, then its own
    (an operation's parameter replaces a path-level one of the same name and place)."""
    merged = {}
    for parameter in [*spec["paths"][path].get("parameters", []), *operation.get("parameters", [])]:
        merged[parameter["name"], parameter["in"]] = parameter
    return list(merged.values())


def needs_key(spec: dict, operation: dict) -> bool:
    """Whether the operation is the sender's: every way to call it names a security
    scheme. The recipient's operations say `security: []` (the share token is enough)."""
    requirements = operation.get("security", spec.get("security", []))
    return bool(requirements) and all(requirements)


def success_schema(operation: dict) -> dict | None:
    """The JSON schema of the operation's 2xx response, if it has a body."""
    for status in SUCCESS:
        response = operation.get("responses", {}).get(status)
        if response:
            return response.get("content", {}).get("application/json", {}).get("schema")
    return None


def request_schema(operation_id: str) -> dict:
    """The JSON schema of an operation's request body, $refs resolved (for callers
    other than connexion, such as the share page's forms, to validate the same way)."""
    return operation(operation_id)[2]["requestBody"]["content"]["application/json"]["schema"]


def base_path() -> str:
    """Where the API's paths start (the spec's server URL): /api/v1."""
    return load()["servers"][0]["url"].rstrip("/")


@cache
def _route_patterns() -> list[tuple[re.Pattern, list[str]]]:
    spec = load()
    base = base_path()
    patterns = []
    for path, item in spec["paths"].items():
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(base + path))
        methods = sorted(m.upper() for m in item if m in METHODS)
        patterns.append((re.compile(regex + "$"), methods))
    return patterns


def allowed_methods(path: str) -> list[str]:
    """The methods the spec defines for a concrete request path."""
    return next((methods for pattern, methods in _route_patterns() if pattern.match(path)), [])
