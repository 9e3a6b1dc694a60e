"""The seller profile: GET and PATCH /api/v1/account, checked field by field; the
recipient sees the contact email the sender chose, never the sign-in email."""

import pytest

SELLER = {
    "display_name": "Studio Nord",
    "legal_name": "Studio Nord GmbH",
    "contact_email": "billing@studio-nord.example",
    "address": {"line1": "Torstrasse 1", "city": "Berlin", "postal_code": "10119", "country": "de"},
    "tax_id": "de 123 456 789",
    "company_id": "HRB 123456",
    "payment": {"iban": "DE89 3704 0044 0532 0130 00", "bic": "cobadeffxxx", "account_name": "Studio Nord GmbH"},
    "default_currency": "eur",
    "default_payment_terms_days": 30,
    "reminders": {"before_due_days": [3], "after_due_days": [14, 1, 7]},
}


def test_a_new_account_has_an_empty_profile_and_reminders_off(client):
    account = client.get("/api/v1/account").json()
    assert account["email"] == "sender@example.com"
    assert account["legal_name"] is None and account["payment"] is None and account["contact_email"] is None
    assert account["reminders"] == {"before_due_days": [], "after_due_days": []}


def test_the_profile_round_trips_normalised(client):
    response = client.patch("/api/v1/account", json=SELLER)
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved == client.get("/api/v1/account").json()
    assert saved["address"]["country"] == "DE"
    assert saved["tax_id"] == "DE123456789"
    assert saved["payment"] == {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX",
                                "account_name": "Studio Nord GmbH"}
    assert saved["default_currency"] == "EUR"
    assert saved["reminders"] == {"before_due_days": [3], "after_due_days": [1, 7, 14]}


def test_a_patch_changes_only_what_it_names(client):
    client.patch("/api/v1/account", json=SELLER)
    saved = client.patch("/api/v1/account", json={"reminders": {"after_due_days": []}, "company_id": None}).json()
    assert saved["reminders"] == {"before_due_days": [3], "after_due_days": []}
    assert saved["company_id"] is None
    assert saved["legal_name"] == "Studio Nord GmbH" and saved["display_name"] == "Studio Nord"


@pytest.mark.parametrize(("patch", "status", "field"), [
    ({"payment": {"iban": "DE89370400440532013001"}}, 422, "payment.iban"),
    ({"payment": {"bic": "NOTABIC"}}, 422, "payment.bic"),
    ({"address": {"country": "Germany"}}, 422, "address.country"),
    ({"address": {"country": "ZZ"}}, 422, "address.country"),
    ({"default_currency": "EUX"}, 422, "default_currency"),
    ({"contact_email": "billing@studio.example\r\nBcc: x@y.z"}, 422, "contact_email"),
    ({"reminders": {"after_due_days": [0]}}, 400, "reminders.after_due_days[0]"),
    ({"default_payment_terms_days": -1}, 400, "default_payment_terms_days"),
    ({"email": "new@example.com"}, 400, "email"),
    ({"iban": "DE89370400440532013000"}, 400, "iban"),
])
def test_a_bad_value_is_refused_naming_its_field(client, patch, status, field):
    response = client.patch("/api/v1/account", json=patch)
    assert (response.status_code, response.json()["field"]) == (status, field), response.text
    assert client.get("/api/v1/account").json()["payment"] is None, "nothing was saved"


def test_the_email_is_read_only_and_the_sentence_says_what_to_use(client):
    response = client.patch("/api/v1/account", json={"email": "new@example.com"})
    assert "read-only" in response.json()["error"] and "contact_email" in response.json()["error"]


def test_the_recipient_sees_the_contact_email_never_the_sign_in_email(client, anonymous, create):
    token = create()["share_token"]
    seen = anonymous.get(f"/api/v1/share/{token}").json()
    assert (seen["sender"]["name"], seen["sender"]["email"]) == (None, None)
    client.patch("/api/v1/account", json={"legal_name": "Studio Nord GmbH", "contact_email": "billing@nord.example"})
    seen = anonymous.get(f"/api/v1/share/{token}")
    sender = seen.json()["sender"]
    assert (sender["name"], sender["email"], sender["legal_name"]) == ("Studio Nord GmbH", "billing@nord.example",
                                                                       "Studio Nord GmbH")
    assert "sender@example.com" not in seen.text
    assert "sender@example.com" not in anonymous.get(f"/i/{token}").text


def test_accounts_are_separate(client, other_auth):
    client.patch("/api/v1/account", json={"legal_name": "Mine Ltd"})
    theirs = client.get("/api/v1/account", headers=other_auth).json()
    assert theirs["email"] == "someone-else@example.com" and theirs["legal_name"] is None
