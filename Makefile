# powerkit — every target creates .venv when missing and installs the project into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.powerkit-installed
# what a consultant's commands need: powerkit and the compiled graph library for big deals
# (the scale extra); the test, bench (peers: negmas, powerindex), dashboard and dev extras
# come with `make install` and every target that needs them
RUN    := $(VENV)/.powerkit-run
DEAL   ?= data/deals/northwind-vendor
JOBS   ?= 2

.PHONY: install report reports test test-quick lab bench workshop tables lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[scale]"
	touch $(RUN)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[all]"
	touch $(STAMP) $(RUN)

install: $(STAMP)  ## create .venv and install powerkit with every extra

report: $(RUN)  ## the sample deal's client report -> reports/<deal-id>.html
	$(BIN)/powerkit report $(DEAL) --out reports

reports: $(RUN)  ## a report for every sample deal, in parallel
	$(BIN)/powerkit report data/deals/* --out reports

test: $(STAMP)  ## the layers contract, then the whole suite: unit, doctests, notebooks (papermill + nbval), browser
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile -p no:cacheprovider tests powerkit notebooks --nbval-lax --nbval-kernel-name python3 --nbval-cell-timeout 300

test-quick: $(STAMP)  ## while developing: the suite without browser, slow and install tests (make test before a commit)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile -p no:cacheprovider -m "not browser and not slow" tests powerkit

lab: $(STAMP)  ## JupyterLab on the walkthrough notebooks
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)  ## performance ratios against floors and peers
	$(BIN)/python benchmarks/run.py

workshop: $(STAMP)  ## walkthroughs + workshop as Voila dashboards on http://127.0.0.1:8866/
	$(BIN)/powerkit workshop --port 8866 $(if $(DEALS),--deals "$(DEALS)")

tables: $(RUN)  ## the sample deal's result tables as a formula-safe Excel workbook
	$(BIN)/powerkit tables $(DEAL) --out reports

lint: $(STAMP)
	$(BIN)/ruff check powerkit tests benchmarks notebooks

clean:
	rm -rf reports .pytest_cache test-artifacts
