# Ostoja — the two commands of the README, and the steps they are made of.
#   make run   — demo on an embedded SQLite database and an embedded task queue
#   make test  — everything CI runs
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
KEY := $(PY) -c 'from ostoja.lib.crypto.keys import generate_key; print(generate_key())'

# Python 3.12, found robustly: an explicit PYTHON=…, then python3.12 on PATH (a pyenv shim
# resolves it through .python-version), then pyenv's own installs, then common prefixes.
# Each candidate must really be 3.12 — a shim that cannot resolve prints nothing here.
PYTHON ?= $(shell for p in python3.12 \
		$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1) \
		/usr/local/bin/python3.12 /usr/bin/python3.12; do \
	  v=$$($$p -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	  if [ "$$v" = "3.12" ]; then $$p -c 'import sys; print(sys.executable)'; break; fi; \
	done)

.PHONY: help run test venv deps deps-dev system-deps messages check-i18n lint typecheck \
	pytest deploy-check bandit lock totp clean bench-crypto bench-helpline

help:
	@echo "make run    start Ostoja with demo data at http://127.0.0.1:$(PORT)"
	@echo "make test   run everything CI runs"

# The venv is rebuilt when the lock changes; the stamp records what was installed.
$(VENV)/.stamp-runtime: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 not found: install it (pyenv install 3.12) or pass PYTHON=/path/to/python3.12"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.stamp-dev: requirements-dev.lock $(VENV)/.stamp-runtime
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

deps: $(VENV)/.stamp-runtime
deps-dev: $(VENV)/.stamp-dev

# Debian packages the tests need: gettext (makemessages), chromium (browser tests),
# Pango, HarfBuzz-subset and DejaVu fonts for WeasyPrint's PDFs, and Caddy and shellcheck
# (deploy/ is checked by ostoja/home/tests/test_deploy.py).
# Installed when missing and we may (root); otherwise say what is missing.
system-deps:
	@missing=""; command -v xgettext >/dev/null || missing="$$missing gettext"; \
	  test -x /usr/bin/chromium || missing="$$missing chromium"; \
	  ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpangoft2-1.0-0"; \
	  ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	  test -d /usr/share/fonts/truetype/dejavu || missing="$$missing fonts-dejavu-core"; \
	  command -v caddy >/dev/null || missing="$$missing caddy"; \
	  command -v shellcheck >/dev/null || missing="$$missing shellcheck"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "Please install the Debian packages:$$missing"; exit 1; fi; \
	  fi

messages: deps
	$(MANAGE) translations compile

run: deps messages
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) demo
	@echo "Ostoja: http://127.0.0.1:$(PORT)/  (Ctrl+C stops the server and the task worker)"
	@trap 'kill 0' EXIT; $(MANAGE) run_huey --workers 2 --quiet & \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# A demo account's current TOTP code: make totp EMAIL=counsellor@demo.ostoja.invalid
totp: deps
	@$(MANAGE) demo --totp "$(EMAIL)"

test: deps-dev system-deps
	@mkdir -p var
	$(MANAGE) translations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	@# The layers of ARCHITECTURE.md §2, and no cycles between apps ([tool.importlinter]).
	$(VENV)/bin/lint-imports --no-cache
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	@# Zero-downtime upgrades: no migration locks a busy table or breaks the running release.
	$(MANAGE) lint_migrations
	$(VENV)/bin/bandit -q -c pyproject.toml -r ostoja --severity-level high
	$(MAKE) --no-print-directory deploy-check
	$(VENV)/bin/pytest --cov --cov-report=term:skip-covered -q
	@# The access rules are proven branch by branch (issue #3).
	$(VENV)/bin/coverage report --fail-under=100 -m \
	  --include=ostoja/accounts/policy.py,ostoja/accounts/access.py,ostoja/accounts/records.py,ostoja/*/access.py

# `check --deploy` with production-like settings (nothing is connected to).
deploy-check: deps
	OSTOJA_ENV=production OSTOJA_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  OSTOJA_ALLOWED_HOSTS=ostoja.example.org OSTOJA_BASE_URL=https://ostoja.example.org \
	  OSTOJA_EMAIL_HOST=smtp.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
	  DATABASE_URL=postgres://ostoja@127.0.0.1:5432/ostoja \
	  OSTOJA_FIELD_KEYS=1:$$($(KEY)) OSTOJA_INDEX_KEY=$$($(KEY)) OSTOJA_AUDIT_KEY=$$($(KEY)) \
	  $(MANAGE) check --deploy --fail-level WARNING

# Benchmarks (bench/README.md), with DEBUG off as in production (DEBUG keeps every query
# and slows templates). SQLite in a temporary file unless DATABASE_URL is set.
bench-crypto: deps
	@mkdir -p var
	OSTOJA_DEBUG=false DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3} \
	  $(PY) bench/crypto.py

bench-helpline: deps
	OSTOJA_DEBUG=false $(PY) bench/helpline.py

.PHONY: bench-cases
bench-cases: deps
	OSTOJA_DEBUG=false $(PY) bench/cases.py

# The shelter's occupancy board (bench/shelter.py), on the database DATABASE_URL names.
.PHONY: bench-shelter
bench-shelter: deps
	OSTOJA_DEBUG=false $(PY) bench/shelter.py

# B9: the annual report's contact aggregates against DuckDB on the same rows (bench/reports.py);
# SQLite by default, DATABASE_URL=postgres://… for PostgreSQL.
.PHONY: bench-reports
bench-reports: deps
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	OSTOJA_DEBUG=false DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-reports.sqlite3} \
	  $(PY) bench/reports.py

# The person matcher (bench/README.md): B1/B3 against splink, and B6 on PostgreSQL.
.PHONY: bench-matching bench-people
bench-matching: deps
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	OSTOJA_DEBUG=false $(PY) bench/matching.py

bench-people: deps
	OSTOJA_DEBUG=false DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ostoja_bench} \
	  $(PY) bench/people.py

# The top bar's search with 1,000,000 contacts and 100,000 people (bench/search.py).
.PHONY: bench-search
bench-search: deps
	OSTOJA_DEBUG=false $(PY) bench/search.py

# gunicorn against granian on our pages (bench/servers.py), on the demo database
# DATABASE_URL names; needs the bench lock (granian).
.PHONY: bench-servers
bench-servers: deps
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	OSTOJA_DEBUG=false $(PY) bench/servers.py

# 50 members of staff and 5 portal submissions a second through Caddy and gunicorn on a
# production stack of its own (bench/load.py; README "Load and faults"), MINUTES long (10).
.PHONY: bench-load
bench-load: deps system-deps
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	$(PY) bench/load.py --minutes $${MINUTES:-10}

# Regenerate the hashed locks from pyproject.toml (needs the dev venv).
lock: deps-dev
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -q -o requirements-dev.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra bench --python-version 3.12 --generate-hashes -q -o requirements-bench.lock

clean:
	rm -rf $(VENV) var staticfiles

# The Mozilla HTTP Observatory's scanner (npm, installed under OBSERVATORY_DIR, not in the
# repository) against deploy/Caddyfile in front of gunicorn in production mode
# (bench/observatory.py); needs PostgreSQL (DATABASE_URL), Redis, Caddy, node and ports 80/443.
.PHONY: bench-observatory
bench-observatory: deps
	OSTOJA_DEBUG=false DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ostoja_observatory} \
	  $(PY) bench/observatory.py
