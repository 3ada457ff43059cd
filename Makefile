# Two commands on a fresh machine with python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POLICYDIFF_CORPORA ?= ../shared/corpora
export POLICYDIFF_CORPORA

.PHONY: demo test lint typecheck unit bench golden docs clean eval

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.dask-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dask]'
	touch $@

$(VENV)/.docs-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[docs]'
	touch $@

demo: $(VENV)/.installed
	@$(BIN)/policydiff diff corpora/sample-2022.txt corpora/sample-2023.txt --changes-only; \
	  status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/policydiff diff corpora/sample-2022.txt corpora/sample-2023.txt --format html -o demo-report.html || [ $$? -eq 1 ]
	@echo "HTML report written to demo-report.html"

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

unit: $(VENV)/.test-installed
	$(BIN)/pytest

test: lint typecheck unit

golden: $(VENV)/.test-installed
	$(BIN)/pytest tests/test_render.py --update-golden

# Alignment scores on every gold (shared and eval/golds), and the mutation properties: not part of `make test`.
eval: $(VENV)/.test-installed
	$(BIN)/python tools/eval.py
	$(BIN)/pytest -q tests/test_properties.py -k "known_edits or condensed_group or removed_ones_slot"

bench: $(VENV)/.installed $(VENV)/.dask-installed
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/read_pdf.py
	$(BIN)/python bench/html_extract.py
	$(BIN)/python bench/timeline.py
	$(BIN)/python bench/scaling.py
	$(BIN)/python bench/facts.py
	$(BIN)/python bench/limits.py

# The API reference, from the docstrings (pdoc): written to build/docs/, never into tracked files.
docs: $(VENV)/.docs-installed
	rm -rf build/docs
	$(BIN)/pdoc --docformat google --no-show-source --footer-text "policydiff" -o build/docs \
	  policydiff policydiff.render policydiff.model policydiff.timeline_model policydiff.locate
	@echo "API reference written to build/docs/index.html"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis demo-report.html build/docs

# The README's screenshot of the HTML report: made on purpose, never by a test.
.PHONY: screenshot
screenshot: $(VENV)/.test-installed
	$(BIN)/python tools/screenshot.py docs/report-screenshot.png
