"""Snakemake entry point: simulate one drive cycle with PyBaMM (logic in energyrepro.soc.simulate)."""

from energyrepro.io import write_csv, write_json
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.seeding import derive_seed
from energyrepro.soc.profiles import current_profile
from energyrepro.soc.simulate import simulate_cycle
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
sim, cycle = sm.params.sim, sm.wildcards.cycle
spec = sim["cycles"][cycle]
seed = derive_seed(sm.config["seed"], "soc", "profile", cycle)  # only the pulse profile is random

with job_run(sm, "soc", f"simulate_{cycle}", seed=seed, tags={"data": "simulated"}) as run:
    run.deviation("data", "simulated", "CALCE files cannot be fetched offline; PyBaMM "
                  f"{sim['model']} + lumped thermal, {sim['parameter_set']} cell, replaces the measured cycles")
    c_rate = current_profile(spec["profile"], sim["profile_scale"][spec["profile"]], sim["max_duration_s"], seed)
    log.info("simulating %s: %s at %s degC, up to %d s", cycle, spec["profile"], spec["ambient_c"], len(c_rate))
    df, info = simulate_cycle(c_rate, spec["ambient_c"], sim["parameter_set"], sim["model"],
                              sim["upper_cutoff_v"], sim["rtol"])
    log.info("%s: %d samples, SOC %.3f -> %.3f, T max %.1f degC", cycle, len(df), df.soc.iloc[0],
             df.soc.iloc[-1], df.temperature_c.max())
    write_csv(sm.output.csv, df)
    meta = {"cycle": cycle, **spec, "samples": len(df), "nominal_ah": info.nominal_ah,
            "capacity_ah": info.capacity_ah, "x0": info.x0, "x100": info.x100,
            "parameter_set": info.parameter_set, "model": sim["model"], "final_soc": float(df.soc.iloc[-1])}
    write_json(sm.output.meta, meta)
    run.log_metrics({"samples": len(df), "final_soc": meta["final_soc"],
                     "max_temperature_c": float(df.temperature_c.max())})
