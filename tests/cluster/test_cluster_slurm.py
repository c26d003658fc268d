"""The tiny config through `--workflow-profile workflow/profiles/slurm` on a real single-node SLURM:
every job is a SLURM job with the threads/GPU it declares, the results equal a local run's with the
same seed, and (when the tracking server is up) every run-id file resolves on the server.

Run by `make test-cluster` (tools/cluster/with-services.sh --slurm --server); skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from cluster.cluster_helpers import (
    REPO,
    check_run_files_on_server,
    comment_rule,
    compare_results,
    parse_snakemake_log,
    sacct_jobs,
    server_uri,
    skip_unless_enabled,
    start,
    stop,
    studies,
    tiny_run_cmd,
    work_dir,
)

pytestmark = [skip_unless_enabled, pytest.mark.slow]

# Each run must finish within this (seconds); `timeout -k` also kills a plugin that hangs.
RUN_LIMIT = int(os.environ.get("ENERGYREPRO_SLURM_RUN_TIMEOUT", "420"))
SOURCE_DATE_EPOCH = "1700000000"  # so PDF creation dates do not differ between the two runs


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The SLURM run and, at the same time, a local run of the same config (same seed, SQLite store)."""
    if not os.environ.get("SLURM_CONF") or not shutil.which("sbatch"):
        pytest.fail("no SLURM here (SLURM_CONF unset or sbatch missing): start it with "
                    "tools/cluster/with-services.sh --slurm (make test-cluster does)")
    chosen = studies()
    uri = server_uri(required=False)
    base = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    base.pop("MLFLOW_TRACKING_URI", None)
    slurm_wd, local_wd = work_dir(tmp_path_factory, "slurm_run"), work_dir(tmp_path_factory, "local_run")
    slurm_cmd = tiny_run_cmd(slurm_wd, chosen, "--workflow-profile", str(REPO / "workflow" / "profiles" / "slurm"),
                             # tiny jobs: poll soon; never ask for more CPUs than the test node has
                             "--slurm-init-seconds-before-status-checks", "5",
                             "--max-threads", str(os.cpu_count() or 1), limit=RUN_LIMIT)
    local_cmd = tiny_run_cmd(local_wd, chosen, "--cores", "2", limit=RUN_LIMIT)
    slurm_env = dict(base, **({"MLFLOW_TRACKING_URI": uri} if uri else {}))
    procs = {"slurm": start(slurm_cmd, slurm_wd / "snakemake.out", slurm_env),
             "local": start(local_cmd, local_wd / "snakemake.out", base)}
    try:
        rcs = {k: p.wait(timeout=RUN_LIMIT + 60) for k, p in procs.items()}
    finally:
        for p in procs.values():
            stop(p)
    for (name, cmd, wd) in (("slurm", slurm_cmd, slurm_wd), ("local", local_cmd, local_wd)):
        out = (wd / "snakemake.out").read_text()
        if rcs[name] in (124, 137):
            pytest.fail(f"the {name} run did not finish within {RUN_LIMIT}s and was killed (a SLURM plugin "
                        f"that cannot read sacct waits for ever); {wd}/snakemake.out:\n{out[-6000:]}")
        assert rcs[name] == 0, f"{name} run failed ({rcs[name]}): {' '.join(cmd)}\n{out[-8000:]}"
    return SimpleNamespace(wd=slurm_wd, local=local_wd, log=(slurm_wd / "snakemake.out").read_text(),
                           uri=uri, studies=chosen)


def test_every_job_ran_as_a_slurm_job(runs):
    plan = parse_snakemake_log(runs.log)
    assert plan.slurm_run_id, "the SLURM executor was not used (no 'SLURM run ID' in the log)"
    expected = {r: n for r, n in plan.counts.items() if r != "all"}  # `all` only collects targets
    assert expected.get("mlflow_init") == 1 and len(expected) > 1, f"unexpected DAG: {plan.counts}"
    jobs = sacct_jobs(plan.slurm_run_id)
    ran: dict[str, int] = {}
    problems = []
    for job in jobs:
        rule = comment_rule(job.comment, expected)
        if rule is None:
            problems.append(f"SLURM job {job.job_id} has no known rule in its comment {job.comment!r}")
            continue
        ran[rule] = ran.get(rule, 0) + 1
        if job.state != "COMPLETED" or job.exit_code != "0:0":
            problems.append(f"job {job.job_id} ({rule}): {job.state} exit {job.exit_code}")
        if Path(job.workdir).resolve() != runs.wd.resolve():
            problems.append(f"job {job.job_id} ({rule}) ran in {job.workdir}, not {runs.wd}")
        spec = plan.specs.get(rule)
        if spec is None:
            problems.append(f"rule {rule}: no job block in the Snakemake log to read its threads/GPUs from")
        elif job.tres("cpu") != spec.threads:
            problems.append(f"job {job.job_id} ({rule}): {job.tres('cpu')} CPUs allocated, "
                            f"rule has {spec.threads} threads")
        if spec and job.tres("gres/gpu") != spec.gpu:  # gpu=1 -> sbatch --gpus=1
            problems.append(f"job {job.job_id} ({rule}): {job.tres('gres/gpu')} GPUs allocated, "
                            f"rule asks gpu={spec.gpu}")
    assert ran == expected, f"SLURM jobs per rule {ran} != Snakemake's jobs {expected}"
    assert not problems, "\n".join(problems)


def test_outputs_equal_a_local_run_with_the_same_seed(runs):
    compared, diffs = compare_results(runs.local, runs.wd)
    assert compared, "no result files to compare"
    for study in runs.studies:
        assert any(k.startswith(f"results/test/{study}/") for k in compared), f"no results of {study} compared"
    assert not diffs, f"SLURM run {runs.wd} and local run {runs.local} differ:\n" + "\n".join(diffs)


def test_slurm_run_ids_resolve_on_the_tracking_server(runs):
    if not runs.uri:
        pytest.skip("no tracking server (ENERGYREPRO_SERVER_URI unset): the SLURM run tracked to SQLite")
    per_study = check_run_files_on_server(runs.wd, runs.uri, runs.studies)
    assert all(n > 0 for n in per_study.values()), per_study
