# Study `relay` (Oleskovicz, Coury & Aggarwal 2003): DPsim EMT faults on a 440 kV line -> windowed datasets ->
# five MLPs -> sequential relay test (Table 2). Rules only wire files; logic in src/energyrepro/relay/.
RELAY_TYPES = ["AG", "BG", "CG", "AB", "AC", "BC", "ABG", "ACG", "BCG", "ABC"]
RELAY_NETS = ["ann1", "ann2", "ann3", "ann4", "ann5"]
RELAY_SETS = RELAY_NETS + ["test"]
RELAY_NET_DATASET = {"ann1": "ann1", "ann2": "ann2", "ann3": "ann3", "ann4": "ann4", "ann5": "ann5"}
# network, measurement chain, windows, architectures: an input, so editing it re-runs what depends on it
RELAY_SYSTEM = config["relay"]["system_file"] or os.path.join(workflow.basedir, "src/energyrepro/relay/data/system.yaml")
RELAY_SHARDS = {
    d: [R("relay", "data", "sims", f"{d}_{i}.npz") for i in range(config["relay"]["datasets"][d]["shards"])]
    for d in RELAY_SETS
}


wildcard_constraints:
    relay_set="|".join(RELAY_SETS),
    relay_net="|".join(RELAY_NETS),
    shard=r"\d+",


rule relay_simulate:
    """One shard of a dataset's fault grid through DPsim EMT and the measurement chain (1 kHz relay records)."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
    output:
        npz=R("relay", "data", "sims", "{relay_set}_{shard}.npz"),
        run=run_json("relay", "simulate_{relay_set}_{shard}"),
    params:
        grid=lambda wc: config["relay"]["datasets"][wc.relay_set],
    threads: 1
    log:
        log_path("relay", "simulate_{relay_set}_{shard}"),
    benchmark:
        bench_path("relay", "simulate_{relay_set}_{shard}")
    conda:
        ENV
    script:
        "../../scripts/relay/simulate.py"


rule relay_train:
    """Train one MLP (tanh, SGD + momentum, early stopping at the minimum validation RMS)."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
        shards=lambda wc: RELAY_SHARDS[RELAY_NET_DATASET[wc.relay_net]],
    output:
        model=R("relay", "models", "{relay_net}.pt"),
        history=R("relay", "data", "train", "{relay_net}_history.csv"),
        metrics=R("relay", "data", "train", "{relay_net}_metrics.json"),
        run=run_json("relay", "train_{relay_net}"),
    params:
        hp=lambda wc: config["relay"]["nets"][wc.relay_net],
        n_normal=config["relay"]["n_normal"],
        val_frac=config["relay"]["val_frac"],
    threads: 1  # tiny MLPs, batch 8: extra threads only add synchronisation
    resources:
        gpu=1,
    log:
        log_path("relay", "train_{relay_net}"),
    benchmark:
        bench_path("relay", "train_{relay_net}")
    conda:
        ENV
    script:
        "../../scripts/relay/train.py"


rule relay_test:
    """The sequential relay on the test faults: per-case decisions, correctness and decision times."""
    input:
        experiments=EXPERIMENTS,
        system=RELAY_SYSTEM,
        shards=RELAY_SHARDS["test"],
        models=expand(R("relay", "models", "{net}.pt"), net=RELAY_NETS),
    output:
        cases=R("relay", "data", "relay_test", "cases.csv"),
        run=run_json("relay", "relay_test"),
    log:
        log_path("relay", "relay_test"),
    benchmark:
        bench_path("relay", "relay_test")
    conda:
        ENV
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
    params:
        case=config["relay"]["waveform_case"],
    log:
        log_path("relay", "waveforms"),
    benchmark:
        bench_path("relay", "waveforms")
    conda:
        ENV
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
    """claims.csv: validation RMS per network, overall and phase-phase location accuracy vs the paper."""
    input:
        metrics=expand(R("relay", "data", "train", "{net}_metrics.json"), net=RELAY_NETS),
        runs=expand(run_json("relay", "train_{net}"), net=RELAY_NETS),
        cases=rules.relay_test.output.cases,
        test_run=rules.relay_test.output.run,
    output:
        R("relay", "claims.csv"),
    params:
        tolerance=config["relay"]["tolerance"],
        profile=config["profile"],
    log:
        log_path("relay", "claims"),
    benchmark:
        bench_path("relay", "claims")
    conda:
        ENV
    script:
        "../../scripts/relay/claims.py"


rule relay_plot_waveforms:
    """Waveform figures per fault type: raw EMT, after CVT + anti-aliasing, and the 12-bit 1 kHz samples."""
    input:
        npz=rules.relay_waveforms.output.npz,
        run=rules.relay_waveforms.output.run,
    output:
        figs=[report(R("relay", "figures", f"fig_waveforms_{t}.png"), caption="../report/relay/waveforms.rst",
                     category="relay", subcategory="waveforms") for t in RELAY_TYPES],
    log:
        log_path("relay", "plot_waveforms"),
    benchmark:
        bench_path("relay", "plot_waveforms")
    conda:
        ENV
    script:
        "../../scripts/relay/plot_waveforms.py"


rule relay_plot_results:
    """Table 2 beside the paper, confusion matrices, zone accuracy vs distance, training curves, pi-section check."""
    input:
        cases=rules.relay_test.output.cases,
        test_run=rules.relay_test.output.run,
        histories=expand(R("relay", "data", "train", "{net}_history.csv"), net=RELAY_NETS),
        metrics=expand(R("relay", "data", "train", "{net}_metrics.json"), net=RELAY_NETS),
        train_runs=expand(run_json("relay", "train_{net}"), net=RELAY_NETS),
        pisections=rules.relay_pisections.output.csv,
        system=RELAY_SYSTEM,
    output:
        table2=R("relay", "tables", "table2_relay.csv"),
        table2_png=report(R("relay", "figures", "table2_relay.png"), caption="../report/relay/table2.rst",
                          category="relay"),
        confusion=report(R("relay", "figures", "fig_confusion.png"), caption="../report/relay/confusion.rst",
                         category="relay"),
        zone=report(R("relay", "figures", "fig_zone_accuracy.png"), caption="../report/relay/zone_accuracy.rst",
                    category="relay"),
        training=report(R("relay", "figures", "fig_training_rms.png"), caption="../report/relay/training.rst",
                        category="relay"),
        pisections=report(R("relay", "figures", "fig_pisections.png"), caption="../report/relay/pisections.rst",
                          category="relay"),
    log:
        log_path("relay", "plot_results"),
    benchmark:
        bench_path("relay", "plot_results")
    conda:
        ENV
    script:
        "../../scripts/relay/plot_results.py"


_relay_figs = rules.relay_plot_waveforms.output.figs + [
    rules.relay_plot_results.output[k]
    for k in ("table2", "table2_png", "confusion", "zone", "training", "pisections")
]
TARGETS["relay"] += [rules.relay_claims.output[0]] + _relay_figs
FIGURES["relay"] += _relay_figs
