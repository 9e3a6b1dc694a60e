"""One scenario through both doors, for two fresh accounts: REST and MCP must
give the same JSON, field by field, successes and errors alike. Only what must
differ between two accounts is set aside: ids the database assigns, share
tokens and links, cursors and the clock's timestamps (their presence must match)."""

from app import spec
from tests.conftest import PAGE_EXAMPLE
from tests.mcp.conftest import call

VARYING = {"share_token", "share_url", "customer_id", "next_cursor", "created_at", "updated_at",
           "sent_at", "viewed_at", "approved_at", "paid_at", "voided_at"}


def comparable(value):
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: ("<varies>" if item is not None else None)
        if key in VARYING or (key == "id" and isinstance(item, int))  # a customer's id; an invoice's is its number
        else comparable(item)
        for key, item in value.items()
    }


def rest_caller(client):
    """Call an operation over REST with tool-style arguments, placed as the spec says."""
    api = spec.resolved()
    base = api["servers"][0]["url"]
    located = {op["operationId"]: (path, method, op) for path, method, op in spec.operations(api)}

    async def rest(operation_id: str, **arguments):
        path, method, operation = located[operation_id]
        url, query = base + path, {}
        for parameter in spec.parameters(api, path, operation):
            name = parameter["name"]
            if name in arguments:
                value = arguments.pop(name)
                if parameter["in"] == "path":
                    url = url.replace("{" + name + "}", str(value))
                else:
                    query[name] = value
        body = {"json": arguments} if "requestBody" in operation else {}
        response = client.request(method.upper(), url, params=query, **body)
        return response.status_code, response.json()

    return rest


async def scenario(call) -> list:
    results = []

    async def step(operation_id, **arguments):
        results.append((operation_id, *await call(operation_id, **arguments)))
        return results[-1][2]

    customer = await step("create_customer", company="Globex Corporation", po_required=True,
                          contact={"name": "Hank Scorpio", "email": "hank@globex.io"}, cc_emails=["books@globex.io"])
    await step("create_invoice", **PAGE_EXAMPLE)
    await step("create_invoice", customer_id=customer["id"], due_date="2026-07-15", currency="eur",
               line_items=[{"description": "Consulting (hours)", "quantity": 12.5, "unit_price_cents": 15000},
                           {"description": "Credit", "quantity": 1, "unit_price_cents": -2500}],
               discount={"type": "percent", "value": 10}, tax={"name": "VAT", "rate": 8.875})
    await step("create_invoice", customer_id=999999, due_date="2026-07-15",
               line_items=[{"description": "x", "quantity": 1, "unit_price_cents": 1}])  # 422
    await step("create_invoice", **{**PAGE_EXAMPLE, "line_items": [{"description": "x", "quantity": "1", "unit_price_cents": 1}]})
    await step("create_invoice", **{**PAGE_EXAMPLE, "total_cents": 5})  # read-only
    await step("list_invoices", limit=1)
    await step("list_invoices", customer_id=customer["id"])
    await step("list_invoices", cursor="not-one-of-ours")
    await step("get_invoice", number="GLOBEX-0001")
    await step("get_invoice", number="NOPE-0001")
    await step("update_invoice", number="ACME-0001", po_number="PO-7781", recipient={"tax_id": "GB123", "email": None},
               line_items=[{"description": "Brand identity system", "quantity": 1.5, "unit_price_cents": 250000}])
    await step("update_invoice", number="ACME-0001", discount={"type": "flat", "value": 5})
    await step("send_invoice", number="ACME-0001")
    await step("send_invoice", number="ACME-0001")  # 409: already sent
    await step("record_payment", number="ACME-0001", amount_cents=100000, method="bank_transfer", reference="TRX-1")
    await step("record_payment", number="ACME-0001", amount_cents=10**12, method="card")  # 422: above what is due
    await step("record_payment", number="GLOBEX-0001", amount_cents=100, method="cash")  # 409: a draft
    await step("record_payment", number="ACME-0001", amount_cents=100, method="wire")  # 400
    await step("list_payments", number="ACME-0001")
    await step("list_payments", number="ACME-0001", cursor="not-one-of-ours")
    await step("mark_invoice_paid", number="ACME-0001")
    await step("update_invoice", number="ACME-0001", po_number="too late")  # 409: locked
    await step("list_payments", number="ACME-0001")  # the rest, recorded by mark-paid
    await step("void_invoice", number="GLOBEX-0001")
    await step("list_customers")
    await step("get_customer", id=customer["id"])
    await step("get_customer", id=999999)
    return results


async def test_rest_and_mcp_answer_alike(client, other_tools):
    rest = await scenario(rest_caller(client))
    async with other_tools:
        mcp = await scenario(lambda name, **arguments: call(other_tools, name, **arguments))
    assert {status for _, status, _ in rest} >= {200, 201, 400, 404, 409, 422}, "the scenario covers every outcome"
    for (operation, rest_status, rest_body), (_, mcp_status, mcp_body) in zip(rest, mcp, strict=True):
        assert (operation, mcp_status) == (operation, rest_status)
        assert comparable(mcp_body) == comparable(rest_body), operation
