"""The recipient's share API: authorised by the share token alone."""

import pytest

from tests.conftest import approve


@pytest.fixture
def shared(create):
    """A new invoice and the base path of its share API."""
    invoice = create()
    return invoice, f"/api/v1/share/{invoice['share_token']}"


def test_the_share_url_ends_with_the_token_the_share_api_takes(create):
    invoice = create()
    assert invoice["share_url"] == f"http://invoices.test/i/{invoice['share_token']}"


def test_the_recipient_sees_the_invoice_without_a_key_and_the_first_view_marks_it_viewed(anonymous, client, shared):
    invoice, path = shared
    seen = anonymous.get(path).json()
    assert seen["number"] == invoice["id"] and seen["status"] == "viewed" and seen["viewed_at"]
    assert seen["sender"]["email"] is None and seen["sender"]["name"] is None, "the sign-in email is never shown"
    assert (seen["total_cents"], seen["line_items"][0]["amount_cents"]) == (250000, 250000)
    assert seen["actions"] == ["amend", "comment", "request_changes", "approve"]
    assert "share_token" not in seen and "customer_id" not in seen
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] == "viewed"
    again = anonymous.get(path).json()
    assert (again["status"], again["viewed_at"]) == ("viewed", seen["viewed_at"]), "later views change nothing"


def test_a_sent_invoice_becomes_viewed_too(anonymous, client, shared):
    invoice, path = shared
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    assert anonymous.get(path).json()["status"] == "viewed"


@pytest.mark.parametrize("token", ["nope", "x" * 10_240, "%00", "..", "' OR 1=1 --", "ü" * 40])
def test_unknown_tokens_are_404_never_500(anonymous, token):
    bodies = {"patch": {}, "post": {"version": 1}}
    for method, suffix in [("get", ""), ("get", "/pdf"), ("post", "/approve"), ("patch", "")]:
        response = anonymous.request(method, f"/api/v1/share/{token}{suffix}", json=bodies.get(method))
        assert response.status_code == 404, (method, suffix, response.text)
        assert set(response.json()) == {"error", "field"}


def test_another_invoices_token_reaches_only_that_invoice(anonymous, create):
    first, second = create(), create()
    assert anonymous.get(f"/api/v1/share/{second['share_token']}").json()["number"] == second["id"]
    assert anonymous.get(f"/api/v1/share/{first['share_token']}").json()["number"] == first["id"]


# ------------------------------------------------------------------ amend


def test_the_recipient_corrects_po_number_and_billing_details(anonymous, client, shared):
    invoice, path = shared
    amended = anonymous.patch(path, json={
        "po_number": "PO-7781",
        "recipient": {
            "billing_entity": "Acme Corporation Ltd",
            "address": {"line1": "1 Main St", "city": "Springfield", "country": "US"},
            "ap_contact": {"name": "Payables", "email": "payables@acme.com"},
            "tax_id": "US-99",
        },
    })
    assert amended.status_code == 200, amended.text
    body = amended.json()
    assert body["po_number"] == "PO-7781" and body["recipient"]["tax_id"] == "US-99"
    assert body["recipient"]["company"] == "Acme Corp", "fields not sent are kept"
    assert body["status"] == "draft" and body["revision"] == 1, "an amendment changes no status nor revision"
    sender_view = client.get(f"/api/v1/invoices/{invoice['id']}").json()
    assert sender_view["recipient"]["billing_entity"] == "Acme Corporation Ltd"
    assert sender_view["total_cents"] == invoice["total_cents"]


def test_a_recipient_correction_updates_the_customer_for_the_next_invoice(anonymous, client, create, shared):
    invoice, path = shared
    address = {"line1": "9 New Road", "city": "Lyon", "country": "FR"}
    anonymous.patch(path, json={"recipient": {"address": address, "tax_id": "FR123"}, "po_number": "PO-1"})
    customer = client.get(f"/api/v1/customers/{invoice['customer_id']}").json()
    assert customer["address"] == address and customer["tax_id"] == "FR123"
    following = create()
    assert following["id"] == "ACME-0002"
    assert following["recipient"]["address"] == address and following["recipient"]["tax_id"] == "FR123"
    assert following["po_number"] is None, "a PO number belongs to one invoice only"


