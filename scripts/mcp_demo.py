"""Replay a short agent conversation against a running server's MCP endpoint,
with the official MCP client, printing each tool call and its result.

    .venv/bin/python -m scripts.mcp_demo --key "$KEY" [--url http://127.0.0.1:8000/mcp]

The tool calls are the ones a model makes for the page's example request,
including a first attempt with a misnamed field that the error sentence fixes.
README.md ("For agents: the MCP server") shows its output; a test runs it.
"""

import argparse
import json
import os
import sys
from datetime import date, timedelta

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import TextContent

from mcp_tools.server import STATUS_META

# What the transcript shows of an invoice; the tool returns all of it.
SHOWN = ("id", "status", "po_number", "due_date", "subtotal_cents", "tax_cents", "total_cents", "share_url")


def conversation(today: date) -> list:
    """The user's requests, each followed by the tool calls an agent makes for it
    (a call's arguments may use the invoice the previous calls returned)."""
    due = (today + timedelta(days=30)).isoformat()
    design = {"description": "Design work", "quantity": 1}
    return [
        "Create an invoice for $2,500 in design work for Acme Corp, due in 30 days.",
        ("create_invoice", lambda invoice: {"recipient": {"company": "Acme Corp"}, "due_date": due,
                                            "line_items": [{**design, "unit_price": 250000}]}),
        ("create_invoice", lambda invoice: {"recipient": {"company": "Acme Corp"}, "due_date": due,
                                            "line_items": [{**design, "unit_price_cents": 250000}]}),
        "Add their PO number PO-7781 and 8.875% sales tax, then send it.",
        ("update_invoice", lambda invoice: {"number": invoice["id"], "po_number": "PO-7781",
                                            "tax": {"name": "Sales tax", "rate": 8.875}}),
        ("send_invoice", lambda invoice: {"number": invoice["id"]}),
    ]


def _shown(body: dict) -> dict:
    return {name: body[name] for name in SHOWN if name in body} if "id" in body else body


async def replay(url: str, key: str, today: date, say=print) -> list[tuple[int, dict]]:
    """Run the conversation; return each call's (status, body)."""
    results: list[tuple[int, dict]] = []
    invoice: dict = {}
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        for turn in conversation(today):
            if isinstance(turn, str):
                say(f"\nuser  > {turn}")
                continue
            name, arguments_for = turn
            arguments = arguments_for(invoice)
            say(f"agent > {name} {json.dumps(arguments)}")
            result = await client.call_tool(name, arguments)
            (text,) = (block.text for block in result.content if isinstance(block, TextContent))
            status, body = (result.meta or {})[STATUS_META], json.loads(text)
            say(f"tool  < {'isError ' if result.is_error else ''}{status} {json.dumps(_shown(body))}")
            if not result.is_error:
                invoice = body
            results.append((status, body))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/mcp")
    parser.add_argument("--key", default=os.environ.get("KEY"), help="an API key (default: $KEY)")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("pass --key jk_live_… or set $KEY (mint one with `jupiter-invoice keys create`)")
    results = anyio.run(replay, args.url, args.key, date.today())
    return 0 if results[-1][0] == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
