# Shared wiring: paths, provenance params and the per-study target registries (no rules here).
ENV = "../../environment.yml"
STUDIES = ["el", "relay", "soc", "pricing", "uc"]
# One output root per profile (CONVENTIONS.md): quick, paper and test never share a path.
PROFILE = config["profile"]
RESULTS = os.path.join("results", PROFILE)
# One MLflow store for every profile (runs carry a `profile` tag); each profile records its experiment ids
# and the runs that group its jobs per study in its own experiments file.
EXPERIMENTS = os.path.join(RESULTS, "mlflow", "experiments.json")
# The paper profile's settings: claims are comparable only where the run's settings equal these (read for
# their values only: its path keys are relative to wherever a paper run works, not to this run's folder).
PAPER_CFG = load_config(os.path.join(workflow.basedir, "config", "paper.yaml"), paths=False)

# Each study's .smk adds its final outputs here; `rule all` builds those of config["studies"].
TARGETS = {study: [] for study in STUDIES}
# Each study's .smk adds its figure/table outputs here; the `figures` target redraws them.
FIGURES = {study: [] for study in STUDIES}


def R(study, *parts):
    """A path under results/<profile>/<study>/."""
    return os.path.join(RESULTS, study, *parts)


def run_json(study, job):
    return R(study, "runs", f"{job}.json")


def log_path(study, job):
    return os.path.join(RESULTS, "logs", study, f"{job}.log")


def bench_path(study, job):
    return os.path.join(RESULTS, "benchmarks", study, f"{job}.tsv")


def image(study, folder, name, caption, pdf=True):
    """A PNG registered for the report with its caption (workflow/report/<study>/<caption>.rst), and for a
    figure its declared PDF twin: [png, pdf]; a table image alone: png."""
    png = report(R(study, folder, f"{name}.png"), caption=f"../report/{study}/{caption}.rst", category=study)
    return [png, R(study, folder, f"{name}.pdf")] if pdf else png


def enabled(study):
    return study in config["studies"]


def all_targets():
    return [t for s in config["studies"] for t in TARGETS[s]] + REPORT_TARGETS
