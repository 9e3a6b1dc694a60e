# The whole set-up on a fresh machine: `make run` or `make test`.
# `make install` puts the service and what it runs on into .venv; `make install-test`
# adds what the tests and linters need. Each is skipped while pyproject.toml is unchanged.
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.installed-test-stamp
BENCH_STAMP := $(VENV)/.installed-bench-stamp

.PHONY: install install-test browser inspector postgres spec-linters ajv run test soak lint mcp-tools bench clean

install: $(STAMP)

install-test: $(TEST_STAMP)

$(BIN)/python:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

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

# Ajv (JSON Schema, strict mode) for tests/mcp/test_tool_schemas.py, pinned like the Inspector.
AJV_DIR := .cache/ajv
AJV_PIN := ajv@8.17.1 ajv-formats@3.0.1

ajv:
	@test "$$(cat $(AJV_DIR)/.pinned 2>/dev/null)" = "$(AJV_PIN)" || { command -v npm >/dev/null && \
	  echo "Installing Ajv for the tool schema test" && \
	  timeout 180 npm install --silent --no-audit --no-fund --prefix $(AJV_DIR) $(AJV_PIN) >/dev/null 2>&1 && \
	  echo "$(AJV_PIN)" > $(AJV_DIR)/.pinned; } || \
	  echo "Could not install Ajv (no npm or no network); its test will be skipped."

# The whole suite on the embedded SQLite default, then again on PostgreSQL, less what
# does not depend on the backend: the pages' look in a browser, and the in-process
# contract fuzzing, which runs on a SQLite file of its own whatever the backend.
# Two test processes (pytest-xdist), one a core here: each has its own browser and, on
# PostgreSQL, its own cluster; the suite takes about two thirds of the time of one.
SAME_ON_EVERY_BACKEND := --ignore=tests/browser --ignore=tests/contract/test_schemathesis.py
TEST_PROCESSES ?= 2
test: install-test browser inspector ajv postgres
	$(BIN)/python -m pytest -n $(TEST_PROCESSES)
	JUPITER_TEST_BACKEND=postgresql $(BIN)/python -m pytest -n $(TEST_PROCESSES) $(SAME_ON_EVERY_BACKEND)

# The spec's linters, pinned and kept inside the checkout, one directory per version
# so that a new pin installs afresh. Unlike the test helpers above they are not
# optional: `make lint` fails when they cannot be installed.
REDOCLY_VERSION  := 2.77.0
REDOCLY_DIR      := .cache/redocly-$(REDOCLY_VERSION)
REDOCLY          := $(REDOCLY_DIR)/node_modules/.bin/redocly
SPECTRAL_VERSION := 6.16.3
SPECTRAL_DIR     := .cache/spectral-$(SPECTRAL_VERSION)
SPECTRAL         := $(SPECTRAL_DIR)/node_modules/.bin/spectral

spec-linters:
	@test -x $(REDOCLY) || { echo "Installing Redocly CLI for make lint" && \
	  timeout 300 npm install --silent --no-audit --no-fund --prefix $(REDOCLY_DIR) \
	    @redocly/cli@$(REDOCLY_VERSION) >/dev/null 2>&1; } || \
	  { echo "Could not install Redocly CLI (it needs npm and the network): make lint cannot check openapi.yaml." >&2; exit 1; }
	@test -x $(SPECTRAL) || { echo "Installing Spectral for make lint" && \
	  timeout 300 npm install --silent --no-audit --no-fund --prefix $(SPECTRAL_DIR) \
	    @stoplight/spectral-cli@$(SPECTRAL_VERSION) >/dev/null 2>&1; } || \
	  { echo "Could not install Spectral (it needs npm and the network): make lint cannot check openapi.yaml." >&2; exit 1; }

# Python: ruff and mypy (configured in pyproject.toml). The spec: Redocly's
# recommended rules (redocly.yaml) and Spectral's spectral:oas (.spectral.yaml).
lint: install-test spec-linters
	$(BIN)/ruff check .
	$(BIN)/mypy
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true timeout 120 $(REDOCLY) lint openapi.yaml
	timeout 120 $(SPECTRAL) lint --fail-severity error openapi.yaml

# The MCP tools are derived from openapi.yaml: regenerate after changing the spec.
mcp-tools: install
	$(BIN)/python -m scripts.gen_mcp_tools

# Long reliability runs: SIGKILL and restart under load, for SOAK_SECONDS (default 120).
soak: install-test
	$(BIN)/python -m pytest -m soak -s tests/reliability

# Speed as ratios to a FastAPI peer and a bare reference measured in the same run
# (never a gate): both backends, 1, 2 and 4 workers, in under ten minutes.
bench: $(BENCH_STAMP) postgres
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python scripts/bench.py --backend both --workers 1,2,4

clean:
	rm -rf $(VENV) data .pytest_cache
