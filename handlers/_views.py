"""What handlers return: the JSON shapes of openapi.yaml, built from storage records."""

from billing.totals import compute_totals
from storage import Page

_TIMESTAMPS = ("created_at", "updated_at", "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at")


def share_url(public_url: str, token: str) -> str:
    return f"{public_url}/i/{token}"


def invoice(record: dict, public_url: str) -> dict:
    content = record["content"]
    totals = compute_totals(content["line_items"], content["discount"], content["tax"])
    return {
        "id": record["number"],
        "status": record["status"],
        "currency": content["currency"],
        "customer_id": record["customer_id"],
        "recipient": content["recipient"],
        "line_items": [
            {**item, "amount_cents": amount} for item, amount in zip(content["line_items"], totals.line_amounts)
        ],
        "discount": content["discount"],
        "tax": content["tax"],
        "issue_date": content["issue_date"],
        "due_date": content["due_date"],
        "po_number": content["po_number"],
        "footer_note": content["footer_note"],
        "subtotal_cents": totals.subtotal,
        "discount_cents": totals.discount,
        "tax_cents": totals.tax,
        "total_cents": totals.total,
        "version": record["version"],
        **{name: record[name] for name in _TIMESTAMPS},
        "share_token": record["share_token"],
        "share_url": share_url(public_url, record["share_token"]),
    }


def page(result: Page, view) -> dict:
    return {"data": [view(row) for row in result.rows], "next_cursor": result.next_cursor}
