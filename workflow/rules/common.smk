# Shared wiring: paths and the per-study target registries (functions only; rules live in other files).
ENV = "../../environment.yml"
EXPERIMENTS = "results/mlflow/experiments.json"
STUDIES = ["el", "relay", "soc", "pricing", "uc"]

# Each study's .smk adds its final outputs here; `rule all` builds those of config["studies"].
TARGETS = {study: [] for study in STUDIES}
# Each study's .smk adds its figure/table outputs here; the `figures` target redraws them.
FIGURES = {study: [] for study in STUDIES}


def R(study, *parts):
    """A path under results/<study>/."""
    return os.path.join("results", study, *parts)


def run_json(study, job):
    return R(study, "runs", f"{job}.json")


def log_path(study, job):
    return f"results/logs/{study}/{job}.log"


def bench_path(study, job):
    return f"results/benchmarks/{study}/{job}.tsv"


def enabled(study):
    return study in config["studies"]


def all_targets():
    return [t for s in config["studies"] for t in TARGETS[s]] + REPORT_TARGETS

