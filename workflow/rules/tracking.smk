# The one rule that creates the MLflow store and the study experiments before any parallel job.

rule mlflow_init:
    output:
        EXPERIMENTS,
    params:
        uri=os.environ["MLFLOW_TRACKING_URI"],
        studies=STUDIES,
    log:
        "results/logs/mlflow_init.log",
    conda:
        ENV
    script:
        "../../scripts/common/mlflow_init.py"
