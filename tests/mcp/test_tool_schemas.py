"""Every tool's input and output schema compiles in Ajv's strict mode (JSON Schema
2020-12), the validator many MCP clients run, and each input example passes it.

Strict mode turns what Ajv would otherwise let by into errors: unknown keywords,
a `required` property defined nowhere beside it, a keyword for a type the schema
does not declare. Ajv is installed pinned into .cache/ajv by `make test`."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mcp_tools import catalog

ROOT = Path(__file__).resolve().parents[2]
AJV_MODULES = ROOT / ".cache" / "ajv" / "node_modules"
SCRIPT = Path(__file__).resolve().parent / "ajv_compile.cjs"


def test_every_tool_schema_compiles_in_ajv_strict_mode():
    if shutil.which("node") is None:
        pytest.skip("node is not installed, so Ajv cannot run (`make test` installs Ajv when npm is there)")
    if not (AJV_MODULES / "ajv-formats").is_dir():
        pytest.skip("Ajv is not in .cache/ajv: `make ajv` installs it, which needs npm and the network")
    result = subprocess.run(
        ["node", SCRIPT, catalog.TOOLS_PATH], capture_output=True, text=True, timeout=60,
        env={**os.environ, "NODE_PATH": str(AJV_MODULES)},
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["problems"] == []
    tools = catalog.load()
    assert outcome["compiled"] == len(tools) + sum("outputSchema" in tool for tool in tools)
