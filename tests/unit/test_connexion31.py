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
