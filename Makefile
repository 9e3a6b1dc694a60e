# The whole set-up on a fresh machine: `make run` or `make test`.
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser run test lint mcp-tools bench clean

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

test: install browser
	$(BIN)/python -m pytest

# The MCP tools are derived from openapi.yaml: regenerate after changing the spec.
mcp-tools: install
	$(BIN)/python -m scripts.gen_mcp_tools

clean:
	rm -rf $(VENV) data .pytest_cache
