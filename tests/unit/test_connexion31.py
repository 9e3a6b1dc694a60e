"""Guards on app/connexion31.py: they fail when a connexion release changes what
the adapter works around, so it can be removed or mended."""

import copy
import json

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import OpenAPISpecification

from app import connexion31, spec


def test_connexion_itself_still_refuses_openapi_3_1():
    with pytest.raises(InvalidSpecification):
        connexion31._connexion_spec_check(OpenAPISpecification, copy.deepcopy(spec.load()))


def test_connexion_accepts_our_spec_through_the_adapter():
    OpenAPISpecification(copy.deepcopy(spec.load()))


def test_connexions_own_validator_still_ignores_const():
    from connexion.json_schema import Draft4RequestValidator

    Draft4RequestValidator({"properties": {"type": {"const": "flat"}}}).validate({"type": "percent"})


def test_the_adapter_validators_are_the_ones_connexion_uses():
    validators = connexion31.validator_map(lambda operation_id: None)
    assert validators["parameter"] is connexion31.Parameters
    assert validators["body"]["application/json"].__name__ == "JSONBody"


def test_handlers_are_called_directly_with_what_the_validators_read(client, create, monkeypatch):
    from connexion.apps.asynchronous import AsyncOperation
    from connexion.decorators.main import ASGIDecorator
    from connexion.lifecycle import ConnexionRequest

    assert AsyncOperation.__call__ is connexion31._call_handler
    decorated, parsed_again = [], []
    monkeypatch.setattr(ASGIDecorator, "decorate", lambda self, function: decorated.append(function))
    original = ConnexionRequest.json

    async def counting(self):
        parsed_again.append(1)
        return await original(self)

    monkeypatch.setattr(ConnexionRequest, "json", counting)
    assert create()["total_cents"] > 0
    assert client.get("/api/v1/invoices?limit=1").json()["data"][0]["id"] == "ACME-0001"
    assert decorated == [] and parsed_again == []


def test_request_validators_are_built_once_per_operation(client, create, monkeypatch):
    from connexion.middleware.request_validation import RequestValidationOperation

    assert RequestValidationOperation.__call__ is connexion31._validate_request
    create()
    built = []
    monkeypatch.setattr(RequestValidationOperation.checks, "func",
                        lambda operation: built.append(operation) or connexion31._checks(operation))
    for _ in range(3):
        assert client.get("/api/v1/invoices/ACME-0001").status_code == 200
    assert len(built) <= 1, "built on the first request at most, then reused"


def test_json_answers_are_written_as_connexions_encoder_writes_them():
    import datetime
    from decimal import Decimal

    from connexion.jsonifier import Jsonifier

    jsonifier = Jsonifier()
    for body in ({"rate": Decimal("19.5"), "id": "ACME-0001", "nothing": None},
                 {"huge": 2**70}, {"on": datetime.date(2027, 1, 31)}, [1, "two", {"3": [4.5]}]):
        written = connexion31._json(body, jsonifier)
        assert json.loads(written) == json.loads(jsonifier.dumps(body))
        assert (written.decode() if isinstance(written, bytes) else written).endswith("\n")
