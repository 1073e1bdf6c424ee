# Front door of the project. `make demo` / `make test` do their own set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

WORKSPACE ?= local
export WORKSPACE
# TARGET=local applies any workspace into the local emulator (only the endpoint and credentials differ).
export TARGET
PY := .venv/bin/python
NODE_BIN := $(CURDIR)/node_modules/.bin
# jsii runs on the Node pinned in package.json (Node 20 is end of life for jsii).
export JSII_NODE := $(NODE_BIN)/node
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_VERBOSITY := -1
# The machine's terraform plugin mirror (no registry access here); see tools/terraform.
TF_PLUGIN_MIRROR ?= /opt/tf-plugins
export TF_PLUGIN_MIRROR
ifneq ($(wildcard $(TF_PLUGIN_MIRROR)),)
export TF_CLI_CONFIG_FILE := $(CURDIR)/build/terraform.rc
TF_RC := build/terraform.rc
endif
PIPENV := python3 -m pipenv

.PHONY: help install synth test test-fast lint typecheck validate contract contract-diff bench-data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

install: .venv/.installed node_modules/.installed tools/checkov/.venv/.installed $(TF_RC) ## install everything from the lock files

.venv/.installed: Pipfile.lock
	python3 -m pip --version >/dev/null
	python3 -m pipenv --version >/dev/null 2>&1 || python3 -m pip install --quiet --user "pipenv==2026.10.3"
	$(PIPENV) sync --categories "packages dev-packages lambda"
	touch $@

tools/checkov/.venv/.installed: tools/checkov/Pipfile.lock
	cd tools/checkov && PIPENV_PIPFILE=Pipfile $(PIPENV) sync
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/terraform.rc: tools/terraform/terraform.rc.in
	mkdir -p build
	sed "s|@MIRROR@|$(TF_PLUGIN_MIRROR)|" $< > $@

synth: install ## synthesize the four stacks of $(WORKSPACE) into cdktf.out/
	rm -rf cdktf.out
	$(PY) main.py
	@ls cdktf.out/stacks

test: install lint ## the whole suite (lint, unit, handlers, synth properties, snapshots, gates, terraform, e2e)
	$(PY) -m tests.suite

test-fast: install ## everything but terraform and end-to-end tests
	$(PY) -m pytest -m "not terraform and not e2e and not slow"

lint: install ## ruff + mypy --strict
	$(PY) -m ruff check .
	$(PY) -m mypy

validate: install ## check a local partner file against the contract: make validate FILE=path
	@test -n "$(FILE)" || { echo "usage: make validate FILE=path/to/file.csv" >&2; exit 2; }
	@PYTHONPATH=functions $(PY) -m txnpipe.cli "$(FILE)"

contract: install ## regenerate the contract artifacts in docs/contract/ from the code's rules (a test checks they are current)
	$(PY) -m contract generate

contract-diff: install ## breaking and non-breaking contract changes since a git ref: make contract-diff BASE=main [FAIL_ON=breaking|version]
	@$(PY) -m contract diff --base "$(or $(BASE),main)" $(if $(FAIL_ON),--fail-on $(FAIL_ON))

# Standard library only (python3 >= 3.11, no `install`): a partner machine can build it too.
PARTNER_CLI_OUT ?= build/partner-cli
.PHONY: partner-cli
partner-cli: ## the partner CLI wheel into build/partner-cli/ (pip install it: txnpipe-validate FILE...; see README)
	@python3 partner-cli/build_backend.py "$(PARTNER_CLI_OUT)"

bench-data: synth ## 100 MB data-plane benchmark (MB/s, peak RSS) on validate_file's cores and vCPU share
	$(PY) bench/bench_data.py --lambda validate-file --workspace $(WORKSPACE)

.PHONY: bench-stages
bench-stages: install ## where process_file's CPU goes: exclusive CPU seconds per stage, one CPU
	$(PY) bench/bench_stages.py

.PHONY: bench-aggregator
bench-aggregator: install ## aggregator reads at 1x and 10x table history (moto): items read, read units, day index vs full scan; RESULT ratio
	$(PY) bench/bench_aggregator.py

.PHONY: bench-deploy
bench-deploy: install ## emulator -> apply + destroy of the four stacks, seconds per stack, ten slowest resources
	$(PY) bench/bench_deploy.py

.PHONY: load
load: install ## load on the deployed local pipeline (a running `make up`, else its own emulator + deploy + destroy): API rps, p50/p99, races, 30+ files at once, reconciliation; RESULT line [CLIENTS= REQUESTS= FILES=]
	$(PY) bench/load.py $(if $(CLIENTS),--clients $(CLIENTS)) $(if $(REQUESTS),--requests $(REQUESTS)) $(if $(FILES),--files $(FILES))

