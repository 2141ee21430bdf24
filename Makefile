# Two commands do all the set-up on a fresh machine:
#   make run    install (first time), ingest seeds/ if the index is empty, serve the web chat
#   make test   install (first time, with the test and LLM extras), lint, type-check, test
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

.PHONY: run test lint gate clean-index

$(BIN)/.base: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

# llama-cpp-python compiles from source here: about 7 minutes the first time
$(BIN)/.full: $(BIN)/.base
	$(BIN)/python -m pip install -q -e '.[test,llm]'
	touch $@

run: $(BIN)/.base
	$(BIN)/newsdesk serve --index $(INDEX) --ingest-if-empty seeds/

lint: $(BIN)/.full
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# the evaluation gate: the seed question set against the thresholds in seeds/eval_gate.json
gate: $(BIN)/.full
	$(BIN)/newsdesk eval seeds/questions.jsonl --corpus seeds/ --report reports/seed --gate seeds/eval_gate.json
