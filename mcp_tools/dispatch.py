"""A tool call, run the way the REST door runs the same request: the same
validators, the same operation endpoint (the handler behind the request-level
guarantees such as idempotency keys), the same error translator. The arguments
are the operation's parameters and its body's properties in one object; they
are split back before the handler sees them."""

from dataclasses import dataclass

from app import dispatch, errors, spec, validation
from app.auth import KeyToCheck
from mcp_tools.catalog import argument_name


@dataclass(frozen=True)
class Operation:
    """What a tool call needs to know about the operation behind the tool."""

    name: str
    input_schema: dict
    hints: dict | None  # the success response schema, whose notes explain read-only fields
    parameters: dict[str, str]  # tool argument → handler argument, for every parameter
    defaults: dict  # parameter defaults, filled in as the parameter validator fills them in for REST
    takes_body: bool

    def handler_arguments(self, arguments: dict) -> dict:
        """The handler's keyword arguments: its parameters, and the rest as `body`."""
        given = {self.parameters[name]: value for name, value in arguments.items() if name in self.parameters}
        keywords = {**self.defaults, **given}
        if self.takes_body:
            keywords["body"] = {name: value for name, value in arguments.items() if name not in self.parameters}
        return keywords


def _operation(tool: dict, api: dict, path: str, operation: dict) -> Operation:
    parameters = spec.parameters(api, path, operation)
    return Operation(
        name=tool["name"],
        input_schema=tool["inputSchema"],
        hints=spec.success_schema(operation),
        parameters={argument_name(p): dispatch.handler_argument(p) for p in parameters},
        defaults={
            dispatch.handler_argument(p): p["schema"]["default"]
            for p in parameters if "default" in p.get("schema", {})
        },
        takes_body="requestBody" in operation,
    )


@dataclass(frozen=True)
class Outcome:
    """How a call went, as REST would have answered: a status and a JSON body."""

    status: int
    body: dict | None

    @property
    def is_error(self) -> bool:
        return self.status >= 400


class Dispatcher:
    """The tools of tools.json, each bound to its operation's endpoint."""

    def __init__(self, tools: tuple[dict, ...], dependencies: dict):
        try:
            located = {tool["name"]: spec.operation(tool["name"]) for tool in tools}
        except KeyError as missing:
            raise RuntimeError(
                f"tools.json names an operation the spec lacks ({missing}); run `make mcp-tools`."
            ) from None
        self.tools = tools
        self.operations = {}
        for tool in tools:
            path, _, operation = located[tool["name"]]
            self.operations[tool["name"]] = _operation(tool, spec.resolved(), path, operation)
        self._endpoints = {name: dispatch.endpoint(name, dependencies) for name in self.operations}

    async def call_operation(self, operation_id: str, arguments: dict | None, account_id: int | KeyToCheck) -> Outcome:
        """Run one tool call as `account_id` (or the key's account, looked up beside the
        operation). Every failure, whatever raised it, becomes the REST error body with its status."""
        operation = self.operations[operation_id]
        try:
            # MCP arguments arrive parsed, with binary floats: make them exact first.
            arguments = validation.exact_numbers(arguments or {})
            validation.check(operation.input_schema, arguments, hints=operation.hints)
            endpoint = self._endpoints[operation_id]
            result = await endpoint(**operation.handler_arguments(arguments), user=account_id)
            body, status, _ = dispatch.as_response(result)
        except Exception as exc:  # noqa: BLE001 - the translator decides what each failure means
            status, error, _ = errors.translate(exc, "MCP", f"tools/call {operation_id}")
            return Outcome(status, error)
        return Outcome(status, body)
