# The two commands the README gives:
#   make run   installs PolicyQA and starts the UI on the bundled corpus (http://127.0.0.1:7860)
#   make test  installs the test dependencies (apt + pip) and runs every test, browser ones included
PY ?= python

.PHONY: run install test test-fast lint eval bench

install:
	$(PY) -m pip install -q -e .

run: install
	$(PY) ui.py

test:
	bash scripts/setup-test.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -q

test-fast:
	$(PY) -m pytest -q -m "not browser and not slow"

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check .
	@if command -v node >/dev/null; then node --check qa/web/static/app.js; fi

eval:
	policyqa eval bench/questions/devset.jsonl -v

bench:
	$(PY) bench/speed.py && $(PY) bench/coldstart.py
