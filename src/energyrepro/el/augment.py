"""Balanced, seeded flip/rotation augmentation of real ELPV cells, under two split protocols.

The paper (section 3.1) grew 392 originals to 2,456 images (1,228 per class) by flips and rotations
and then split 80:20. Cells are square, so we use the eight symmetries of the square (rotations by
multiples of 90 degrees and the four reflections): exact, no interpolation, label-preserving.

* ``paper``: augment the whole pool, then split the images (copies of one cell can land on both sides);
* ``clean``: split the source cells first, augment only the training side; validation holds real cells.

The originals are drawn once (the paper had one set of 392); the augmentation and the train/validation
split are drawn again for every training seed, so the spread over seeds includes the split's luck.
An image list names (source cell, transform); the pixels are made in memory by ``energyrepro.el.data``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.seeding import derive_seed

# name -> function on a 2-D array; "identity" is the original cell.
TRANSFORMS = {
    "identity": lambda a: a,
    "rot90": lambda a: np.rot90(a, 1),
    "rot180": lambda a: np.rot90(a, 2),
    "rot270": lambda a: np.rot90(a, 3),
    "flip_lr": np.fliplr,
    "flip_ud": np.flipud,
    "transpose": lambda a: a.T,
    "anti_transpose": lambda a: np.rot90(a, 2).T,
}
AUGMENTS = [t for t in TRANSFORMS if t != "identity"]
PROTOCOLS = ("paper", "clean")
IMAGE_COLUMNS = ["id", "source_id", "transform", "label", "type", "split"]


def apply_transform(arr: np.ndarray, name: str) -> np.ndarray:
    if name not in TRANSFORMS:
        raise ValueError(f"unknown transform {name!r}; known: {sorted(TRANSFORMS)}")
    return np.ascontiguousarray(TRANSFORMS[name](arr))


def select_originals(cells: pd.DataFrame, per_class: int, seed: int) -> pd.DataFrame:
    """Draw ``per_class`` real cells of each label without replacement, once per config seed (the paper's
    392 originals, assumed 196 per class: the paper gives the balanced total after augmentation only)."""
    rng = np.random.default_rng(derive_seed(seed, "el", "originals"))
    parts = []
    for label, group in cells.groupby("label"):
        if len(group) < per_class:
            raise ValueError(f"el.originals_per_class={per_class} but the selection (el.cell_types, "
                             f"el.label_levels) has only {len(group)} cells of label {label}")
        parts.append(group.iloc[np.sort(rng.choice(len(group), per_class, replace=False))])
    return pd.concat(parts).reset_index(drop=True)


def augment_to(cells: pd.DataFrame, per_class: int, rng: np.random.Generator) -> pd.DataFrame:
    """Rows (source cell, transform) with every original once plus distinct augmented copies up to
    ``per_class`` images of each label; copies are spread as evenly over the cells as possible."""
    rows = []
    for label, group in cells.groupby("label"):
        n_cells, extra = len(group), per_class - len(group)
        if extra < 0:
            raise ValueError(f"{n_cells} originals of label {label} exceed the target of {per_class} images per class")
        if extra > n_cells * len(AUGMENTS):
            raise ValueError(f"cannot reach {per_class} images of label {label} from {n_cells} cells with "
                             f"{len(AUGMENTS)} distinct flips/rotations each; raise el.originals_per_class")
        # copies per cell: floor share for all, one more for a random subset
        counts = np.full(n_cells, extra // n_cells)
        counts[rng.choice(n_cells, extra % n_cells, replace=False)] += 1
        for cell, k in zip(group.itertuples(index=False), counts):
            chosen = rng.choice(len(AUGMENTS), int(k), replace=False)
            for t in ["identity", *(AUGMENTS[i] for i in sorted(chosen))]:
                rows.append({"source_id": cell.id, "transform": t, "label": int(cell.label), "type": cell.type})
    out = pd.DataFrame(rows)
    out.insert(0, "id", out["source_id"] + "__" + out["transform"])
    return out


def stratified_split(labels: np.ndarray, val_fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of validation rows: round(val_fraction * n) of each label, drawn at random."""
    labels = np.asarray(labels)
    is_val = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        n_val = int(round(val_fraction * len(idx)))
        is_val[rng.choice(idx, n_val, replace=False)] = True
    return is_val


def build_protocol(originals: pd.DataFrame, protocol: str, per_class: int, val_fraction: float,
                   rng: np.random.Generator) -> pd.DataFrame:
    """The image list of one protocol: ``IMAGE_COLUMNS``."""
    if protocol == "paper":
        images = augment_to(originals, per_class, rng)
        images["split"] = np.where(stratified_split(images["label"].to_numpy(), val_fraction, rng), "val", "train")
        return images[IMAGE_COLUMNS]
    if protocol == "clean":
        val_cells = stratified_split(originals["label"].to_numpy(), val_fraction, rng)
        train = augment_to(originals[~val_cells], int(round(per_class * (1 - val_fraction))), rng)
        val = _as_is(originals[val_cells])
        return pd.concat([train.assign(split="train"), val.assign(split="val")], ignore_index=True)[IMAGE_COLUMNS]
    raise ValueError(f"unknown protocol {protocol!r}; choose from {PROTOCOLS}")


def protocol_images(originals: pd.DataFrame, protocol: str, rep: int, per_class: int, val_fraction: float,
                    seed: int) -> pd.DataFrame:
    """The images training seed ``rep`` of ``protocol`` sees: its own augmentation and split of the originals."""
    rng = np.random.default_rng(derive_seed(seed, "el", "augment", protocol, rep))
    return build_protocol(originals, protocol, per_class, val_fraction, rng)


def _as_is(cells: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"source_id": cells["id"].to_numpy(), "transform": "identity",
                        "label": cells["label"].astype(int).to_numpy(), "type": cells["type"].to_numpy()})
    out.insert(0, "id", out["source_id"] + "__identity")
    return out