@pytest.mark.parametrize(("body", "field"), [
    ({"line_items": [{"description": "x", "quantity": 1, "unit_price_cents": 1}]}, "line_items"),
    ({"due_date": "2030-01-01"}, "due_date"),
    ({"total_cents": 1}, "total_cents"),
    ({"recipient": {"company": "Other Corp"}}, "recipient.company"),
    ({"recipient": {"email": "x@example.com"}}, "recipient.email"),
])
def test_anything_but_po_number_and_billing_details_is_refused_by_name(anonymous, shared, body, field):
    _, path = shared
    response = anonymous.patch(path, json=body)
    assert (response.status_code, response.json()["field"]) == (400, field)
    message = response.json()["error"]
    assert "only the sender can change it" in message and "request-changes" in message
    assert "po_number" in message and "recipient.tax_id" in message


def test_an_unknown_field_lists_what_may_be_changed(anonymous, shared):
    _, path = shared
    response = anonymous.patch(path, json={"purchase_order": "PO-1"})
    assert (response.status_code, response.json()["field"]) == (400, "purchase_order")
    assert "po_number" in response.json()["error"]


def test_an_amendment_that_changes_nothing_is_no_version(anonymous, client, shared):
    invoice, path = shared
    anonymous.patch(path, json={"po_number": None})
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["version"] == 1


# ------------------------------------------------------------------ status actions


def test_request_changes_with_a_reason_that_joins_the_thread(anonymous, client, shared):
    invoice, path = shared
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    response = anonymous.post(f"{path}/request-changes", json={"body": "Please split line 1 by phase."})
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["status"] == "changes_requested"
    assert seen["actions"] == ["amend", "comment", "approve"]
    assert [(c["actor"], c["body"]) for c in seen["comments"]] == [("recipient", "Please split line 1 by phase.")]
    again = anonymous.post(f"{path}/request-changes", json={"body": "again"})
    assert again.status_code == 409
    assert "changes_requested" in again.json()["error"]
    assert client.post(f"/api/v1/invoices/{invoice['id']}/send").json()["status"] == "sent", "changes_requested ↔ sent"


def test_request_changes_needs_a_reason(anonymous, shared):
    _, path = shared
    assert anonymous.post(f"{path}/request-changes", json={}).json()["field"] == "body"
    blank = anonymous.post(f"{path}/request-changes", json={"body": "   "})
    assert (blank.status_code, blank.json()["field"]) == (422, "body")


def test_approve_locks_the_invoice(anonymous, client, shared):
    invoice, path = shared
    approved = approve(anonymous, path)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["approved_at"]
    assert approved.json()["actions"] == ["comment"]
    number = invoice["id"]
    locked = client.patch(f"/api/v1/invoices/{number}", json={"po_number": "late"})
    assert locked.status_code == 409 and "locked" in locked.json()["error"]
    assert anonymous.patch(path, json={"po_number": "late"}).status_code == 409
    twice = approve(anonymous, path)
    assert twice.status_code == 409
    assert "approved" in twice.json()["error"]
    assert anonymous.post(f"{path}/request-changes", json={"body": "too late"}).status_code == 409
    assert client.post(f"/api/v1/invoices/{number}/mark-paid").json()["status"] == "paid"


@pytest.mark.parametrize("action", ["void", "mark-paid"])
def test_the_recipient_cannot_act_on_void_or_paid_invoices_but_may_still_read_and_comment(anonymous, client, shared, action):
    invoice, path = shared
    client.post(f"/api/v1/invoices/{invoice['id']}/{action}")
    state = anonymous.get(path).json()["status"]
    for verb, suffix, body in [("post", "/approve", {"version": 1}), ("post", "/request-changes", {"body": "x"}),
                               ("patch", "", {"po_number": "x"})]:
        response = anonymous.request(verb, f"{path}{suffix}", json=body)
        assert response.status_code == 409, (suffix, response.text)
        assert state in response.json()["error"]
    assert anonymous.post(f"{path}/comments", json={"body": "Thanks!"}).status_code == 201


def test_approval_needs_a_po_number_when_the_customer_requires_one(anonymous, client, invoice_body):
    customer = client.post("/api/v1/customers", json={"company": "Acme Corp", "po_required": True}).json()
    invoice = client.post("/api/v1/invoices", json={**invoice_body, "customer_id": customer["id"]}).json()
    path = f"/api/v1/share/{invoice['share_token']}"
    assert anonymous.get(path).json()["po_required"] is True
    refused = approve(anonymous, path)
    assert (refused.status_code, refused.json()["field"]) == (422, "po_number")
    assert "PO number" in refused.json()["error"]
    assert anonymous.get(path).json()["status"] == "viewed", "nothing was approved"
    anonymous.patch(path, json={"po_number": "PO-7781"})
    assert approve(anonymous, path).json()["status"] == "approved"


