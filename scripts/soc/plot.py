"""Snakemake plot rule: every figure and table image of the study from the result files (energyrepro.soc.figures)."""

import numpy as np
import pandas as pd

from energyrepro.io import read_json, write_csv
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.soc import figures, paper
from energyrepro.soc.summary import paper_table
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg, out = sm.params.cfg, sm.output
summary = pd.read_csv(sm.input.summary, keep_default_na=False, na_values=[""])
summary["setting"] = summary.setting.fillna("")
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
base = dict(np.load(sm.input.base_preds))
settings = cfg["settings"]
shown = "paper" if "paper" in settings else settings[0]
paths = []
for dataset, no, csv, img, fig_img in (("d1", 2, out.table2, out.table2_img, out.fig6),
                                       ("d2", 3, out.table3, out.table3_img, out.fig7)):
    table = paper_table(summary, dataset)
    write_csv(csv, table)
    paths += save_figure(figures.table_paper(table, no, dataset), *img)
    npz = dict(np.load(sm.input.preds[settings.index(shown) + len(settings) * (dataset == "d2")]))
    preds = {m: npz for m in cfg["models"] if f"{m}/{shown}/random/s0/pred" in npz or f"{m}/{shown}/heldout/s0/pred"
             in npz}
    base_d = {k.split("/", 1)[1]: v for k, v in base.items() if k.startswith(f"{dataset}/") and "_ideal" not in k}
    random_cycle = cfg["datasets"][dataset]["cycles"][0] if "random" in cfg["protocols"] else None
    heldout = cfg["heldout_cycles"][0] if "heldout" in cfg["protocols"] else None
    paths += save_figure(figures.fig_soc(f"dataset {dataset[1]}", no + 4, preds, base_d, cycles, random_cycle,
                                         heldout, shown), *fig_img)

# training curves: dataset 2, the first protocol, seed 0, the networks of Table 1
rows = []
for obj in (read_json(p) for p in sm.input.train):
    if obj["dataset"] != "d2":
        continue
    for r in obj["records"]:
        if r["seed"] == 0 and r["protocol"] == cfg["protocols"][0] and r["method"] in ("cnn", "lstm", "cnnlstm"):
            h = r["history"]
            rows += [{"setting": obj["setting"], "method": r["method"], "epoch": e, "train_mse": h["train_mse"][e],
                      "val_mae": (h.get("val_mae") or [np.nan] * len(h["train_mse"]))[e], "test_mae": h["test_mae"][e]}
                     for e in range(len(h["train_mse"]))]
paths += save_figure(figures.fig_training_curves(pd.DataFrame(rows)), *out.curves)

peer = float(paper.paper()["peer"]["wong2021"]["mae"])
real_summary = pd.read_csv(sm.input.real_summary)
table = figures.real_table(real_summary)
write_csv(out.real_table, table)
paths += save_figure(figures.table_real(table, peer), *out.real_img)
parts = []
for p in sm.input.real_preds:
    z = np.load(p)
    for fold in {k.split("/")[0] for k in z.files}:
        sel = np.char.startswith(z[f"{fold}/cycle"].astype(str), "us06")
        for key in z.files:
            if key.startswith(f"{fold}/") and key.endswith("/s0/pred"):
                parts.append(pd.DataFrame({"method": key.split("/")[1], "y": z[f"{fold}/y"][sel],
                                           "pred": z[key][sel]}))
long_preds = pd.concat(parts, ignore_index=True)
long_preds = long_preds[~long_preds.method.str.endswith("_ideal")]
paths += save_figure(figures.fig_real_error(real_summary, long_preds, peer), *out.real_fig)
attach_artifacts(sm.input.claims_run, paths + [out.table2, out.table3, out.real_table], "figures")
