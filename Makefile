# Two commands set everything up on a fresh Debian machine (as root) or any machine with Python 3.11+:
#   make demo   - install, find or install a Chromium, run `preflight demo` against the mock portal
#   make test   - the same set-up plus test dependencies, then the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test browser tools bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

browser: $(BIN)/python
	sh scripts/ensure-browser.sh $(BIN)/python

demo: install browser
	$(BIN)/preflight demo

# promtool, Prometheus, the Pushgateway and actionlint for the tests that run them (not for demo).
tools: $(BIN)/python
	sh scripts/ensure-tools.sh $(BIN)/python

# Most of the suite waits on Chromium, servers and timeouts more than on a core: it runs in two
# workers, a whole file each (module fixtures: one run-server pool, one corpus run). Tests marked
# serial (wall-clock bounds, the hostile corpus that needs both cores) run after, in one process.
# Both parts always run; either failing fails the target. WORKERS=0 runs the first part in-process.
WORKERS ?= 2
PYTEST  := $(BIN)/python -m pytest -q -p no:cacheprovider

test: install-test browser tools lint
	@status=0; $(PYTEST) -n $(WORKERS) --dist loadfile -m 'not serial' || status=$$?; \
	$(PYTEST) -m serial || status=$$?; exit $$status

lint: install-test
	$(BIN)/ruff check preflight tests bench scripts fixtures/corpus/*.py fixtures/cookies/*.py
	$(BIN)/mypy

bench: install-test browser
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_vet.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
