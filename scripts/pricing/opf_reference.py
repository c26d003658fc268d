"""Snakemake entry point: the exact reference of the dispatch problem (pandapower DC OPF), checked
against an independent scipy solve of our DC model."""

from energyrepro.io import write_json
from energyrepro.pricing.dispatch import load_case, opf_reference, problem_from_net, scipy_reference
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
d = sm.params.cfg["dispatch"]

with job_run(sm, "pricing", "opf_reference") as run:
    problem = problem_from_net(load_case(d["case"]), d["penalty_per_mw"], d["feasibility_tol_mw"])
    opf = opf_reference(load_case(d["case"]))
    ref = scipy_reference(problem)
    base = problem.full(load_case(d["case"]).gen.p_mw.to_numpy())[0]  # the case file's own schedule
    ev = problem.evaluate(opf["dispatch"][1:])
    out = {"case": d["case"], "opf_cost": opf["cost"], "opf_dispatch": opf["dispatch"],
           "scipy_cost": ref["cost"], "scipy_dispatch": ref["dispatch"], "base_dispatch": base,
           "base_cost": float(problem.cost(base[None])[0]), "opf_violation_mw": float(ev["violation"][0]),
           "load_mw": problem.load, "unit_bus": problem.unit_bus + 1, "lower": problem.lower, "upper": problem.upper}
    write_json(sm.output.json, out)
    log.info("DC OPF %.6f $/h, scipy %.6f $/h", opf["cost"], ref["cost"])
    run.log_metrics({"opf_cost": opf["cost"], "scipy_cost": ref["cost"],
                     "opf_scipy_abs_diff": abs(opf["cost"] - ref["cost"]), "base_cost": out["base_cost"]})
    run.deviation("power_flow", "dc_lossless", "the dispatch problem uses the DC model; the paper's includes losses")
