# chaosstat's make targets. `make test` is the one test command; .ci/run calls it; TESTING.md says
# what it runs and what each step costs.
#
#   make test    install what the tests need when it is missing, then go vet and go test (-race where there is concurrency), with the Python package's tests and the notebook beside it
#   make python-test  the Python package's tests (python/tests) with Debian's python3
#   make notebook  execute examples/notebook/chaosstat.ipynb headless; fails if any cell fails
#   make bench   run every benchmark once, with allocations
#   make fuzz    run each fuzz target for FUZZTIME
#   make refs    regenerate testdata/reference with scipy and R (by hand, not CI)

GO ?= go
FUZZTIME ?= 10s

# Debian packages the tests need; `make deps` installs the ones missing. gcc:
# go test -race needs cgo and a C compiler. prometheus: the prom and
# cmd/chaosstat tests start a real server (/usr/bin/prometheus) with data
# backfilled by promtool, from the same package; under CI=true a missing
# server fails those tests rather than skipping them.
TEST_DEBS := gcc prometheus

# Debian packages `make notebook` needs: nbconvert, the "python3" kernel it
# runs (python3-ipykernel's kernelspec, which is Debian's /usr/bin/python3,
# not whatever python3 comes first on PATH) and the notebook's imports.
NOTEBOOK_DEBS := jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib

# Debian packages `make python-test` needs: the venv module and setuptools
# (with wheel) to install the package offline as python/README.md says, and
# pandas for to_frame().
PYTHON_DEBS := python3-venv python3-setuptools python3-wheel python3-pandas

# Debian's python3, by path, as the notebook's kernel is: a python3 earlier on
# PATH (pyenv, conda) may lack pandas or setuptools.
PYTHON ?= /usr/bin/python3

# Debian's nbconvert, by path: a jupyter-nbconvert of another Python earlier on
# PATH would bring that Python's "python3" kernel, without pandas. Elsewhere:
# make notebook JUPYTER_NBCONVERT=jupyter-nbconvert
JUPYTER_NBCONVERT ?= /usr/bin/jupyter-nbconvert
# Seconds a notebook cell may run (the first builds the CLI) before it fails.
NOTEBOOK_TIMEOUT ?= 300

# Debian packages `make refs` needs: scipy 1.10 and R 4.2.2 with jsonlite and
# coin (the exact conditional Wilcoxon tails of compare/testdata/gen_exact_r.R).
REF_DEBS := python3-scipy r-base-core r-cran-jsonlite r-cran-coin

# install_debs installs the Debian packages in $(1) that are missing (neither a
# command of that name nor an installed package), with one apt-get update.
define install_debs
@missing=""; \
for p in $(1); do \
	command -v $$p >/dev/null 2>&1 || dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "missing:$$missing; install them (Debian package names) and run make again" >&2; exit 1; \
	fi; \
	sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	echo "installing:$$missing"; \
	$$sudo apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
fi
endef

.PHONY: test deps vet python-test notebook bench fuzz refs

# The race detector runs where there is concurrency: the packages that
# start goroutines (compare's parallel sort of large samples, prom's
# concurrent reads and promtest's server, baseline's calibration over the
# weeks in parallel, the monitor's live feed) and cmd/chaosstat, which
# drives them end to end. The other packages run without it: their
# simulations take five times as long under -race and share no memory
# between goroutines.
RACE_PKGS := ./compare ./prom/... ./steadystate/baseline ./steadystate/monitor ./server/... ./cmd/chaosstat

# NORACE_TESTS are tests of the race packages that run in one goroutine:
# seeded simulations, replays of test data and exhaustive checks whose
# library calls start none (compare sorts concurrently only from 65,536
# values, the monitor starts a goroutine only in Follow). Under -race they
# took 5 to 10 times as long and could find nothing: the race run skips
# them and a plain go test runs them (together, every test runs once). A new
# heavy simulation in a race package goes here, by name; a name that no
# longer matches only costs time (that test runs under -race). The demo's
# tests are here too: the demo renders one workflow.Run, whose only
# goroutines (baseline's calibration) are raced in steadystate/baseline,
# and under -race it took 25 times as long (1.3 s to 32 s). So are
# cmd/chaosstat's golden, plot, JSON-contract and quoted-docs cases: each runs
# a command on files in one goroutine of its own (the library's goroutines are
# raced in their packages) and under -race they took 45 of the package's 72 s
# (the demo's two goldens 16 s each, criteria's week 8 to 11 s). The race run
# keeps what shares memory across goroutines in this package: the Prometheus
# end-to-end tests, the live monitor and the interrupts. server's
# TestGoldenJSON likewise replays every JSON golden through the handler (50
# of the package's 61 s under -race); the handler's concurrency stays raced
# by the package's other tests.
NORACE_TESTS := \
	TestMonitorFalseStopRate TestMonitorPlainMSPRT TestMonitorCoverage TestMonitorDetectsDrop \
	TestMonitorShapes TestMonitorShapesPrimed TestMonitorKnownVariance TestMonitorEarlyFrontier TestMonitorDropPhase \
	TestQuantileCoverage TestQuantileFalseAlarms TestQuantileSeesShapeChange TestQuantileBootMatchesResampling \
	TestTimeSeriesOtherProcesses TestTimeSeriesPower TestTimeSeriesFalseAlarms TestTimeSeriesTail \
	TestTimeSeriesLevelShift TestTimeSeriesSegment TestTimeSeriesHistoryFalseAlarms TestTimeSeriesHistoryShift \
	TestAAFalsePositiveRateSimulation TestAAVariants TestHodgesLehmannCoverage \
	TestMannWhitneyUFalsePositiveRate TestCUPEDSimulation TestUCDFMatchesExactCounts \
	TestTiedTailsEnumerated TestKthDiffsMatchBruteForce \
	TestDemoSixSteps TestDemoOut TestDemoJSON TestREADMEDemoSummary \
	TestGolden TestPlot TestJSONContract TestAAJSONContract TestCriteriaJSONContract TestBaselineJSONContract \
	TestDocsQuotedOutput TestGoldenJSON
