"""Derive the MCP tools from openapi.yaml and write mcp_tools/tools.json.

One tool per sender operation (one that needs the bearer key; the recipient's
share operations say `security: []` and are not tools):

- name = operationId, title = summary, description = summary + description
  (which say when to use it) + what the success response returns;
- inputSchema = the path, query and header parameters and the JSON body's
  properties in one object, every $ref resolved, so a tool takes exactly the
  JSON the REST body takes plus e.g. `number`; `required`, `anyOf` and
  `additionalProperties: false` are kept. A header's argument is a plain name
  (Idempotency-Key → idempotency_key). `examples` holds whole calls made of the
  spec's request examples and its parameters' examples;
- outputSchema = the success response's schema;
- annotations from what the operation is: GETs are read-only, a 201 creates
  (additive, not idempotent), and `x-mcp-annotations` in the spec states the
  rest (a void is destructive, a repeated send changes nothing).

Run `make mcp-tools` after changing the spec; tests/mcp/test_tools_json.py fails
while the committed file is stale.
"""

import json
import sys
from typing import Any

from app import spec as openapi
from mcp_tools.catalog import TOOLS_PATH, argument_name

ARGUMENT_PLACES = ("path", "query", "header")
# JSON Schema keywords whose values map names to schemas (the names are data, not keywords).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


class SpecError(Exception):
    """The spec says something a tool cannot express; the message says what to change."""


def portable(schema):
    """A JSON Schema without OpenAPI's `x-` extensions, which MCP clients do not know."""
    if isinstance(schema, list):
        return [portable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: ({name: portable(sub) for name, sub in value.items()} if key in _SCHEMA_MAPS else portable(value))
        for key, value in schema.items()
        if not key.startswith("x-")
    }


def _argument(parameter: dict) -> dict:
    """A parameter as a property of the tool's arguments: its schema, described
    by the parameter (which says what the value means here)."""
    schema = dict(parameter.get("schema", {}))
    if "description" in parameter:
        schema["description"] = parameter["description"]
    if parameter["in"] == "header":
        note = f"Over REST this is the `{parameter['name']}` header; error messages name it so."
        schema["description"] = f"{schema['description'].rstrip()}\n{note}" if "description" in schema else note
    if "example" in parameter:
        schema.setdefault("examples", [parameter["example"]])
    return schema


def _body_examples(operation: dict) -> list:
    """The request body's example values, in the spec's order."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    if "example" in content:
        return [content["example"]]
    return [example["value"] for example in content.get("examples", {}).values() if "value" in example]


def examples(parameters: list[dict], operation: dict) -> list[dict]:
    """Whole calls, as an agent would make them: each body example with the example of
    every path and query parameter that has one. Headers stay out: an Idempotency-Key
    is made anew for every call, never copied from an example."""
    given = {argument_name(p): p["example"] for p in parameters if "example" in p and p["in"] != "header"}
    bodies = _body_examples(operation)
    if bodies:
        return [{**given, **body} for body in bodies]
    required = [p for p in parameters if p.get("required")] or operation.get("requestBody", {}).get("required")
    return [given] if given or not required else []  # a call that takes nothing is {}


def _body(operation: dict) -> dict | None:
    """The JSON request body's schema, if the operation takes a body."""
    request_body = operation.get("requestBody")
    if request_body is None:
        return None
    name = operation["operationId"]
    content = request_body.get("content", {})
    if "application/json" not in content:
        raise SpecError(f"{name}: only a JSON request body can become tool arguments, not {', '.join(content)}.")
    schema = content["application/json"].get("schema", {})
    if schema.get("type") != "object":
        raise SpecError(f"{name}: the request body must be a JSON object for its properties to become tool arguments.")
    if not request_body.get("required") and ("required" in schema or "anyOf" in schema or "oneOf" in schema):
        raise SpecError(f"{name}: an optional body with required fields cannot be flattened into tool arguments.")
    return schema


