"""A draft made by mistake can be deleted, and its number goes to the next invoice;
anything else is voided instead, so the numbering never keeps a hole."""


def test_the_latest_draft_is_deleted_and_its_number_reused(client, create):
    first = create()
    mistake = create()
    response = client.delete(f"/api/v1/invoices/{mistake['id']}")
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"/api/v1/invoices/{mistake['id']}").status_code == 404
    assert create()["id"] == mistake["id"] == "ACME-0002"
    assert first["id"] == "ACME-0001"


def test_an_earlier_draft_is_a_409_saying_to_void_it(client, create):
    earlier = create()
    create()
    response = client.delete(f"/api/v1/invoices/{earlier['id']}")
    assert response.status_code == 409 and "Void it instead" in response.json()["error"]


def test_a_sent_invoice_is_a_409_even_back_in_draft(client, create):
    invoice = create()
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    response = client.delete(f"/api/v1/invoices/{invoice['id']}")
    assert response.status_code == 409 and "void" in response.json()["error"]


def test_another_accounts_draft_is_a_404(client, create, other_auth):
    invoice = create()
    assert client.delete(f"/api/v1/invoices/{invoice['id']}", headers=other_auth).status_code == 404
    assert client.get(f"/api/v1/invoices/{invoice['id']}").status_code == 200


def test_a_draft_with_comments_and_versions_is_deleted_whole(client, create):
    invoice = create()
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"po_number": "PO-1"})
    client.post(f"/api/v1/invoices/{invoice['id']}/comments", json={"body": "note"})
    assert client.delete(f"/api/v1/invoices/{invoice['id']}").status_code == 204
    again = create()
    assert again["id"] == invoice["id"] and again["version"] == 1
    assert client.get(f"/api/v1/invoices/{again['id']}/comments").json()["data"] == []
