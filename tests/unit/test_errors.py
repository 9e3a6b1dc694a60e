"""The error translator keeps every error body small, whatever a message quotes."""

from app.errors import MAX_FIELD, MAX_MESSAGE, translate
from billing.errors import NotFound


def test_long_messages_and_fields_are_cut_short():
    status, body, _ = translate(NotFound("There is no invoice " + "A" * 100_000 + ".", "n" * 100_000), "GET", "/")
    assert status == 404
    assert body["error"] == ("There is no invoice " + "A" * 100_000)[:MAX_MESSAGE] + "…"
    assert body["field"] == "n" * MAX_FIELD + "…"


def test_ordinary_errors_are_left_alone():
    assert translate(NotFound("There is no invoice ACME-0001.", "number"), "GET", "/")[1] == {
        "error": "There is no invoice ACME-0001.", "field": "number"}
    assert translate(NotFound("Gone."), "GET", "/")[1] == {"error": "Gone.", "field": None}
