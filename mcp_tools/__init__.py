"""The MCP door at /mcp. Its tools are derived from openapi.yaml by
scripts/gen_mcp_tools.py into tools.json (committed, never edited by hand); a
tool call is validated like the REST request and runs the same handler.

- catalog:  reads tools.json
- dispatch: one tool call, validated and run like the REST call (call_operation)
- server:   the MCP server that lists the tools and answers tools/call
- http:     the Streamable HTTP endpoint, behind the same bearer key as REST
"""
