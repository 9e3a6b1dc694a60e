"""openapi.yaml is the contract: valid 3.1, served as JSON, complete."""

import yaml
from openapi_spec_validator import validate

from app import spec

PAGE_OPERATIONS = {
    "create_invoice": ("post", "/invoices"), "list_invoices": ("get", "/invoices"),
    "get_invoice": ("get", "/invoices/{number}"), "update_invoice": ("patch", "/invoices/{number}"),
    "create_customer": ("post", "/customers"), "list_customers": ("get", "/customers"),
    "get_customer": ("get", "/customers/{id}"),
    "send_invoice": ("post", "/invoices/{number}/send"), "void_invoice": ("post", "/invoices/{number}/void"),
    "mark_invoice_paid": ("post", "/invoices/{number}/mark-paid"),
}


def test_the_spec_is_openapi_3_1_and_valid():
    loaded = spec.load()
    validate(loaded)  # raises if openapi-spec-validator finds a problem
    assert loaded["openapi"] == "3.1.0"
    assert loaded["servers"] == [{"url": "/api/v1"}]


def test_libyaml_reads_the_spec_as_the_python_parser_does():
    assert spec.load() == yaml.safe_load(spec.SPEC_PATH.read_text())


def test_both_json_urls_serve_exactly_the_yaml(anonymous):
    expected = yaml.safe_load(spec.SPEC_PATH.read_text())
    assert anonymous.get("/api/openapi.json").json() == expected
    assert anonymous.get("/.well-known/openapi.json").json() == expected


def test_every_operation_of_the_page_and_the_status_actions_is_there():
    found = {op["operationId"]: (method, path) for path, method, op in spec.operations(spec.load())}
    assert PAGE_OPERATIONS.items() <= found.items()


def test_every_secured_operation_documents_401_and_429_and_bodies_document_400_413_415():
    for _, method, op in spec.operations(spec.load()):
        codes = set(op["responses"])
        if op.get("security", [{"bearerAuth": []}]):
            assert {"401", "429"} <= codes, op["operationId"]
        elif method != "get":  # the recipient's actions are limited per share link
            assert "429" in codes, op["operationId"]
        if "requestBody" in op:
            assert {"400", "413", "415"} <= codes, op["operationId"]


def test_every_operation_has_a_summary_for_people_and_agents():
    for _, _, op in spec.operations(spec.load()):
        assert op.get("summary"), op["operationId"]


def test_every_post_and_patch_takes_an_idempotency_key_and_documents_409_and_422():
    for _, method, op in spec.operations(spec.resolved()):
        if method in ("post", "patch") and op.get("security", [{"bearerAuth": []}]):
            names = {p["name"] for p in op.get("parameters", [])}
            assert "Idempotency-Key" in names, op["operationId"]
            assert {"409", "422"} <= set(op["responses"]), op["operationId"]


def _idempotency_key_examples(parameter: dict) -> list[str]:
    return [parameter["example"]] * ("example" in parameter) + [
        example["value"] for example in parameter.get("examples", {}).values()
    ]


def test_every_operation_shows_its_own_idempotency_key_example():
    # One example copied everywhere invites one key copied everywhere, and then a
    # second, different request is refused (422) as a reuse of the first one's key.
    seen = {}
    for path, _, op in spec.operations(spec.resolved()):
        for parameter in spec.parameters(spec.resolved(), path, op):
            if parameter["name"] != "Idempotency-Key":
                continue
            examples = _idempotency_key_examples(parameter)
            assert examples, f"{op['operationId']}: give Idempotency-Key an example of its own"
            for example in examples:
                assert example not in seen, f"{op['operationId']} reuses {seen.get(example)}'s example {example}"
                seen[example] = op["operationId"]
    assert len(seen) >= 9
