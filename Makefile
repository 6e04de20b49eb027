# Two commands on a fresh Debian machine with Python >= 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT    := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run test test-fast bench lint libreoffice chromium web clean

run: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check '.[report]'
	$(BIN)/sheetgen build

test: $(BIN)/python libreoffice chromium
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,report]'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_CORES)

# the inner loop: every test that starts neither LibreOffice nor Gnumeric (nor a browser). A test that
# starts one carries the marker libreoffice or gnumeric (tests/conftest.py marks the users of its
# recalculating fixtures, and fails any test that starts an engine unmarked, so this tier cannot)
test-fast: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_CORES) -m "not libreoffice and not gnumeric and not browser and not corpus and not slow"

# on every core (pytest-xdist); tests/conftest.py's scheduler keeps each module, and the modules sharing
# the session's recalculated variants, on one worker. PYTEST_CORES= runs them in one process.
PYTEST_CORES ?= -n auto

# sheetgen build against bare xlsxwriter writing the same cells, and sheetgen verify; a class's round trip
# (sheetgen class, check --class); check at realistic sizes (default-size keys, the real student workbooks,
# 10,000 x 6, a round of 1,000 submissions); the web page in headless Chromium; writes the tables into docs/performance.md
bench: $(BIN)/python libreoffice chromium web
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python bench/bench.py --docs
	$(BIN)/python bench/bench_class.py --docs
	$(BIN)/python bench/bench_check.py --docs
	$(BIN)/python bench/bench_web.py --docs

# Debian's python3 lacks venv until python3-venv is installed; install it when we can (root).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    rm -rf $(VENV); $(APT) update -qq && $(APT) install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "make: cannot create $(VENV): install python3-venv (as root: apt-get install python3-venv)"; exit 1; fi; }

# LibreOffice Calc, headless, and Gnumeric (ssconvert), the two engines of the recalculation tests
# (and of `sheetgen verify`); poppler-utils (pdftoppm, pdftotext) and Carlito (Calibri's metrics, so
# LibreOffice lays text out as Excel does) for the tests that look at the workbook as LibreOffice prints it.
libreoffice:
	@command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v ssconvert >/dev/null 2>&1 \
	  && fc-list :family=Carlito family 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing LibreOffice Calc (headless), Gnumeric, poppler-utils and the Carlito font"; \
	    $(APT) update -qq && $(APT) install -y -qq --no-install-recommends \
	      libreoffice-calc-nogui gnumeric poppler-utils fonts-crosextra-carlito >/dev/null; \
	  else echo "LibreOffice (soffice), Gnumeric (ssconvert), pdftoppm or the Carlito font is missing and cannot be installed here:" \
	            "their tests will be skipped (a failure under CI=true)"; fi; }

# Chromium, headless, and its WebDriver: the browser of the web page's tests (tests/web/); npm, which
# fetches Pyodide for the page they test (make web); only what is missing (a machine's own Node.js brings npm, and
# Debian's npm conflicts with it: apt-get refused the three together)
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    missing="$$(command -v chromium >/dev/null 2>&1 || echo chromium) $$(command -v chromedriver >/dev/null 2>&1 || echo chromium-driver) $$(command -v npm >/dev/null 2>&1 || echo npm)"; \
	    echo "installing $$missing"; \
	    $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "chromium, chromedriver or npm is missing and cannot be installed here:" \
	            "the browser tests will be skipped (a failure under CI=true)"; fi; }

# the static page that runs sheetgen in the browser (Pyodide from npm, the wheels beside it): output/web/.
# Serve it with any static host, or: python3 -m http.server -d output/web (docs/web.md)
web: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then $(APT) update -qq && $(APT) install -y -qq npm >/dev/null; \
	  else echo "make web needs npm (as root: apt-get install npm)"; exit 1; fi; }
	$(BIN)/python web/build.py

# ruff, and the import contracts of .importlinter: who may import whom (docs/architecture.md)
lint: $(BIN)/python
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache output/*.xlsx output/web
