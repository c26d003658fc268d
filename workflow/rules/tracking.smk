# The one rule that creates the MLflow store, the study experiments and this profile's grouping runs
# before any parallel job starts.


rule mlflow_init:
    output:
        EXPERIMENTS,
    log:
        log_path("common", "mlflow_init"),
    conda:
        ENV
    params:
        uri=os.environ["MLFLOW_TRACKING_URI"],
        studies=STUDIES,
        profile=PROFILE,
    script:
        "../../scripts/common/mlflow_init.py"
