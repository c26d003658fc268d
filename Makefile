# Two commands on a fresh machine: `make reproduce` (set up + run the quick pipeline) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORES  ?= all
SMK    := $(BIN)/snakemake

.PHONY: setup reproduce paper test test-fast lint figures publish report bench readme-results mlflow-ui test-cluster test-server clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the project with pinned dependencies

reproduce: $(STAMP)  ## the quick profile of all five studies, end to end
	$(SMK) --cores $(CORES)

paper: $(STAMP)  ## the papers' full scale (many cores / a GPU recommended)
	$(SMK) --cores $(CORES) --configfile config/paper.yaml

test: $(STAMP)  ## everything: unit tests, schema rejections, lint, dry runs, tracking, tiny end-to-end runs
	$(BIN)/pytest -n 2 -q

test-fast: $(STAMP)  ## the edit-test loop: every test not marked slow (< 2 min)
	$(BIN)/pytest -n 2 -q -m "not slow"

lint: $(STAMP)  ## ruff (Python), snakefmt (rules) and Snakemake's own lint
	$(BIN)/ruff check src scripts tests benchmarks tools
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(SMK) --lint

# `make figures` redraws the paper profile's figures and table images from results/paper, or, on a fresh clone,
# from the committed published/paper (plot rules only: nothing is trained or simulated). FIGCONFIG picks another profile;
# the studies are those its MANIFEST says were published (else the profile's).
FIGCONFIG ?= config/paper.yaml
FIGSTUDIES = $$($(BIN)/python -m energyrepro.publish studies --configfile $(FIGCONFIG))
PLOT_RULES = $$($(SMK) figures --quiet rules --forceall -n --configfile $(FIGCONFIG) --config $(FIGSTUDIES) 2>/dev/null | grep -o '^[a-z0-9]*_plot[a-z0-9_]*' | sort -u)

figures: $(STAMP)  ## redraw every paper figure/table from saved result files (published/paper on a fresh clone)
	$(SMK) mlflow_init --cores 1 --configfile $(FIGCONFIG) --config $(FIGSTUDIES)
	$(BIN)/python -m energyrepro.publish restore --configfile $(FIGCONFIG)
	$(SMK) figures --cores 2 --allowed-rules $(PLOT_RULES) --forcerun $(PLOT_RULES) --configfile $(FIGCONFIG) --config $(FIGSTUDIES)

publish: $(STAMP)  ## copy a finished paper run's claims, tables, figures and plot inputs to published/paper
	$(BIN)/python -m energyrepro.publish publish --configfile config/paper.yaml $(PUBLISH_ARGS)

report: $(STAMP)  ## Snakemake HTML/zip report with every figure and table (claims first)
	$(SMK) --report results/quick/report.zip

mlflow-ui: $(STAMP)  ## the MLflow UI on the results' store (artifact paths repointed if the folder moved)
	$(BIN)/python -m energyrepro.tracking relocate results/mlflow.db
	@echo "open http://127.0.0.1:5000/#/experiments?workflowType=machine_learning (the Model training view)"
	$(BIN)/mlflow ui --backend-store-uri sqlite:///results/mlflow.db --host 127.0.0.1 --port 5000

bench: $(STAMP)  ## the quick profile end to end (timed, every job re-run), benchmarks/*.py, summary -> published/benchmarks.md
	mkdir -p results/quick
	start=$$(date +%s) && $(SMK) --cores 2 --forceall && echo $$(( $$(date +%s) - start )) > results/quick/elapsed_s.txt
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done
	$(BIN)/python -m energyrepro.report benchmarks --elapsed results/quick/elapsed_s.txt --summary published/benchmarks.md

readme-results: $(STAMP)  ## regenerate README's results section from published/paper (and results/quick) claims
	$(BIN)/python -m energyrepro.report readme

clean:  ## remove every result of every profile (published/ stays)
	rm -rf results/* .snakemake
	git checkout -- results/README.md

# Scale-out tests (docs/scale-out.md): real services on loopback, started and torn down by
# tools/cluster/with-services.sh (pid files, EXIT trap, timeout -k). Debian packages are installed
# when missing (needs root). ENERGYREPRO_CLUSTER_STUDIES picks the studies (default: el).
CLUSTER_STAMP := $(VENV)/.cluster-stamp

$(CLUSTER_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[slurm,server]'
	touch $(CLUSTER_STAMP)

test-cluster: $(STAMP) $(CLUSTER_STAMP)  ## single-node SLURM + MLflow server: tiny config via workflow/profiles/slurm vs a local run
	tools/cluster/install.sh slurm server
	ENERGYREPRO_CLUSTER=1 tools/cluster/with-services.sh --slurm --server --timeout 600 -- \
		$(BIN)/pytest -q tests/cluster/test_cluster_slurm.py

test-server: $(STAMP) $(CLUSTER_STAMP)  ## MLflow server on PostgreSQL: tiny config + 16 concurrent tracked jobs against it
	tools/cluster/install.sh server
	ENERGYREPRO_CLUSTER=1 tools/cluster/with-services.sh --server --timeout 480 -- \
		$(BIN)/pytest -q tests/cluster/test_cluster_server.py
