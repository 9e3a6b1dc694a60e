"""The comment thread: both sides write, both sides read it, oldest first."""


def test_both_sides_comments_form_one_thread_oldest_first(client, anonymous, create):
    invoice = create()
    number, share = invoice["id"], f"/api/v1/share/{invoice['share_token']}"
    mine = client.post(f"/api/v1/invoices/{number}/comments", json={"body": "Hi! Any questions, just ask."})
    assert mine.status_code == 201, mine.text
    assert (mine.json()["actor"], mine.json()["author_name"]) == ("sender", None)
    theirs = anonymous.post(f"{share}/comments", json={"body": "  Can we pay in two parts?  ", "author_name": " Jane "})
    assert theirs.status_code == 201, theirs.text
    assert (theirs.json()["body"], theirs.json()["author_name"]) == ("Can we pay in two parts?", "Jane")
    thread = client.get(f"/api/v1/invoices/{number}/comments").json()
    assert [(c["actor"], c["body"]) for c in thread["data"]] == [
        ("sender", "Hi! Any questions, just ask."), ("recipient", "Can we pay in two parts?"),
    ]
    assert thread["next_cursor"] is None
    assert anonymous.get(share).json()["comments"] == thread["data"]


def test_the_thread_is_paginated_forward_in_time(client, create):
    number = create()["id"]
    for n in range(5):
        client.post(f"/api/v1/invoices/{number}/comments", json={"body": f"comment {n}"})
    first = client.get(f"/api/v1/invoices/{number}/comments", params={"limit": 3}).json()
    rest = client.get(f"/api/v1/invoices/{number}/comments", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [c["body"] for c in first["data"] + rest["data"]] == [f"comment {n}" for n in range(5)]
    assert rest["next_cursor"] is None


def test_comments_need_text_and_unknown_invoices_are_404(client, anonymous, create):
    number = create()["id"]
    for body, status, field in [({}, 400, "body"), ({"body": ""}, 400, "body"), ({"body": "x" * 5001}, 400, "body"),
                                ({"body": "hi", "author": "Jane"}, 400, "author"), ({"body": " \n "}, 422, "body")]:
        response = client.post(f"/api/v1/invoices/{number}/comments", json=body)
        assert (response.status_code, response.json()["field"]) == (status, field), body
    assert client.post("/api/v1/invoices/NOPE-0001/comments", json={"body": "hi"}).status_code == 404
    assert anonymous.post("/api/v1/share/nope/comments", json={"body": "hi"}).status_code == 404


def test_the_sender_may_comment_on_a_locked_invoice(client, create):
    number = create()["id"]
    client.post(f"/api/v1/invoices/{number}/mark-paid")
    assert client.post(f"/api/v1/invoices/{number}/comments", json={"body": "Thanks for paying!"}).status_code == 201
