# The two commands: `make run` (install, build, migrate, demo data, serve) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL_DIR := var/models/multilingual-e5-small
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist processes for `make test` (tests that share a worker, a broker or the browser run in
# one of them: --dist loadgroup and the groups in tests/conftest.py). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

.PHONY: run test install model browser-deps migrate demo serve worker beat lint messages clean-var

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch is pinned to 2.13.0 in pyproject.toml: its CPU build is on this machine's disk.
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# The embedding model folder, built by the build tool jobs/modelbuild/ (run time only loads it).
model: install
	$(PY) -m jobs.modelbuild $(MODEL_DIR)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate model
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "Reemployment is starting on http://$(HOST):$(PORT)/"
	@echo "  public portal   http://$(HOST):$(PORT)/"
	@echo "  staff admin     http://$(HOST):$(PORT)/admin/"
	@echo "  API docs        http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  (demo logins are listed above)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium with CJK fonts (Playwright never downloads a browser here).
browser-deps:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

test: install model browser-deps
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A reemployment worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A reemployment beat --loglevel=info

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]: layers, pure rules).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Refresh the English catalogues (docs/i18n.md): extract per app, fill the empty msgstr /
# fuzzy entries by hand, then `make messages` again to compile; tests/test_translations.py checks.
messages: install
	cd cms && ln -sfn ../reemployment/templates _site_templates && \
	  ../$(PY) ../manage.py makemessages -l en --symlinks -i "migrations/*" -i "demo_pages/*"; \
	  status=$$?; rm -f _site_templates; exit $$status
	cd reemployment/core && ln -sfn ../idcard.py _kernel_idcard.py && ln -sfn ../policy/parameters.py _kernel_parameters.py && ln -sfn ../policy/stages.py _kernel_stages.py && \
	  ../../$(PY) ../../manage.py makemessages -l en -i "migrations/*"; \
	  status=$$?; rm -f _kernel_idcard.py _kernel_parameters.py _kernel_stages.py; exit $$status
	for app in benefits jobs training incentives; do \
	  if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l en -i "migrations/*") || exit 1; fi; done
	for po in $$(git ls-files '*/locale/en/LC_MESSAGES/django.po'); do msgfmt -c -o $${po%.po}.mo $$po || exit 1; done
	# Wagtail's own strings its zh_Hans catalogues lack (edited by hand; tests/test_wagtail_zh.py lists gaps).
	for po in locale/zh_Hans/LC_MESSAGES/*.po; do msgfmt -c -o $${po%.po}.mo $$po || exit 1; done
