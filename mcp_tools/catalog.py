"""tools.json, the MCP tools derived from openapi.yaml (see scripts/gen_mcp_tools.py)."""

import json
from functools import cache
from pathlib import Path

TOOLS_PATH = Path(__file__).resolve().parent / "tools.json"


def argument_name(parameter: dict) -> str:
    """A parameter's name as a tool argument. Path and query parameters keep theirs;
    a header's becomes a plain identifier (Idempotency-Key → idempotency_key), the
    name its handler argument has too, which every client can pass and model spell."""
    if parameter["in"] == "header":
        return parameter["name"].lower().replace("-", "_")
    return parameter["name"]


@cache
def load() -> tuple[dict, ...]:
    """The tool definitions, in the spec's order. Loaded once: validators are
    compiled per schema object, so the schemas must live as long as the app."""
    return tuple(json.loads(TOOLS_PATH.read_text(encoding="utf-8")))
