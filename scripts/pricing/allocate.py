"""Snakemake entry point: price one network (flows, GGDF/GLDF, postage stamp, MW-mile, counter-flow)."""

import numpy as np

from energyrepro.io import write_csv
from energyrepro.pricing.reference import paper_tables
from energyrepro.pricing.study import build, capacity_by_bus, price, sensitivity
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
cfg, system = sm.params.cfg, sm.wildcards.system

with job_run(sm, "pricing", f"allocate_{system}") as run:
    paper = paper_tables()
    pn = build(system, cfg, paper)
    res = price(pn, cfg["gen_shares_pct"], cfg["profit_sharing_r"], ac=True)
    sens = sensitivity(system, cfg, paper)
    for key in ("allocation", "users", "lines", "user_flows"):
        write_csv(sm.output[key], res[key])
    write_csv(sm.output.sensitivity, sens)
    users, lines = res["users"], res["lines"]
    gens = users[users.side == "gen"]
    over = gens[gens.p_mw.to_numpy() > capacity_by_bus(system).reindex(gens.bus).to_numpy() + 1e-6]
    log.info("%s dispatch (MW): %s", system, gens.set_index("name").p_mw.round(2).to_dict())
    run.log_metrics({"pf_max_abs_diff_mw": float(np.abs(lines.flow_mw - lines.pandapower_flow_mw).max()),
                     "ac_dc_max_abs_diff_mw": float(np.abs(lines.ac_flow_mw - lines.flow_mw).max()),
                     "ac_dc_rel_diff": float(np.abs(lines.ac_flow_mw - lines.flow_mw).sum() / np.abs(lines.flow_mw).sum()),
                     "max_loading": float(lines.loading.max()), "units_over_capacity": len(over),
                     "absolute_total": users.absolute.sum(), "zero_counterflow_total": users.zero_counterflow.sum(),
                     "counterflow_total": users.counterflow.sum(), "load_mw": users[users.side == "load"].p_mw.sum()})
    run.deviation("power_flow", "dc", "allocation uses the lossless DC power flow (PTDF/GGDF); the paper does not say")
    run.deviation("cost_per_mw_mile", "uniform", "the paper gives no per-line cost per MW-mile: C_k is uniform, "
                  "so the MW-mile weight of a line is its length")
    if system == "garver6":
        run.deviation("garver_topology", cfg[system]["topology"], "Garver's base network isolates bus 6 and the "
                      "paper names no corridors: an expansion plan of Romero et al. (2002) is priced")
        run.deviation("line_length", "corridor_cost", "Garver gives no lengths: corridor cost (= 100 x) is the proxy")
    if cfg[system]["dispatch"] == "paper_implied":
        run.deviation("dispatch", "paper_implied", "the paper gives no dispatch: generation pro rata to its "
                      "postage-stamp generator table")
    else:
        run.deviation("dispatch", "reference", "the paper gives no dispatch and the one its Table 5 implies exceeds "
                      "unit capacities: pandapower DC OPF / Garver schedule instead")
    if len(over):
        log.warning("%s: units above installed capacity: %s", system, over.name.tolist())
