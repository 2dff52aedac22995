# wtkb: the two commands a newcomer needs are `make run` and `make test`.
# Both do all set-up first (a pinned .venv at the repo root).
SHELL := /bin/bash
PY := .venv/bin/python
WTKB := .venv/bin/wtkb
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run build serve test lint eval bench bench-scale bench-poison browser office clean

.venv/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup: .venv/.installed

## run: set up, build everything, serve the handbook and the API on http://$(HOST):$(PORT)/
run: setup
	$(WTKB) build
	$(WTKB) serve --host $(HOST) --port $(PORT)

build: setup
	$(WTKB) build

serve: setup
	$(WTKB) serve --host $(HOST) --port $(PORT)

AXE := tests/browser/node_modules/axe-core/axe.min.js

## browser: Debian's chromium (and npm, for axe-core) for the browser tests, installed when missing
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $$missing (apt-get)"; \
	    (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null) || echo "could not install $$missing: the browser tests will say what is missing"; \
	  else echo "$$missing not installed (needs root and apt-get): the browser tests will say what is missing"; fi; fi
	@$(MAKE) --no-print-directory $(AXE)

# axe-core, pinned by tests/browser/package-lock.json, for the accessibility checks
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; \
	else echo "npm not installed: the accessibility tests will be skipped"; fi

## office: LibreOffice (Impress) and poppler-utils, to render briefing decks to images in the tests
office:
	@missing=""; command -v soffice >/dev/null 2>&1 || missing="libreoffice-impress"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $$missing (apt-get)"; \
	    (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null) || echo "could not install $$missing: the deck image tests will say what is missing"; \
	  else echo "$$missing not installed (needs root and apt-get): the deck image tests will be skipped"; fi; fi

## test: set up, then lint and run every test
test: setup browser office
	.venv/bin/ruff check src tests api
	$(PY) -m pytest -q

lint: setup
	.venv/bin/ruff check src tests api

## eval: retrieval and answer quality on tests/eval (prints a table)
eval: setup
	$(PY) -m wtkb.dev.evaluate

## bench: speed of the API and the build (prints a table)
bench: setup
	$(PY) -m wtkb.dev.bench

## bench-scale: the growth table: 1x, 10x, 100x corpora, embedded and Chroma server, 1/2/4 workers
## (about 40 min on 2 cores; e.g. `make bench-scale ARGS="--factors 1,10 --seconds 5"` for less)
bench-scale: setup
	$(PY) -m wtkb.dev.scale $(ARGS)

## bench-poison: 16 clients for 30 s with one bad request a second; fails if any good request failed
bench-poison: setup
	$(PY) -m wtkb.dev.scale --poison $(ARGS)

clean:
	rm -rf _build index/chroma index/bm25 index/meta.json book/_build
