# The two commands users need: `make demo` and `make test`. Each sets everything up itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test check lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	@echo "== An insecure serverless app (CloudFormation): the scan blocks it =="
	-$(VENV)/bin/serverless-guard scan examples/cloudformation/insecure/template.yaml
	@echo
	@echo "== The same app, secure: nothing to report =="
	$(VENV)/bin/serverless-guard scan examples/cloudformation/secure/template.yaml
	@echo
	@echo "== A SAM app: findings point at the SAM resources you wrote =="
	-$(VENV)/bin/serverless-guard scan examples/sam/template.yaml

test: $(STAMP) lint typecheck pytest

check: test

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	$(VENV)/bin/pytest

docs: $(STAMP)
	$(PY) -m serverless_guard.docs

bench: $(STAMP)
	$(PY) bench/scan_speed.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
