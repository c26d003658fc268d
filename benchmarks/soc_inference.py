"""Inference time per sample of the SOC networks (paper section 3.2: < 0.5 ms per data point).

One sample = one window of the configured length, batch of one, one CPU thread, as a BMS runs it online
(``energyrepro.soc.evaluate.inference_ms``, the function the claims job uses). Prints the numbers and writes
results/benchmarks/soc_inference.json.

    .venv/bin/python benchmarks/soc_inference.py [--config config/paper.yaml] [--repeats 300]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from energyrepro.config import load_config
from energyrepro.io import write_json
from energyrepro.runtime import set_threads
from energyrepro.soc import paper
from energyrepro.soc.evaluate import inference_ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config/paper.yaml")
    ap.add_argument("--repeats", type=int, default=300)
    ap.add_argument("--out", default="results/benchmarks/soc_inference.json")
    args = ap.parse_args()
    soc = load_config(args.config)["soc"]
    set_threads(1)
    rows = inference_ms(sorted(set(soc["models"]) | {"cnnlstm", "cnnlstm-h300"}), soc, repeats=args.repeats)
    target = float(paper.paper()["text"]["inference_ms_per_sample_max"])
    for name, r in rows.items():
        print(f"{name:16s} window {r['window']}: median {r['median_ms']:.3f} ms/sample, p95 {r['p95_ms']:.3f} ms, "
              f"{r['params']} parameters")
    below = all(r["median_ms"] < target for r in rows.values())
    out = {"what": "SOC network inference time per sample (batch 1, one CPU thread)", "paper_target_ms": target,
           "config": args.config, "models": rows, "all_below_target": below}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_json(args.out, out)
    print(f"all below the paper's {target} ms: {out['all_below_target']} -> {args.out}")


if __name__ == "__main__":
    main()