def test_approval_without_the_version_reviewed_is_refused(anonymous, shared):
    """No approval covers content its recipient may not have been shown."""
    _, path = shared
    for body in (None, {}, {"revision": 1}):
        refused = anonymous.post(f"{path}/approve", json=body)
        assert refused.status_code == 400, refused.text
        assert anonymous.get(path).json()["status"] == "viewed", "nothing was approved"
    assert refused.json()["field"] == "version"


def test_a_revision_sent_with_the_version_must_match_too(anonymous, client, shared):
    invoice, path = shared
    client.post(f"/api/v1/invoices/{invoice['id']}/send")
    reviewed = anonymous.get(path).json()["revision"]
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"tax": {"name": "VAT", "rate": 20}})
    current = anonymous.get(path).json()["version"]
    stale = anonymous.post(f"{path}/approve", json={"version": current, "revision": reviewed})
    assert (stale.status_code, stale.json()["field"]) == (409, "revision")
    assert "revision 2" in stale.json()["error"]
    approved = anonymous.post(f"{path}/approve", json={"version": current, "revision": 2})
    assert approved.json()["status"] == "approved"


def test_recipient_actions_are_versions_by_the_recipient(anonymous, client, shared):
    invoice, path = shared
    anonymous.get(path)
    anonymous.patch(path, json={"po_number": "PO-1"})
    anonymous.post(f"{path}/comments", json={"body": "Looks good", "author_name": "Jane"})
    approve(anonymous, path)
    versions = client.get(f"/api/v1/invoices/{invoice['id']}/versions").json()["data"]
    assert [(v["version"], v["actor"], v["action"]) for v in versions] == [
        (5, "recipient", "approve"), (4, "recipient", "comment"), (3, "recipient", "amend"),
        (2, "recipient", "view"), (1, "sender", "create"),
    ]
    assert versions[2]["changes"] == [{"field": "po_number", "before": None, "after": "PO-1"}]
    assert versions[1]["changes"] == [
        {"field": "comment", "before": None, "after": {"author_name": "Jane", "body": "Looks good"}}
    ]


def test_the_share_operations_need_no_key_and_every_other_operation_does():
    from app import spec

    for path, _, operation in spec.operations(spec.load()):
        recipient_side = path.startswith("/share/")
        assert (operation.get("security") == []) is recipient_side, operation["operationId"]


def test_approval_is_of_exactly_the_version_reviewed(anonymous, client, create):
    """A recipient who reviewed the invoice at one price cannot approve it at another,
    nor after an amendment they did not see: 409 naming what changed."""
    invoice = create()
    share = f"/api/v1/share/{invoice['share_token']}"
    reviewed = anonymous.get(share).json()["version"]
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"footer_note": "Pay within 7 days"})
    refused = anonymous.post(f"{share}/approve", json={"version": reviewed})
    assert refused.status_code == 409 and "footer_note" in refused.json()["error"]
    assert client.get(f"/api/v1/invoices/{invoice['id']}").json()["status"] != "approved"
    again = anonymous.get(share).json()["version"]
    assert anonymous.post(f"{share}/approve", json={"version": again}).status_code == 200


def test_a_comment_since_the_review_does_not_block_approval(anonymous, client, create):
    invoice = create()
    share = f"/api/v1/share/{invoice['share_token']}"
    reviewed = anonymous.get(share).json()["version"]
    client.post(f"/api/v1/invoices/{invoice['id']}/comments", json={"body": "Any questions?"})
    assert anonymous.post(f"{share}/approve", json={"version": reviewed}).status_code == 200


def test_the_share_pages_approve_form_carries_the_version_shown(anonymous, client, create):
    invoice = create()
    page = anonymous.get(f"/i/{invoice['share_token']}").text
    shown = int(page.split('name="version" value="')[1].split('"')[0])
    client.patch(f"/api/v1/invoices/{invoice['id']}", json={"line_items": [
        {"description": "Brand identity system", "quantity": 1, "unit_price_cents": 999999}]})
    answer = anonymous.post(f"/i/{invoice['share_token']}/approve", data={"version": str(shown)})
    assert answer.status_code == 409 and "line_items" in answer.text
