"""tools.json, the MCP tools derived from openapi.yaml (see scripts/gen_mcp_tools.py)."""

import json
from functools import cache
from pathlib import Path

TOOLS_PATH = Path(__file__).resolve().parent / "tools.json"


@cache
def load() -> tuple[dict, ...]:
    """The tool definitions, in the spec's order. Loaded once: validators are
    compiled per schema object, so the schemas must live as long as the app."""
    return tuple(json.loads(TOOLS_PATH.read_text(encoding="utf-8")))