# The names joined into one anchored regular expression for -skip and -run:
# ^(TestA|TestB|...)$
empty :=
space := $(empty) $(empty)
NORACE := ^($(subst $(space),|,$(strip $(NORACE_TESTS))))$$

# The Python package's tests and the notebook (about 40 s, mostly on one
# core) run in the background beside go test, which leaves a core idle at
# the end of each of its three runs. Their output goes to a file that is
# printed after go test's, so the two never interleave; the target fails if
# go test or either of them fails (-k: the notebook runs even when the
# Python tests fail). To run them alone: make python-test notebook.
# BG_MAKE keeps the name MAKE out of the recipe: make -n runs a recipe line
# that names it, and make -n test should only print.
BG_MAKE = $(MAKE) --no-print-directory -k
# TEST_P is go test's -p, the packages tested at once. Its default, the number
# of cores, leaves a core idle while a package waits rather than computes: the
# Prometheus end-to-end tests (server/monitors, prom, cmd/chaosstat) spend most
# of their time waiting for scrapes and servers. 4 lets two such packages wait
# while two others compute; CPU work is unchanged.
TEST_P ?= 4
test: deps vet
	@bglog=$$(mktemp) && trap 'rm -f "$$bglog"' EXIT; \
	echo "$(BG_MAKE) python-test notebook > $$bglog &  # printed after go test"; \
	$(BG_MAKE) python-test notebook > "$$bglog" 2>&1 & bg=$$!; \
	status=0; \
	echo "$(GO) test -p $(TEST_P) -race -skip '$(NORACE)' $(RACE_PKGS)"; \
	$(GO) test -p $(TEST_P) -race -skip '$(NORACE)' $(RACE_PKGS) || status=1; \
	echo "$(GO) test -p $(TEST_P) -run '$(NORACE)' $(RACE_PKGS)"; \
	$(GO) test -p $(TEST_P) -run '$(NORACE)' $(RACE_PKGS) || status=1; \
	echo '$(GO) test -p $(TEST_P) $$($(GO) list ./... | grep -v -x -F "$$($(GO) list $(RACE_PKGS))")'; \
	$(GO) test -p $(TEST_P) $$($(GO) list ./... | grep -v -x -F "$$($(GO) list $(RACE_PKGS))") || status=1; \
	wait $$bg; bgstatus=$$?; \
	echo "--- make python-test notebook (ran beside go test): exit $$bgstatus"; \
	cat "$$bglog"; \
	[ $$bgstatus -eq 0 ] || { echo "make test: python-test or notebook failed (above)" >&2; status=1; }; \
	[ $$status -eq 0 ] || echo "make test: FAIL" >&2; \
	exit $$status

deps:
	$(call install_debs,$(TEST_DEBS) $(PYTHON_DEBS) $(NOTEBOOK_DEBS))

vet:
	$(GO) vet ./...

# The Python package's tests (unittest): each function against the command run
# directly, the offline install in a fresh venv, the search for the command.
# They build the command once into a temporary folder; about half a minute.
python-test: deps
	$(PYTHON) -m unittest discover -s python/tests -t python

# The notebook runs top to bottom in a fresh kernel, as a newcomer would run it;
# a cell that raises or outlasts NOTEBOOK_TIMEOUT fails the target. The
# executed copy goes to a temporary folder, removed afterwards, so the
# committed notebook stays without outputs (checked first: a notebook committed
# after running it would carry stale results and half a megabyte of images). Not a
# Go test: it needs Python and Jupyter, and go test stays fast and hermetic.
NOTEBOOK := examples/notebook/chaosstat.ipynb
notebook: deps
	python3 -c 'import json, sys; p = sys.argv[1]; bad = [i for i, c in enumerate(json.load(open(p))["cells"]) if c.get("outputs") or c.get("execution_count")]; sys.exit(f"{p}: cells {bad} hold outputs; clear them: jupyter nbconvert --clear-output --inplace {p}" if bad else 0)' $(NOTEBOOK)
	out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	$(JUPYTER_NBCONVERT) --to notebook --execute \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.timeout=$(NOTEBOOK_TIMEOUT) \
		--output-dir "$$out" $(NOTEBOOK)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target runs on its own: go test -fuzz takes one target at a time.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "$(GO) test -run '^$$' -fuzz '^$$f$$' -fuzztime $(FUZZTIME) $$pkg"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

refs:
	$(call install_debs,$(REF_DEBS))
	/usr/bin/python3 testdata/reference/gen_scipy.py
	Rscript testdata/reference/gen_r.R
	/usr/bin/python3 compare/testdata/gen_exact_scipy.py
	Rscript compare/testdata/gen_exact_r.R
