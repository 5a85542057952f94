# Two commands for a new user:  `make site` (set up + build the sample dossier)
# and `make test` (run the tests, build the docs). `.ci/run` calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup site serve docs screenshots test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package-lock.json scripts/setup.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/setup.sh
	touch $@

site: setup
	$(BIN)/dossier build --strict

serve: setup
	$(BIN)/dossier serve

# The documentation of dossier (docs/pages/), not a dossier: into docs/site/.
DOCS = NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml
docs: setup
	$(DOCS)

# The pictures of docs/pages/assets/screenshots/, taken of the sample site in chromium.
screenshots: site
	$(BIN)/python scripts/screenshots.py

# mypy (20 s of one core from a clean clone) checks while pytest runs, whose two workers
# leave a core idle whenever they wait on MkDocs, a browser or a subprocess; its report
# comes after the tests', and either failing fails the target. `--dist loadfile`: a test
# file per worker, its fixtures built once.
test: setup
	$(BIN)/ruff check .
	out=$$(mktemp -d) && $(DOCS) -d $$out && rm -rf $$out
	types=$$(mktemp) && { $(BIN)/mypy >$$types 2>&1 & } && mypy=$$! && \
	  { $(BIN)/pytest -n 2 --dist loadfile; tests=$$?; } && \
	  { wait $$mypy; checked=$$?; } && cat $$types && rm -f $$types && \
	  test $$tests -eq 0 && test $$checked -eq 0

clean:
	rm -rf site .site-* docs/site content/.dossier-manifest.json content/index.md \
	  content/people content/places content/organisations content/sources \
	  content/map content/network content/exports content/assets/vendor content/assets/dossier
