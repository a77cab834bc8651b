# The two commands users need: `make demo` and `make test`. Each sets everything up itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The CDK CLI (npm `aws-cdk`, pinned in package-lock.json) for `cdk synth` of examples/cdk.
CDK_STAMP := node_modules/.installed
# The CDK CLI reads every CDK* variable of its environment as an option: set only its own.
CDK_SYNTH := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" CDK_HOME="$(CURDIR)/.cdk-home" \
	CDK_DISABLE_CLI_TELEMETRY=1 CDK_DISABLE_VERSION_CHECK=1 AWS_EC2_METADATA_DISABLED=true \
	"$(CURDIR)/node_modules/.bin/cdk" synth --quiet --no-notices --no-validation
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test check lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(CDK_STAMP): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	touch $(CDK_STAMP)

# A demo command: print it, run it, print its exit code, and fail unless it is the expected one
# (1 for the insecure examples, which are blocked; 0 for the secure ones).
define demo_run
@echo '$$ $(2)'; code=0; $(3) || code=$$?; echo "(exit code $$code)"; test $$code -eq $(1)
endef
GUARD := $(VENV)/bin/serverless-guard

demo: $(STAMP) $(CDK_STAMP)
	@echo "== An insecure serverless app (CloudFormation): the scan blocks it =="
	$(call demo_run,1,serverless-guard scan examples/cloudformation/insecure/template.yaml,\
		$(GUARD) scan examples/cloudformation/insecure/template.yaml)
	@echo
	@echo "== The same app, secure: nothing to report =="
	$(call demo_run,0,serverless-guard scan examples/cloudformation/secure/template.yaml,\
		$(GUARD) scan examples/cloudformation/secure/template.yaml)
	@echo
	@echo "== A SAM app: findings point at the SAM resources you wrote =="
	$(call demo_run,1,serverless-guard scan examples/sam/template.yaml,\
		$(GUARD) scan examples/sam/template.yaml)
	@echo
	@echo "== A Pulumi program (examples/pulumi/insecure), run offline under mocks: blocked =="
	$(call demo_run,1,serverless-guard pulumi examples/pulumi/insecure,\
		$(GUARD) pulumi examples/pulumi/insecure)
	@echo
	@echo "== The root Pulumi.yaml program (the secure orders service, built with the components): nothing to report =="
	$(call demo_run,0,serverless-guard pulumi .,$(GUARD) pulumi .)
	@echo
	@echo "== A CDK app written with aws-cdk-lib's constructs: the validation plugin fails cdk synth =="
	$(call demo_run,1,cd examples/cdk/plain && cdk synth,\
		(cd examples/cdk/plain && $(CDK_SYNTH)))
	@echo
	@echo "== The same CDK app, class names swapped for the secure constructs: cdk synth passes =="
	$(call demo_run,0,cd examples/cdk/secure && cdk synth,\
		(cd examples/cdk/secure && $(CDK_SYNTH)))

test: $(STAMP) $(CDK_STAMP) lint typecheck pytest

check: test

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) $(CDK_STAMP)
	$(VENV)/bin/pytest

docs: $(STAMP)
	$(PY) -m serverless_guard.docs
	$(PY) -m serverless_guard.cdk.constructs.docs
	$(PY) -m serverless_guard.pulumi.components.docs

bench: $(STAMP)
	$(PY) bench/scan_speed.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
	rm -rf node_modules .cdk-home examples/cdk/*/cdk.out
