# Two commands for a new user:  `make site` (set up + build the sample dossier)
# and `make test` (run the tests). `.ci/run` calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup site serve test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/setup.sh
	touch $@

site: setup
	$(BIN)/dossier build --strict

serve: setup
	$(BIN)/dossier serve

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

clean:
	rm -rf site .site-* content/.dossier-manifest.json content/index.md \
	  content/people content/places content/organisations content/sources \
	  content/map content/network content/exports content/assets/vendor content/assets/dossier
