# Two commands do all the set-up on a fresh machine:
#   make run   - environment, SQLite database under var/, demo data, app on http://localhost:8000
#   make test  - environment, headless Chromium, faketime, the suite on SQLite (also a year ahead) and PostgreSQL
VENV ?= .venv
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# PORT=8123 make run (or make run PORT=8123): the printed address and links in messages follow.
run: install
	$(VENV)/bin/meldkamer demo --host $(HOST) --port $(PORT)
	$(VENV)/bin/meldkamer serve --host $(HOST) --port $(PORT)

test: install
	scripts/test

check: install
	scripts/check

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
