# The whole set-up on a fresh machine: `make run` or `make test`.
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint mcp-tools bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/jupiter-invoice serve

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) data .pytest_cache