def input_schema(spec: dict, path: str, operation: dict) -> dict:
    """The parameters and the body's properties as one object schema."""
    name = operation["operationId"]
    properties, required = {}, []
    parameters = openapi.parameters(spec, path, operation)
    for parameter in parameters:
        argument, place = argument_name(parameter), parameter["in"]
        if place not in ARGUMENT_PLACES:
            raise SpecError(f"{name}: a {place} parameter ('{argument}') cannot be a tool argument.")
        if argument in properties:
            raise SpecError(f"{name}: two parameters are named '{argument}'; tool arguments need distinct names.")
        properties[argument] = _argument(parameter)
        if parameter.get("required"):
            required.append(argument)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    body = _body(operation)
    if body is None:
        schema["additionalProperties"] = False
    else:
        for argument, property_schema in body.get("properties", {}).items():
            if argument in properties:
                raise SpecError(
                    f"{name}: the body property '{argument}' has the name of a parameter; "
                    "a tool takes both in one object, so rename one of them."
                )
            properties[argument] = property_schema
        schema.update({key: value for key, value in body.items() if key not in ("type", "properties", "required")})
        required += body.get("required", [])
    if required:
        schema["required"] = required
    calls = examples(parameters, operation)
    if calls:
        schema["examples"] = calls
    return portable(schema)


def output_schema(operation: dict) -> dict | None:
    """The success response's schema; MCP wants an object (or nothing, for an empty response)."""
    name = operation["operationId"]
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if status.startswith("2") and content and "application/json" not in content:
            raise SpecError(f"{name}: a {', '.join(content)} response cannot be a tool result; tools return JSON.")
    schema = openapi.success_schema(operation)
    if schema is not None and schema.get("type") != "object":
        raise SpecError(f"{name}: the success response must be a JSON object to be a tool's structured result.")
    return portable(schema) if schema is not None else None


def annotations(method: str, operation: dict) -> dict:
    # Closed world: every tool works on this service's own data and reaches no one else.
    hints = {"readOnlyHint": method == "get", "openWorldHint": False}
    if "201" in operation.get("responses", {}):
        hints.update(destructiveHint=False, idempotentHint=False)  # it only adds something new
    hints.update(operation.get("x-mcp-annotations", {}))
    return hints


def returns(operation: dict) -> str | None:
    """What a successful call gives back, from the success response's description."""
    for status in (*openapi.SUCCESS, "204"):
        response = operation.get("responses", {}).get(status)
        if response and response.get("description"):
            text = response["description"].strip()
            return f"Returns {text[0].lower()}{text[1:]}"
    return None


def description(operation: dict) -> str:
    parts = (operation.get("summary"), operation.get("description"), returns(operation))
    return "\n\n".join(part.strip() for part in parts if part)


def tools(spec: dict) -> list[dict]:
    """The MCP tool definitions for the sender operations of a resolved spec."""
    derived = []
    for path, method, operation in openapi.operations(spec):
        # The recipient's operations need no key and are not the sender's tools; a file
        # download (a PDF, an XML e-invoice) says `x-mcp-tool: false`, since tools return JSON.
        if not openapi.needs_key(spec, operation) or operation.get("x-mcp-tool") is False:
            continue
        tool = {
            "name": operation["operationId"],
            "title": operation.get("summary", operation["operationId"]),
            "description": description(operation),
            "inputSchema": input_schema(spec, path, operation),
        }
        output = output_schema(operation)
        if output is not None:
            tool["outputSchema"] = output
        tool["annotations"] = annotations(method, operation)
        derived.append(tool)
    return derived


def render(spec: dict) -> str:
    return json.dumps(tools(spec), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    try:
        text = render(openapi.resolved())
    except SpecError as error:
        print(f"gen_mcp_tools: {error}", file=sys.stderr)
        return 1
    TOOLS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {len(json.loads(text))} tools to {TOOLS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
