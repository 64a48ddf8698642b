# The platform's commands. `make help` lists them; CI runs `make test` (through .ci/run).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install browser nginx test-browser screenshots i18n migrate run demo test test-unit test-integration test-e2e test-deploy test-scale drills cluster fuzz bench bench-figures lint format clean

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The platform's one gettext catalogue (services/common/i18n.py): the .po files are kept in
# git, the compiled .mo files are made here, so a fresh checkout gets them from `install`.
CATALOGUE := services/common/translations
PO := $(wildcard $(CATALOGUE)/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

$(CATALOGUE)/%/LC_MESSAGES/messages.mo: $(CATALOGUE)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -d $(CATALOGUE) -l $*

# The pages' browser assets: npm installs the pinned versions of package-lock.json (again only
# when the lock changed: the stamp), and the minified files the pages load are copied where
# the gateway serves them. No page loads anything from another site.
NODE_STAMP := node_modules/.installed
VENDOR := gateway/pages/static/vendor
VENDORED := $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(VENDOR)/htmx.min.js: $(NODE_STAMP)
	mkdir -p $(VENDOR) && cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/echarts.min.js: $(NODE_STAMP)
	mkdir -p $(VENDOR) && cp node_modules/echarts/dist/echarts.min.js $@

install: $(STAMP) $(MO) $(VENDORED) ## create .venv, install the pinned dependencies and the pages' assets, compile the catalogue

# The browser tests drive Debian's Chromium (a test tool's own browser download cannot be
# fetched here), with a Chinese font for the pages' screenshots; installed once, as root or
# through sudo.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-microhei
AS_ROOT := $(if $(filter 0,$(shell id -u)),,sudo)
APT := $(AS_ROOT) env DEBIAN_FRONTEND=noninteractive apt-get
$(CHROMIUM):
	$(APT) install -y $(BROWSER_PACKAGES) || { $(APT) update && $(APT) install -y $(BROWSER_PACKAGES); }

browser: $(CHROMIUM) ## install Chromium for the browser tests (apt-get, when /usr/bin/chromium is missing)

# The deployment tests (tests/deploy, tests/scale) run Debian's nginx in front of the platform,
# as deploy/nginx/platform.conf has it in production; installed once, like Chromium.
NGINX := /usr/sbin/nginx
$(NGINX):
	$(APT) install -y nginx || { $(APT) update && $(APT) install -y nginx; }

nginx: $(NGINX) ## install nginx for the deployment tests (apt-get, when /usr/sbin/nginx is missing)

# No locations and sorted messages: a moved line does not touch the catalogue. The template
# (.pot) is made on the way and not kept.
i18n: $(STAMP) ## extract the messages, update the zh-CN and English catalogues, compile them
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location --sort-output --omit-header -o $(VENV)/messages.pot .
	$(BIN)/pybabel -q update -i $(VENV)/messages.pot -d $(CATALOGUE) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(CATALOGUE)

migrate: install ## create or upgrade every service's database
	$(BIN)/python -m deploy.platform migrate

run: install ## set up and start the whole platform (gateway on http://127.0.0.1:8000)
	$(BIN)/python -m deploy.platform run

demo: install ## load a sample organisation into the running platform and show its board
	$(BIN)/python -m deploy.demo

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install browser nginx lint ## set up and run the whole suite, drills and fuzzing included (PostgreSQL too when TEST_DATABASE_URL is set)
	$(BIN)/pytest -q

test-unit: install ## pure logic only
	$(BIN)/pytest -q tests/unit

test-integration: install ## against a real Redis and real databases
	$(BIN)/pytest -q tests/integration

test-e2e: install ## the platform as real processes, driven over HTTP
	$(BIN)/pytest -q tests/e2e

test-deploy: install nginx ## nginx in front of the platform over TLS, and the deployment files checked
	$(BIN)/pytest -q tests/deploy

test-scale: install nginx ## several instances of each part behind nginx, under load: boards equal the ledger
	$(BIN)/pytest -q tests/scale

test-browser: install browser ## the pages in a real headless Chromium, against the platform as real processes
	$(BIN)/pytest -q tests/browser

# The README's screenshots (docs/screenshots) are the browser tests' own: the tests write every
# one to var/screenshots, and the README's are copied from there.
README_SHOTS := signin-zh home-phone board-desk board-phone progress-desk activities-phone \
	report-form review-rubric rules-form rules-preview roster-dry-run session-figures \
	access-key-created-once wall-1080p figures-desk exports-desk surveys-answer-phone \
	surveys-results-desk delivery-desk silent-nudged-phone
screenshots: install browser ## run the browser tests and copy the README's screenshots to docs/screenshots
	$(BIN)/pytest -q tests/browser
	mkdir -p docs/screenshots && for name in $(README_SHOTS); do cp var/screenshots/$$name.png docs/screenshots/; done

drills: install ## fault drills: Redis, workers, services and the database failing under real processes
	$(BIN)/pytest -q tests/drills

cluster: install ## start a six-node Redis Cluster on loopback under var/cluster (for BOARDS_REDIS_CLUSTER_URL; Ctrl-C stops it)
	$(BIN)/python -m tests.harness.cluster var/cluster

fuzz: install ## the API fuzzed through the gateway from its OpenAPI document, and hand-written bad input
	$(BIN)/pytest -q tests/fuzz

# Not part of `make test`: it measures, it does not check. BENCH_SCALE=small checks the bench
# itself in a few minutes; results go to bench/results/latest.{json,md}.
BENCH_SCALE ?= full
bench: install ## benchmark the platform on loopback (BENCH_SCALE=small for a quick check)
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench.figures

# The figures' reads and the whole-organisation export alone (BENCH_SCALE=small|mid|full;
# PostgreSQL too when TEST_DATABASE_URL is set); results in bench/results/figures-<scale>.*
bench-figures: install ## benchmark the figures and the XLSX export (docs/analytics.md)
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench.figures

clean: ## remove the virtual environment, the npm packages and local data (var/)
	rm -rf $(VENV) var node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
