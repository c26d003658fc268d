# energyrepro: five energy-systems papers re-run from raw data to tables and figures.
# Rules live in workflow/rules/<study>.smk and only wire files; logic lives in src/energyrepro/.
import os

from snakemake.utils import min_version, validate

from energyrepro.config import load_config, validate_config

min_version("9.0")


# config/config.yaml (quick) is the default; a --configfile given on the command line REPLACES it rather than
# being merged into it, so no quick setting leaks into another profile (keys a file leaves out take the
# schema's defaults, exactly as energyrepro.config.load_config reads a file).
if not workflow.overwrite_configfiles:
    workflow.configfile("config/config.yaml")


validate(config, "workflow/schemas/config.schema.yaml")
# Also fills the defaults of the per-study schema files ($ref) and checks that path keys exist.
config.update(validate_config(config))

# Jobs (also remote ones) track to this store; MLFLOW_TRACKING_URI set by the user wins.
os.environ.setdefault("MLFLOW_TRACKING_URI", config["mlflow"]["tracking_uri"])


report: "workflow/report/workflow.rst"


envvars:
    "MLFLOW_TRACKING_URI",


include: "workflow/rules/common.smk"
include: "workflow/rules/tracking.smk"
include: "workflow/rules/el.smk"
include: "workflow/rules/relay.smk"
include: "workflow/rules/soc.smk"
include: "workflow/rules/pricing.smk"
include: "workflow/rules/uc.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_targets(),
