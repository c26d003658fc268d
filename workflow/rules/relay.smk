# Study `relay` (Oleskovicz, Coury & Aggarwal 2003): DPsim EMT faults on a 440 kV line -> windowed datasets ->
# five MLPs (every training seed in one job per network) -> sequential relay test (Table 2) -> claims.
from energyrepro.relay.faults import batch_of
from energyrepro.relay.training import training_slice

RELAY = config["relay"]
RELAY_TYPES = ["AG", "BG", "CG", "AB", "AC", "BC", "ABG", "ACG", "BCG", "ABC"]
RELAY_NETS = ["ann1", "ann2", "ann3", "ann4", "ann5"]
RELAY_SETS = RELAY_NETS + ["test"]
# network, measurement chain, windows, architectures, relay logic: an input, so editing it re-runs what depends on it
RELAY_SYSTEM = RELAY["system_file"] or os.path.join(workflow.basedir, "src/energyrepro/relay/data/system.yaml")
RELAY_BATCH = batch_of(RELAY["batches"], RELAY_SETS)  # data set -> the simulation batch holding its cases
RELAY_SHARDS = {
    b: [R("relay", "data", "sims", f"{b}_{i}.npz") for i in range(batch["shards"])]
    for b, batch in RELAY["batches"].items()
}
# the settings the claims depend on (relay.claims.TEST_DEPENDS): what the claims job compares with the paper profile
RELAY_CLAIM_KEYS = ["datasets", "nets", "n_normal", "val_frac", "seeds"]
# every figure or table image (PNG shown in the report, and PDF): name -> (folder, caption file, report subcategory)
RELAY_IMAGES = {
    "table2_relay": ("tables", "table2", None),
    "fig_confusion": ("figures", "confusion", None),
    "fig_zone_accuracy": ("figures", "zone_accuracy", None),
    "fig_training_rms": ("figures", "training", None),
    "fig_pisections": ("figures", "pisections", None),
    **{f"fig_waveforms_{t}": ("figures", "waveforms", "waveforms") for t in RELAY_TYPES},
}


wildcard_constraints:
    relay_batch="|".join(RELAY["batches"]),
    relay_net="|".join(RELAY_NETS),
    shard=r"\d+",


rule relay_simulate:
    """One shard of a batch of fault grids through DPsim EMT and the measurement chain (1 kHz relay records)."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
    output:
        npz=R("relay", "data", "sims", "{relay_batch}_{shard}.npz"),
        run=run_json("relay", "simulate_{relay_batch}_{shard}"),
    log:
        log_path("relay", "simulate_{relay_batch}_{shard}"),
    benchmark:
        bench_path("relay", "simulate_{relay_batch}_{shard}")
    conda:
        ENV
    threads: 1
    params:
        cfg=lambda wc: {
            "datasets": {d: RELAY["datasets"][d] for d in RELAY["batches"][wc.relay_batch]["sets"]},
            "batches": {wc.relay_batch: RELAY["batches"][wc.relay_batch]},
        },
        profile=PROFILE,
    script:
        "../../scripts/relay/simulate.py"


rule relay_train:
    """Train one MLP per seed at once (tanh, SGD + momentum, early stopping at the minimum validation RMS)."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
        shards=lambda wc: RELAY_SHARDS[RELAY_BATCH[wc.relay_net]],
    output:
        model=R("relay", "models", "{relay_net}.npz"),
        history=R("relay", "data", "train", "{relay_net}_history.csv"),
        metrics=R("relay", "data", "train", "{relay_net}_metrics.json"),
        run=run_json("relay", "train_{relay_net}"),
    log:
        log_path("relay", "train_{relay_net}"),
    benchmark:
        bench_path("relay", "train_{relay_net}")
    conda:
        ENV
    threads: 1  # tiny MLPs in numpy: extra threads only add synchronisation
    params:
        cfg=lambda wc: training_slice(RELAY, wc.relay_net),
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/relay/train.py"


