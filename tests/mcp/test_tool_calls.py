"""Tool calls through the official client, in memory: the page's seven tools,
the status actions, and every kind of failure as `isError` with the REST body."""

import pytest
from mcp.shared.exceptions import MCPError

from tests.conftest import PAGE_EXAMPLE
from tests.mcp.conftest import call


async def test_the_client_sees_exactly_the_tools_of_tools_json(app, tools):
    async with tools:
        listed = (await tools.list_tools()).tools
    assert [tool.name for tool in listed] == list(app.state.mcp_tools.operations)
    create = next(tool for tool in listed if tool.name == "create_invoice")
    assert create.input_schema == app.state.mcp_tools.tools[0]["inputSchema"]
    assert create.annotations.read_only_hint is False and create.annotations.destructive_hint is False


async def test_the_pages_seven_tools(tools):
    async with tools:
        status, customer = await call(tools, "create_customer", company="Globex Corporation", po_required=True,
                                      ap_contact={"name": "AP", "email": "ap@globex.io"})
        assert status == 201 and customer["code"] == "GLOBEX" and customer["po_required"] is True

        status, invoice = await call(tools, "create_invoice", **PAGE_EXAMPLE)
        assert status == 201
        assert invoice["id"] == "ACME-0001" and invoice["status"] == "draft" and invoice["total_cents"] == 250000
        assert invoice["share_url"].endswith("/i/" + invoice["share_token"])

        status, updated = await call(tools, "update_invoice", number="acme-0001", po_number="PO-7781",
                                     tax={"name": "Sales tax", "rate": 8.875})
        assert status == 200 and updated["po_number"] == "PO-7781"
        assert updated["tax_cents"] == 22188 and updated["total_cents"] == 272188  # 2500.00 × 8.875% = 221.875 → 221.88

        assert await call(tools, "get_invoice", number="ACME-0001") == (200, updated)

        status, page = await call(tools, "list_invoices", limit=10)
        assert status == 200 and page == {"data": [updated], "next_cursor": None}

        status, customers = await call(tools, "list_customers")
        assert [c["company"] for c in customers["data"]] == ["Acme Corp", "Globex Corporation"]
        assert await call(tools, "get_customer", id=customer["id"]) == (200, customer)


async def test_status_actions(tools):
    async with tools:
        await call(tools, "create_invoice", **PAGE_EXAMPLE)
        await call(tools, "create_invoice", **PAGE_EXAMPLE)
        status, sent = await call(tools, "send_invoice", number="ACME-0001")
        assert status == 200 and sent["status"] == "sent" and sent["sent_at"].endswith("Z")
        status, paid = await call(tools, "mark_invoice_paid", number="ACME-0001")
        assert status == 200 and paid["status"] == "paid" and paid["paid_at"]
        status, void = await call(tools, "void_invoice", number="ACME-0002")
        assert status == 200 and void["status"] == "void" and void["voided_at"]
        status, listed = await call(tools, "list_invoices", status="paid")
        assert [invoice["id"] for invoice in listed["data"]] == ["ACME-0001"]


async def test_numbers_are_exact_though_mcp_arguments_arrive_as_floats(tools):
    line = {"description": "Rounding", "quantity": 1.005, "unit_price_cents": 100}
    async with tools:
        status, invoice = await call(tools, "create_invoice", **{**PAGE_EXAMPLE, "line_items": [line]})
    assert status == 201 and invoice["line_items"][0]["quantity"] == 1.005
    assert invoice["line_items"][0]["amount_cents"] == 101, "1.005 × 100 = 100.5 rounds half up, not to 100"


@pytest.mark.parametrize(("arguments", "error", "field"), [
    ({**PAGE_EXAMPLE, "line_items": [{"description": "Design", "quantity": 1, "unit_price": 5000}]},
     "Unknown field 'unit_price' in line_items[0]; did you mean 'unit_price_cents'?", "line_items[0].unit_price"),
    ({**PAGE_EXAMPLE, "due_date": 20260601}, "due_date must be a string, not an integer.", "due_date"),
    ({**PAGE_EXAMPLE, "line_items": [{"description": "x", "quantity": 0, "unit_price_cents": 1}]},
     "line_items[0].quantity must be greater than 0.", "line_items[0].quantity"),
    ({key: value for key, value in PAGE_EXAMPLE.items() if key != "due_date"}, "due_date is required.", "due_date"),
    ({**PAGE_EXAMPLE, "status": "paid"},
     "status is read-only; change it with send_invoice, void_invoice or mark_invoice_paid (POST /api/v1/invoices/{number}/send, /void or /mark-paid).", "status"),
    ({**PAGE_EXAMPLE, "due_date": "2026-05-01", "issue_date": "2026-06-01"},
     "due_date 2026-05-01 is before issue_date 2026-06-01; an invoice cannot be due before it is issued.", "issue_date"),
])
async def test_a_bad_call_is_an_error_result_naming_the_field(tools, arguments, error, field):
    async with tools:
        status, body = await call(tools, "create_invoice", **arguments)
    assert status in (400, 422)
    assert body == {"error": error, "field": field}


async def test_another_accounts_invoice_is_not_found(tools, other_tools):
    async with tools, other_tools:
        await call(tools, "create_invoice", **PAGE_EXAMPLE)
        assert await call(other_tools, "get_invoice", number="ACME-0001") == (
            404, {"error": "There is no invoice ACME-0001.", "field": "number"})
        status, _ = await call(other_tools, "void_invoice", number="ACME-0001")
        assert status == 404
        assert await call(other_tools, "list_invoices") == (200, {"data": [], "next_cursor": None})


async def test_a_locked_invoice_refuses_changes(tools):
    async with tools:
        await call(tools, "create_invoice", **PAGE_EXAMPLE)
        await call(tools, "void_invoice", number="ACME-0001")
        status, body = await call(tools, "update_invoice", number="ACME-0001", po_number="PO-1")
        assert status == 409 and body["field"] is None and "locked" in body["error"]
        status, body = await call(tools, "send_invoice", number="ACME-0001")
        assert status == 409 and "void and cannot become sent" in body["error"]


async def test_a_failure_of_ours_is_a_500_result_not_a_broken_connection(tools, services, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.invoices, "get", broken)
    async with tools:
        status, body = await call(tools, "get_invoice", number="ACME-0001")
        assert (status, body["field"]) == (500, None) and "disk" not in body["error"]
        assert (await call(tools, "list_invoices"))[0] == 200, "the session carries on"
    assert "disk on fire" in caplog.text


async def test_an_unknown_tool_is_a_protocol_error(tools):
    async with tools:
        with pytest.raises(MCPError, match="There is no tool 'delete_everything'"):
            await tools.call_tool("delete_everything", {})


async def test_an_idempotency_key_makes_a_retried_call_safe_across_both_doors(tools, client):
    retry = {"idempotency_key": "5f0c6e1e-retry"}
    async with tools:
        first = await call(tools, "create_invoice", **PAGE_EXAMPLE, **retry)
        assert first[0] == 201
        assert await call(tools, "create_invoice", **PAGE_EXAMPLE, **retry) == first, "the first answer, again"
        assert len((await call(tools, "list_invoices"))[1]["data"]) == 1, "and nothing ran twice"
        status, body = await call(tools, "create_invoice", **{**PAGE_EXAMPLE, "due_date": "2026-07-01"}, **retry)
        assert (status, body["field"]) == (422, "Idempotency-Key")
    rest = client.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers={"Idempotency-Key": retry["idempotency_key"]})
    assert (rest.status_code, rest.json()) == first, "REST and MCP fingerprint a request alike"
