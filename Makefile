# Kagami's front door. `make demo` and `make test` work on a fresh machine with Python 3.11 and pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo-out
# The peers benchmarks run against, each in a venv of its own (never Kagami's).
PEERS  := bench/out/peers-venv
# Reference data beside the project, when present (the product ships loaders, not these lists).
DISARM    ?= $(wildcard ../shared/data/disarm/DISARM.json)
WATCHLIST ?= $(wildcard ../shared/data/watchlists/io_domains.csv)

.PHONY: demo test bench lint typecheck clean install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kagami demo --out $(DEMO) $(if $(DISARM),--disarm $(DISARM)) $(if $(WATCHLIST),--watchlist $(WATCHLIST))

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet coordination-network-toolkit==1.5.2
	touch $@

bench: $(STAMP) $(PEERS)/.installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/run.py --cnt 1000000
	$(BIN)/python bench/run.py --likes 10000000
	$(BIN)/python bench/run.py --quality 9001 9002
	$(BIN)/python bench/run.py --analyze 10

clean:
	rm -rf $(VENV) $(DEMO) kagami.duckdb .pytest_cache .mypy_cache .ruff_cache
