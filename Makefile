# KMS Trainer. Two commands do everything on a fresh machine:
#   make run   venv, requirements, (editor bundle if missing), migrate, load scenarios, demo logins, server
#   make test  the same set-up, then every test: engine, conformance, web, and browser tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export KMSTRAINER_DEV ?= 1
export DEBUG ?= true

.PHONY: run test venv bundle migrate scenarios browser bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# The editor bundle and Bootstrap are committed under static/vendor; rebuild them only if missing.
bundle:
	@if [ ! -f static/vendor/editor.bundle.js ] || [ ! -f static/vendor/bootstrap.min.css ]; then \
		echo "building the editor bundle (npm ci in frontend/)"; \
		cd frontend && npm ci --no-audit --no-fund && npm run build; \
	fi

migrate: venv
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py createcachetable

scenarios: migrate
	$(PY) manage.py loadscenarios

run: venv bundle scenarios
	@$(PY) manage.py demousers
	@echo "Open http://127.0.0.1:$(PORT)/  (Ctrl-C stops the server)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests; installed when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium' (they are skipped without it, and fail in CI)"; \
		fi; \
	fi

test: venv bundle browser
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run -v 0
	@if [ -d ../shared/conformance ]; then \
		$(PY) -m kmstrainer.engine test ../shared/conformance $$(test -d ../shared/conformance-next && echo ../shared/conformance-next); \
	else \
		echo "conformance: skipped, ../shared/conformance is not beside this clone (CI has it); the golden cases below cover every rule"; \
	fi
	$(PY) -m kmstrainer.engine test tests/engine/cases tests/engine/review
	$(PY) -m kmstrainer.engine validate scenarios/content
	$(PY) manage.py validatescenarios scenarios/content
	$(PY) -m pytest

bench: venv
	$(PY) bench/engine_bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .hypothesis
