"""Guards on app/connexion31.py: they fail when a connexion release changes what
the adapter works around, so it can be removed or mended."""

import copy

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


def test_handler_decorators_are_built_once_per_operation(client, create):
    from connexion.decorators.main import ASGIDecorator

    assert ASGIDecorator.__call__ is connexion31._decorate_once
    create()
    calls = []
    original = ASGIDecorator.decorate

    def counting(self, function):
        calls.append(function)
        return original(self, function)

    ASGIDecorator.decorate = counting
    try:
        for _ in range(3):
            assert client.get("/api/v1/invoices/ACME-0001").status_code == 200
    finally:
        ASGIDecorator.decorate = original
    assert len(calls) == 1, "built on the first request, then reused"


def test_a_json_body_is_parsed_once_by_our_validator_not_again_by_connexion(client, create, monkeypatch):
    from connexion.lifecycle import ConnexionRequest

    assert connexion31.BaseParameterDecorator._maybe_get_body is connexion31._body_parsed_once
    parsed_again = []
    original = ConnexionRequest.json

    async def counting(self):
        parsed_again.append(1)
        return await original(self)

    monkeypatch.setattr(ConnexionRequest, "json", counting)
    assert create()["total_cents"] > 0
    assert parsed_again == []
