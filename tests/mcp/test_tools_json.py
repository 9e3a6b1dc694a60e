"""tools.json: derived from openapi.yaml, never stale, one tool per sender operation."""

import json

import pytest
from jsonschema import Draft202012Validator

from app import spec
from mcp_tools import catalog
from scripts import gen_mcp_tools
from scripts.gen_mcp_tools import SpecError

PAGE_TOOLS = {"create_invoice", "list_invoices", "get_invoice", "update_invoice",
              "create_customer", "list_customers", "get_customer"}
TOOLS = {tool["name"]: tool for tool in catalog.load()}


def test_the_committed_tools_json_is_what_the_spec_gives():
    assert catalog.TOOLS_PATH.read_text(encoding="utf-8") == gen_mcp_tools.render(spec.resolved()), (
        "mcp_tools/tools.json is stale: run `make mcp-tools` and commit the result"
    )


def test_one_tool_per_sender_operation_and_the_pages_seven_among_them():
    api = spec.load()
    senders = [op["operationId"] for _, _, op in spec.operations(api)
               if spec.needs_key(api, op) and op.get("x-mcp-tool") is not False]
    assert list(TOOLS) == senders
    assert PAGE_TOOLS <= set(TOOLS)
    assert {"send_invoice", "void_invoice", "mark_invoice_paid"} <= set(TOOLS)


def test_schemas_are_self_contained_json_schema():
    text = catalog.TOOLS_PATH.read_text(encoding="utf-8")
    assert "$ref" not in text and '"x-' not in text
    for tool in TOOLS.values():
        Draft202012Validator.check_schema(tool["inputSchema"])
        Draft202012Validator.check_schema(tool.get("outputSchema", {}))
        assert tool["inputSchema"]["type"] == "object"
        assert tool["inputSchema"]["additionalProperties"] is False, tool["name"]


def test_create_invoice_takes_the_rest_body_as_is():
    schema = TOOLS["create_invoice"]["inputSchema"]
    body = gen_mcp_tools.portable(spec.resolved()["components"]["schemas"]["InvoiceCreate"])
    headers = {"idempotency_key"}
    assert {name: s for name, s in schema["properties"].items() if name not in headers} == body["properties"]
    assert schema["required"] == body["required"] == ["line_items", "due_date"]
    for keyword in set(body) - {"type", "properties", "required"}:  # additionalProperties, if/then…
        assert schema[keyword] == body[keyword], keyword
    invoice = spec.resolved()["components"]["schemas"]["Invoice"]
    assert TOOLS["create_invoice"]["outputSchema"] == gen_mcp_tools.portable(invoice)


def test_path_parameters_join_the_body_properties():
    schema = TOOLS["update_invoice"]["inputSchema"]
    assert schema["required"] == ["number"]
    assert schema["properties"]["number"]["description"] == "The invoice number, e.g. ACME-0001."
    assert {"number", "line_items", "po_number", "recipient"} <= set(schema["properties"])
    assert set(TOOLS["list_invoices"]["inputSchema"]["properties"]) == {"limit", "cursor", "status", "customer_id", "overdue"}
    assert "idempotency_key" in TOOLS["send_invoice"]["inputSchema"]["properties"], "header parameters too"


def test_arguments_are_plain_names_and_a_header_says_what_it_is_over_rest():
    for tool in TOOLS.values():
        for name in tool["inputSchema"]["properties"]:
            assert name.isidentifier(), (tool["name"], name)
    key = TOOLS["create_invoice"]["inputSchema"]["properties"]["idempotency_key"]
    assert "`Idempotency-Key` header" in key["description"]
    assert "Idempotency-Key" not in json.dumps([t["inputSchema"]["properties"] for t in TOOLS.values()]).replace(
        "`Idempotency-Key` header", "")


def test_every_tool_says_when_to_use_it_and_what_it_returns():
    for name, tool in TOOLS.items():
        assert "Use it " in tool["description"], f"{name}: say in the spec's description when to use it"
        assert tool["description"].rsplit("\n\n", 1)[-1].startswith("Returns "), name