# Capacity and cost (capacity/): computed from the synthesized JSON of $(WORKSPACE).
.PHONY: cost load-plan bench-synth
COST_ARGS = $(if $(FILES_PER_DAY),--files-per-day $(FILES_PER_DAY)) $(if $(MB_PER_FILE),--mb-per-file $(MB_PER_FILE)) \
	$(if $(API_PER_DAY),--api-per-day $(API_PER_DAY)) $(if $(BASE),--base $(BASE))
cost: synth ## monthly cost per service and per 1M transactions: make cost WORKSPACE=prod [FILES_PER_DAY= MB_PER_FILE= API_PER_DAY= BASE=<other cdktf.out>]
	$(PY) -m capacity.cli cost --workspace $(WORKSPACE) $(COST_ARGS)

load-plan: synth ## load plan for 1 GB files and 10M rows a day into DynamoDB, from the synthesized settings
	$(PY) bench/load_plan.py --workspace $(WORKSPACE)

bench-synth: install ## synth time of $(WORKSPACE) against a plain provider import: RESULT synth_s floor_s ratio
	$(PY) bench/bench_synth.py --workspace $(WORKSPACE)

clean: ## remove build products (not the installed environments)
	rm -rf cdktf.out build .pytest_cache .mypy_cache .ruff_cache

# ---- Local cloud (localcloud/): the emulator, terraform deploy/destroy/plan, the demo -----------
.PHONY: deploy destroy plan plan-comment plan-gate checkov drift up demo emulator dashboard status redrive reprocess

deploy: install ## terraform apply every stack of $(WORKSPACE) in dependency order (local: into a running emulator, see `make up`)
	$(PY) -m localcloud deploy --workspace $(WORKSPACE)

destroy: install ## terraform destroy every stack of $(WORKSPACE) in reverse dependency order
	$(PY) -m localcloud destroy --workspace $(WORKSPACE)

plan: install ## plan + review every stack of $(WORKSPACE): build/plans/<stack>.txt, summary.json, summary.md (FAIL_ON=data-loss: exit 3 on data loss; BASE=<main's cdktf.out>: + cost delta)
	$(PY) -m localcloud plan --workspace $(WORKSPACE) --fail-on "$(FAIL_ON)" $(if $(BASE),--base $(BASE))

plan-comment: ## post or update this workspace's plan comment on the pull request (GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER)
	$(PY) -m localcloud.review.pull_request comment --workspace $(WORKSPACE)

plan-gate: ## fail while build/plans/summary.json lists a data loss and PR_LABELS lacks data-loss-approved
	$(PY) -m localcloud.review.pull_request gate --workspace $(WORKSPACE)

checkov: install ## checkov over the synthesized stacks in cdktf.out/ (skips and their reasons: .checkov.yaml)
	tools/checkov/.venv/bin/checkov -d cdktf.out/stacks --config-file .checkov.yaml --compact --quiet

drift: install ## refresh-only plan of every stack of $(WORKSPACE): drifted resources with construct paths (exit 2 on drift)
	$(PY) -m localcloud drift --workspace $(WORKSPACE)

up: install ## emulator + deploy `local`, keep running, print how to point the AWS CLI at it (Ctrl-C: destroy + stop)
	$(PY) -m localcloud up

demo: install ## emulator up -> deploy local -> push data -> summary table -> destroy
	$(PY) -m localcloud demo

emulator: install ## only the local AWS emulator on 127.0.0.1:4566 (Ctrl-C stops it)
	$(PY) -m localcloud emulator

status: install ## files by status, the oldest files not terminal, dead-letter queue depths of $(WORKSPACE) (local: a running emulator)
	$(PY) -m operations status --workspace $(WORKSPACE)

redrive: install ## send a dead-letter queue's messages back to their target: make redrive WORKSPACE=... QUEUE=file-uploaded-dlq [DRY_RUN=1]
	@test -n "$(QUEUE)" || { echo "usage: make redrive WORKSPACE=... QUEUE=<dlq name or purpose, see make status> [DRY_RUN=1]" >&2; exit 2; }
	$(PY) -m operations redrive --workspace $(WORKSPACE) --queue "$(QUEUE)" $(if $(DRY_RUN),--dry-run)

reprocess: install ## run one terminal file through the pipeline again (audited): make reprocess WORKSPACE=... FILE_ID=f-...
	@test -n "$(FILE_ID)" || { echo "usage: make reprocess WORKSPACE=... FILE_ID=f-..." >&2; exit 2; }
	$(PY) -m operations reprocess --workspace $(WORKSPACE) --file-id "$(FILE_ID)"

dashboard: install ## render the $(WORKSPACE) CloudWatch dashboard from a running emulator (`make up`) to build/dashboard/<name>.html [NAME= OUT= HOURS=3]
	$(PY) -m localcloud dashboard --workspace $(WORKSPACE) $(if $(NAME),--name "$(NAME)") $(if $(OUT),--out "$(OUT)") --hours $(or $(HOURS),3)
