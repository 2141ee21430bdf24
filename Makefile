# Two commands do all the set-up on a fresh machine:
#   make run    install (first time), ingest seeds/ if the index is empty, serve the web chat
#   make test   install (first time, with the test and LLM extras), lint, type-check, and
#               test, with a Chroma server of its own on 127.0.0.1 for the tests' server variants
# Both build .venv with pip: torch is pinned to the CPU wheel on disk (uv and
# poetry ignore it and would download a multi-GB CUDA build).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX ?= .newsdesk

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

# bash with pipefail: pip's status survives the filter below
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

# pip -q, and a line before each step saying what it installs and how long it took on
# the shared 2-core machines (first run; later runs skip the step). Two kinds of noise
# are dropped, nothing else: the editable-install banner setuptools prints, and one
# "Location ... is ignored" line per package, from a pip config that lists index
# folders this machine lacks. Every other warning and error shows.
PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install -q
PIP_NOISE := is ignored: it is neither a file nor a directory
QUIET_PIP = 2>&1 | { grep -v --line-buffered "$(PIP_NOISE)" || true; }

.PHONY: run test lint gate chromium clean-index

$(BIN)/.base: pyproject.toml
	@echo "==> creating $(VENV) and installing newsdesk: torch (CPU), sentence-transformers, chromadb, gradio (about 2 minutes)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip $(QUIET_PIP)
	$(PIP) -e . $(QUIET_PIP)
	touch $@

$(BIN)/.full: $(BIN)/.base
	@echo "==> installing the test tools: pytest, playwright, ruff, mypy (under a minute)"
	$(PIP) -e '.[test]' $(QUIET_PIP)
	@echo "==> installing the LLM extra: llama-cpp-python compiles from source (about 5 minutes)"
	$(PIP) -e '.[test,llm,cluster]' $(QUIET_PIP)
	touch $@

run: $(BIN)/.base
	@echo "==> serving the web chat on http://127.0.0.1:7860 (Ctrl-C stops it)"
	$(BIN)/newsdesk serve --index $(INDEX) --ingest-if-empty seeds/

lint: $(BIN)/.full
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Chromium for the browser tests: found, installed (as root, with apt-get), or the exact
# command to run is printed. First, so a missing browser stops before the long install.
chromium:
	$(PYTHON) tests/ensure_chromium.py

# The tests' Chroma server: a real `chroma run` on a free 127.0.0.1 port, its data in a
# temporary folder, stopped and removed when the tests end however they end (the trap);
# its log stays when the tests failed.
# The store, ingest, answer and crash tests run against it and against embedded Chroma
# (tests/conftest.py; run alone, pytest starts a server of its own).
FREE_PORT := import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])

test: chromium lint
	data=$$(mktemp -d); port=$$($(BIN)/python -c '$(FREE_PORT)'); \
	$(BIN)/chroma run --path "$$data" --host 127.0.0.1 --port $$port >"$$data.log" 2>&1 & \
	server=$$!; \
	trap 'status=$$?; kill $$server 2>/dev/null; wait $$server || true; rm -rf "$$data"; \
	      [ $$status -ne 0 ] || rm -f "$$data.log"' EXIT; \
	echo "==> Chroma server for the tests on http://127.0.0.1:$$port (log: $$data.log)"; \
	NEWSDESK_TEST_CHROMA_URL=http://127.0.0.1:$$port $(BIN)/python -m pytest

# the evaluation gate: the seed question set against the thresholds in seeds/eval_gate.json
gate: $(BIN)/.full
	$(BIN)/newsdesk eval seeds/questions.jsonl --corpus seeds/ --report reports/seed --gate seeds/eval_gate.json
