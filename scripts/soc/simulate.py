"""Snakemake entry point: simulate every drive cycle with PyBaMM (logic in energyrepro.soc.simulate / profiles)."""

from energyrepro.io import write_csv, write_json
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.seeding import derive_seed
from energyrepro.soc import paper
from energyrepro.soc.profiles import current_profile
from energyrepro.soc.simulate import simulate_cycle
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
sim = sm.params.cfg

with job_run(sm, "soc", "simulate", tags={"data": "simulated"}) as run:
    run.deviations(paper.deviations(sm.params.cfg, training=False))
    for k, (cycle, spec) in enumerate(sim["cycles"].items()):
        seed = derive_seed(sm.params.seed, "soc", "profile", cycle)  # only the pulse profile is random
        c_rate = current_profile(spec["profile"], sim["profile_scale"][spec["profile"]], sim["max_duration_s"], seed)
        df, info = simulate_cycle(c_rate, spec["ambient_c"], sim["parameter_set"], sim["model"],
                                  sim["upper_cutoff_v"], sim["rtol"])
        log.info("%s: %s at %s degC, %d samples, SOC %.3f -> %.3f, T max %.1f degC", cycle, spec["profile"],
                 spec["ambient_c"], len(df), df.soc.iloc[0], df.soc.iloc[-1], df.temperature_c.max())
        write_csv(sm.output.csv[k], df)
        meta = {"cycle": cycle, **spec, "samples": len(df), "nominal_ah": info.nominal_ah,
                "capacity_ah": info.capacity_ah, "x0": info.x0, "x100": info.x100, "profile_seed": seed,
                "parameter_set": info.parameter_set, "model": sim["model"], "final_soc": float(df.soc.iloc[-1])}
        write_json(sm.output.meta[k], meta)
        run.log_metrics({f"{cycle}.samples": len(df), f"{cycle}.final_soc": meta["final_soc"],
                         f"{cycle}.max_temperature_c": float(df.temperature_c.max())})
    summary(f"soc simulate: {len(sim['cycles'])} cycles with PyBaMM {sim['model']}")
