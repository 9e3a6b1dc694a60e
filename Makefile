# The whole set-up on a fresh machine: `make run` or `make test`.
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser inspector postgres run test soak lint mcp-tools bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/jupiter-invoice serve

# Browser tests drive Debian's chromium; no browser is ever downloaded.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# A second, independent MCP client for tests/mcp/test_inspector.py, kept inside the
# checkout. Pinned: on node 20 an unpinned install picks a release without --header.
INSPECTOR_DIR := .cache/mcp-inspector
INSPECTOR     := $(INSPECTOR_DIR)/node_modules/.bin/mcp-inspector

inspector:
	@test -x $(INSPECTOR) || { command -v npm >/dev/null && \
	  echo "Installing the MCP Inspector for its test" && \
	  timeout 180 npm install --silent --no-audit --no-fund --prefix $(INSPECTOR_DIR) \
	    @modelcontextprotocol/inspector@2.12.0 >/dev/null 2>&1; } || \
	  echo "Could not install the MCP Inspector (no npm or no network); its test will be skipped."

# PostgreSQL for the second run of the suite: Debian's server, which the tests start
# themselves in a temporary directory (as the `postgres` user: it refuses root).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the tests on PostgreSQL"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# The whole suite on the embedded SQLite default, then again on PostgreSQL.
test: install browser inspector postgres
	$(BIN)/python -m pytest
	JUPITER_TEST_BACKEND=postgresql $(BIN)/python -m pytest

# The MCP tools are derived from openapi.yaml: regenerate after changing the spec.
mcp-tools: install
	$(BIN)/python -m scripts.gen_mcp_tools

# Long reliability runs: SIGKILL and restart under load, for SOAK_SECONDS (default 120).
soak: install
	$(BIN)/python -m pytest -m soak -s tests/reliability

# Speed as ratios to a bare reference measured in the same run (never a gate).
bench: install postgres
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) data .pytest_cache
