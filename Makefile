# Mở Đường — the two commands: `make demo` and `make test`. Needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MODUONG_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test install node-tools check-site check-security cluster-test lint format typecheck lock check-migrations serve worker clean bench messages architecture

$(STAMP): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	# The bold face of the PDFs' typeface, cut once from the variable font for every data folder
	env -u DJANGO_SETTINGS_MODULE $(BIN)/python -m moduong.core.fonts
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/moduong demo

serve: $(STAMP)
	$(BIN)/moduong serve

worker: $(STAMP)
	$(BIN)/moduong worker

# The whole suite. Set DATABASE_URL / REDIS_URL to run it on PostgreSQL and Redis.
test: $(STAMP)
	$(BIN)/pytest

# The checkers that `make check-site` runs (axe-core, the Nu HTML Checker, the sitemaps.org
# schema), pinned by package-lock.json. --ignore-scripts: vnu-jar's install script would fetch a
# Java runtime when it finds none; Debian's Java 17 runs vnu.jar.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

node-tools: node_modules/.installed

# The demo site served by `moduong serve` and checked with real tools: browser journeys at 360 px
# and 1280 px, axe-core, the Nu HTML Checker, feeds, sitemap, JSON-LD, a crawl for broken links.
# Screenshots go to test-artifacts/site/.
check-site: $(STAMP) node_modules/.installed
	$(BIN)/pytest --check-site tests/site

# Attack tools against the served demo (README, "Security checks"): schemathesis on the API
# (anonymous and logged in), sqlmap on the login, sign-up, search and contest start, wapiti's
# SQL, XSS and header modules, bandit on src, pip-audit on the lock file. sqlmap and wapiti
# are Debian packages (apt-get install sqlmap wapiti); the rest come with `make install`.
check-security: $(STAMP) node_modules/.installed
	$(BIN)/pytest --check-security tests/security -p no:randomly -rs

# The production shape (nginx, two gunicorn hosts, PostgreSQL + PgBouncer + a streaming replica,
# Redis, the task worker), each a network namespace this test makes, then attacked under load
# (README, "The cluster test"). As root; needs nginx, pgbouncer, postgresql, redis-server.
# CLUSTER=short: the smoke run and two faults, for .ci/run.
CLUSTER ?=
cluster-test: $(STAMP)
	CLUSTER=$(CLUSTER) $(BIN)/pytest --cluster tests/cluster -p no:randomly -p no:cacheprovider -q -rs -s -x

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/djhtml --check $$(find src -name '*.html')
	$(BIN)/lint-imports
	$(BIN)/python scripts/import_graph.py --check

format: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/djhtml $$(find src -name '*.html')

# docs/architecture.md's import graph, drawn from the code (scripts/import_graph.py); `make lint`
# fails when it is old.
architecture: $(STAMP)
	$(BIN)/python scripts/import_graph.py

typecheck: $(STAMP)
	$(BIN)/mypy

check-migrations: $(STAMP)
	$(BIN)/moduong makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Vietnamese catalogues: an app with a locale/ folder of its own keeps its messages there (so
# that work on two apps never meets in one file); every other app's are in src/moduong/locale.
# Run, fill every empty msgstr, run again: the second run compiles and checks.
# tests/core/test_catalogues.py fails on a message left empty, fuzzy or not compiled.
APP_CATALOGUES = $(patsubst src/moduong/%/locale,%,$(wildcard src/moduong/*/locale))
DJANGO_ADMIN = DJANGO_SETTINGS_MODULE=moduong.settings.dev $(CURDIR)/$(BIN)/django-admin
MAKEMESSAGES = makemessages -l vi --no-location --no-obsolete
messages: $(STAMP)
	cd src/moduong && $(DJANGO_ADMIN) $(MAKEMESSAGES) -i 'settings/*' -i 'locale_*' \
		$(foreach app,$(APP_CATALOGUES),-i '$(app)/*')
	for app in $(APP_CATALOGUES); do (cd src/moduong/$$app && $(DJANGO_ADMIN) $(MAKEMESSAGES)) || exit 1; done
	for po in src/moduong/locale/vi/LC_MESSAGES/django.po \
		$(foreach app,$(APP_CATALOGUES),src/moduong/$(app)/locale/vi/LC_MESSAGES/django.po); do \
		msgfmt --check -o $${po%.po}.mo $$po || exit 1; done

# Re-pin the lock files after changing pyproject.toml (needs network access to PyPI).
lock:
	$(PYTHON) -m venv /tmp/moduong-lock && /tmp/moduong-lock/bin/pip install --quiet uv
	/tmp/moduong-lock/bin/uv pip compile pyproject.toml requirements-build.in --generate-hashes --python-version 3.11 --no-header -o requirements.lock
	/tmp/moduong-lock/bin/uv pip compile pyproject.toml requirements-build.in --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements-dev.lock

clean:
	rm -rf $(VENV) var node_modules