def test_every_tool_shows_whole_calls_that_its_schema_accepts():
    for name, tool in TOOLS.items():
        schema = tool["inputSchema"]
        assert schema.get("examples"), f"{name}: give the operation a request or parameter example"
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for example in schema["examples"]:
            assert not list(validator.iter_errors(example)), (name, example)
            assert "idempotency_key" not in example, "a key is made anew for every call, never copied"
    body = spec.operation("create_invoice")[2]["requestBody"]["content"]["application/json"]["examples"]
    assert TOOLS["create_invoice"]["inputSchema"]["examples"] == [example["value"] for example in body.values()]
    assert TOOLS["update_invoice"]["inputSchema"]["examples"][0]["number"] == "ACME-0001", "parameters join the body"


def test_annotations_say_what_each_tool_does():
    for name, tool in TOOLS.items():
        hints = tool["annotations"]
        assert hints["readOnlyHint"] == name.startswith(("get_", "list_", "check_", "preview_")), name
        assert hints["openWorldHint"] is False
    assert TOOLS["create_invoice"]["annotations"]["destructiveHint"] is False
    assert TOOLS["void_invoice"]["annotations"]["destructiveHint"] is True
    assert TOOLS["void_invoice"]["annotations"]["idempotentHint"] is True
    assert TOOLS["mark_invoice_paid"]["annotations"]["destructiveHint"] is True
    assert TOOLS["send_invoice"]["annotations"]["idempotentHint"] is True
    assert TOOLS["create_customer"]["annotations"]["idempotentHint"] is False


# ------------------------------------------------------------ the generator on small specs

def _spec(paths: dict) -> dict:
    return {"openapi": "3.1.0", "security": [{"bearerAuth": []}], "paths": paths}


def _operation(operation_id: str, **extra) -> dict:
    return {"operationId": operation_id, "summary": operation_id, "responses": {"200": {"description": "ok"}}, **extra}


def _body(properties: dict, **extra) -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": properties, **extra}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def test_the_recipients_operations_are_not_tools():
    api = _spec({
        "/things": {"get": _operation("list_things")},
        "/share/{token}": {"get": _operation("get_shared_thing", security=[])},
        "/maybe": {"get": _operation("anyone_or_key", security=[{}, {"bearerAuth": []}])},
    })
    assert [tool["name"] for tool in gen_mcp_tools.tools(api)] == ["list_things"]


def test_path_level_query_and_header_parameters_all_become_arguments():
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}
    key = {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
    api = _spec({"/things/{number}": {
        "parameters": [number],
        "post": _operation("act", parameters=[key], requestBody=_body({"note": {"type": "string"}}, required=["note"])),
    }})
    (tool,) = gen_mcp_tools.tools(api)
    assert list(tool["inputSchema"]["properties"]) == ["number", "idempotency_key", "note"]
    assert tool["inputSchema"]["required"] == ["number", "note"]


def test_a_parameter_and_a_body_property_of_one_name_fail_loudly():
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}
    api = _spec({"/things/{number}": {"patch": _operation(
        "update_thing", parameters=[number], requestBody=_body({"number": {"type": "string"}}))}})
    with pytest.raises(SpecError, match="'number' has the name of a parameter"):
        gen_mcp_tools.tools(api)


def test_a_response_that_is_not_json_fails_loudly():
    pdf = {"200": {"description": "pdf", "content": {"application/pdf": {"schema": {"type": "string"}}}}}
    api = _spec({"/things/{number}/pdf": {"get": _operation("get_pdf", responses=pdf)}})
    with pytest.raises(SpecError, match="application/pdf"):
        gen_mcp_tools.tools(api)


def test_rendering_is_stable_json():
    text = gen_mcp_tools.render(spec.resolved())
    assert text.endswith("\n") and json.loads(text) == list(catalog.load())


def test_only_file_downloads_are_left_out_of_the_tools():
    api = spec.load()
    left_out = [op for _, _, op in spec.operations(api) if op.get("x-mcp-tool") is False]
    assert left_out, "the e-invoice and PDF downloads"
    for operation in left_out:
        media = {media for status, response in operation["responses"].items() if status.startswith("2")
                 for media in response.get("content", {})}
        assert media and "application/json" not in media, operation["operationId"]
