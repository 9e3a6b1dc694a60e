"""Versions: every change recorded with who, when and what; revert undoes one
change as a new version; financial changes start new revisions."""

LINE_EDIT = [{"description": "Brand identity system, phase 1", "quantity": 1, "unit_price_cents": 200000}]


def versions(client, number, **params):
    return client.get(f"/api/v1/invoices/{number}/versions", params=params).json()


def test_every_sender_change_is_a_version_with_a_field_level_diff(client, create):
    number = create()["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"po_number": "PO-1", "recipient": {"tax_id": "DE1"}})
    client.post(f"/api/v1/invoices/{number}/send")
    page = versions(client, number)
    assert page["next_cursor"] is None
    newest, patch, created = page["data"]
    assert (created["version"], created["action"], created["changes"]) == (1, "create", [])
    assert (patch["actor"], patch["action"], patch["reverts"]) == ("sender", "update", None)
    assert patch["changes"] == [
        {"field": "recipient.tax_id", "before": None, "after": "DE1"},
        {"field": "po_number", "before": None, "after": "PO-1"},
    ]
    assert newest["action"] == "send"
    assert newest["changes"] == [{"field": "status", "before": "draft", "after": "sent"}]
    assert newest["created_at"].endswith("Z")


def test_versions_are_paginated_newest_first(client, create):
    number = create()["id"]
    for n in range(4):
        client.post(f"/api/v1/invoices/{number}/comments", json={"body": f"note {n}"})
    first = versions(client, number, limit=2)
    second = versions(client, number, limit=2, cursor=first["next_cursor"])
    third = versions(client, number, limit=2, cursor=second["next_cursor"])
    seen = [v["version"] for page in (first, second, third) for v in page["data"]]
    assert seen == [5, 4, 3, 2, 1] and third["next_cursor"] is None
    bad = client.get(f"/api/v1/invoices/{number}/versions", params={"cursor": "made-up"})
    assert (bad.status_code, bad.json()["field"]) == (400, "cursor")


def test_another_accounts_history_is_invisible(client, create, other_auth):
    number = create()["id"]
    for path in (f"/api/v1/invoices/{number}/versions", f"/api/v1/invoices/{number}/comments"):
        assert client.get(path, headers=other_auth).status_code == 404
    assert client.post(f"/api/v1/invoices/{number}/versions/1/revert", headers=other_auth).status_code == 404


def test_reverting_the_recipients_address_fix_keeps_the_senders_later_line_edit(client, anonymous, create):
    invoice = create(recipient={"company": "Acme Corp", "address": {"line1": "1 Old St", "city": "Paris"}})
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    anonymous.patch(share, json={"recipient": {"address": {"line1": "2 New St", "city": "Lyon"}}})  # version 2
    client.patch(f"/api/v1/invoices/{number}", json={"line_items": LINE_EDIT})  # version 3
    reverted = client.post(f"/api/v1/invoices/{number}/versions/2/revert")
    assert reverted.status_code == 200, reverted.text
    body = reverted.json()
    assert body["recipient"]["address"] == {"line1": "1 Old St", "city": "Paris"}
    assert body["line_items"][0]["description"] == "Brand identity system, phase 1"
    assert body["total_cents"] == 200000
    assert body["version"] == 4
    newest = versions(client, number)["data"][0]
    assert (newest["action"], newest["actor"], newest["reverts"]) == ("revert", "sender", 2)
    assert newest["changes"] == [{
        "field": "recipient.address",
        "before": {"line1": "2 New St", "city": "Lyon"},
        "after": {"line1": "1 Old St", "city": "Paris"},
    }]
    assert [v["version"] for v in versions(client, number)["data"]] == [4, 3, 2, 1], "history is never rewritten"


def test_reverting_a_line_edit_restores_the_lines_and_their_totals(client, create):
    number = create()["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"line_items": LINE_EDIT, "po_number": "PO-9"})
    body = client.post(f"/api/v1/invoices/{number}/versions/2/revert").json()
    assert (body["line_items"][0]["description"], body["total_cents"]) == ("Brand identity system", 250000)
    assert body["po_number"] is None, "every field that version touched comes back"


def test_versions_with_nothing_to_revert_are_422_with_a_reason(client, create):
    number = create()["id"]
    client.post(f"/api/v1/invoices/{number}/send")  # version 2: a status change
    client.post(f"/api/v1/invoices/{number}/comments", json={"body": "hello"})  # version 3: a comment
    for version, words in [(1, "created the invoice"), (2, "nothing to revert"), (3, "nothing to revert")]:
        response = client.post(f"/api/v1/invoices/{number}/versions/{version}/revert")
        assert (response.status_code, response.json()["field"]) == (422, "version"), version
        assert words in response.json()["error"]


def test_reverting_twice_is_422_not_a_silent_second_version(client, create):
    number = create()["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"po_number": "PO-1"})
    assert client.post(f"/api/v1/invoices/{number}/versions/2/revert").status_code == 200
    again = client.post(f"/api/v1/invoices/{number}/versions/2/revert")
    assert again.status_code == 422 and "already hold" in again.json()["error"]


def test_a_revert_that_would_break_a_rule_is_422(client, create):
    number = create(issue_date="2026-05-01", due_date="2026-06-01")["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"issue_date": "2026-03-01"})  # v2
    client.patch(f"/api/v1/invoices/{number}", json={"due_date": "2026-04-15"})  # v3
    # Undoing v2 alone would put the issue date back to May, after the due date v3 set.
    response = client.post(f"/api/v1/invoices/{number}/versions/2/revert")
    assert (response.status_code, response.json()["field"]) == (422, "issue_date")
    assert "before issue_date" in response.json()["error"]
    assert client.get(f"/api/v1/invoices/{number}").json()["version"] == 3


def test_reverting_a_locked_invoice_is_409_and_an_unknown_version_404(client, create):
    number = create()["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"po_number": "PO-1"})
    missing = client.post(f"/api/v1/invoices/{number}/versions/9/revert")
    assert (missing.status_code, missing.json()["field"]) == (404, "version")
    client.post(f"/api/v1/invoices/{number}/void")
    locked = client.post(f"/api/v1/invoices/{number}/versions/2/revert")
    assert locked.status_code == 409 and "locked" in locked.json()["error"]


# ------------------------------------------------------------------ revisions


def test_a_financial_change_after_the_recipient_viewed_starts_revision_2_back_in_sent(client, anonymous, create):
    invoice = create()
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    client.post(f"/api/v1/invoices/{number}/send")
    anonymous.get(share)
    changed = client.patch(f"/api/v1/invoices/{number}", json={"line_items": LINE_EDIT}).json()
    assert (changed["status"], changed["revision"], changed["viewed_at"]) == ("sent", 2, None)
    change = versions(client, number)["data"][0]["changes"]
    assert {"field": "revision", "before": 1, "after": 2} in change
    assert {"field": "status", "before": "viewed", "after": "sent"} in change
    seen = anonymous.get(share).json()
    assert (seen["status"], seen["revision"]) == ("viewed", 2), "the new revision is viewed afresh"


def test_a_financial_change_answers_a_request_for_changes_with_a_new_revision(client, anonymous, create):
    invoice = create()
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    client.post(f"/api/v1/invoices/{number}/send")
    anonymous.post(f"{share}/request-changes", json={"body": "10% off as agreed?"})
    changed = client.patch(f"/api/v1/invoices/{number}", json={"discount": {"type": "percent", "value": 10}}).json()
    assert (changed["status"], changed["revision"], changed["total_cents"]) == ("sent", 2, 225000)


def test_amendments_and_draft_edits_keep_the_revision(client, anonymous, create):
    invoice = create()
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    draft = client.patch(f"/api/v1/invoices/{number}", json={"line_items": LINE_EDIT}).json()
    assert (draft["status"], draft["revision"]) == ("draft", 1), "nobody has seen a draft"
    anonymous.get(share)
    amended = client.patch(f"/api/v1/invoices/{number}", json={"po_number": "PO-3", "footer_note": "Thanks"}).json()
    assert (amended["status"], amended["revision"]) == ("viewed", 1)


def test_reverting_a_financial_change_on_a_seen_invoice_is_a_new_revision_too(client, anonymous, create):
    invoice = create()
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    client.post(f"/api/v1/invoices/{number}/send")
    client.patch(f"/api/v1/invoices/{number}", json={"due_date": "2026-07-01"})  # v3, revision 2
    anonymous.get(share)
    reverted = client.post(f"/api/v1/invoices/{number}/versions/3/revert").json()
    assert (reverted["due_date"], reverted["status"], reverted["revision"]) == ("2026-06-01", "sent", 3)