rule relay_test:
    """The sequential relay on the test faults with every seed's networks: per-case decisions and times."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
        shards=RELAY_SHARDS[RELAY_BATCH["test"]],
        models=expand(R("relay", "models", "{net}.npz"), net=RELAY_NETS),
    output:
        cases=R("relay", "data", "relay_test", "cases.csv"),
        run=run_json("relay", "relay_test"),
    log:
        log_path("relay", "relay_test"),
    benchmark:
        bench_path("relay", "relay_test")
    conda:
        ENV
    params:
        cfg={"datasets": {"test": RELAY["datasets"]["test"]}},
        profile=PROFILE,
    script:
        "../../scripts/relay/relay_test.py"


rule relay_waveforms:
    """One EMT case per fault type kept at full rate: raw, filtered and sampled signals for the figures."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
    output:
        npz=R("relay", "data", "waveforms.npz"),
        run=run_json("relay", "waveforms"),
    log:
        log_path("relay", "waveforms"),
    benchmark:
        bench_path("relay", "waveforms")
    conda:
        ENV
    params:
        cfg={"waveform_case": RELAY["waveform_case"]},
        profile=PROFILE,
    script:
        "../../scripts/relay/waveforms.py"


rule relay_pisections:
    """Pi-section convergence check: cascaded pi input impedance vs the distributed line, 1-300 Hz."""
    input:
        system=RELAY_SYSTEM,
    output:
        csv=R("relay", "data", "pisections.csv"),
    log:
        log_path("relay", "pisections"),
    benchmark:
        bench_path("relay", "pisections")
    conda:
        ENV
    script:
        "../../scripts/relay/pisections.py"


rule relay_claims:
    """claims.csv: validation RMS per network, relay accuracies and decision times vs the paper (per-seed summary)."""
    input:
        metrics=expand(R("relay", "data", "train", "{net}_metrics.json"), net=RELAY_NETS),
        runs=expand(run_json("relay", "train_{net}"), net=RELAY_NETS),
        cases=rules.relay_test.output.cases,
        test_run=rules.relay_test.output.run,
    output:
        claims=R("relay", "claims.csv"),
        summary=R("relay", "data", "relay_test", "seed_summary.csv"),
    log:
        log_path("relay", "claims"),
    benchmark:
        bench_path("relay", "claims")
    conda:
        ENV
    params:
        cfg={k: RELAY[k] for k in RELAY_CLAIM_KEYS},
        paper_cfg={k: PAPER_CFG["relay"][k] for k in RELAY_CLAIM_KEYS},
        profile=PROFILE,
    script:
        "../../scripts/relay/claims.py"


rule relay_plot_figures:
    """Waveforms per fault type, Table 2 beside the paper's stated values, confusion matrices, zone accuracy,
    training curves and the pi-section check (one plot job: each job start costs seconds)."""
    input:
        waveforms=rules.relay_waveforms.output.npz,
        waveforms_run=rules.relay_waveforms.output.run,
        cases=rules.relay_test.output.cases,
        test_run=rules.relay_test.output.run,
        histories=expand(R("relay", "data", "train", "{net}_history.csv"), net=RELAY_NETS),
        metrics=expand(R("relay", "data", "train", "{net}_metrics.json"), net=RELAY_NETS),
        train_runs=expand(run_json("relay", "train_{net}"), net=RELAY_NETS),
        pisections=rules.relay_pisections.output.csv,
        system=RELAY_SYSTEM,
    output:
        **{
            name: [
                report(
                    R("relay", folder, f"{name}.png"),
                    caption=f"../report/relay/{caption}.rst",
                    category="relay",
                    subcategory=sub,
                ),
                R("relay", folder, f"{name}.pdf"),
            ]
            for name, (folder, caption, sub) in RELAY_IMAGES.items()
        },
        table2=report(R("relay", "tables", "table2_relay.csv"), caption="../report/relay/table2.rst", category="relay"),
    log:
        log_path("relay", "plot_figures"),
    conda:
        ENV
    script:
        "../../scripts/relay/plot.py"


_relay_figs = [p for p in rules.relay_plot_figures.output]
TARGETS["relay"] += [rules.relay_claims.output.claims] + _relay_figs
FIGURES["relay"] += _relay_figs
