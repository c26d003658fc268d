"""Real LG 18650HG2 cells (Kollmeyer et al. 2020): the compact copy shipped with the package, and its checks.

Kollmeyer, Vidal, Naguib, Skells, "LG 18650HG2 Li-ion Battery Data and Example Deep Neural Network xEV SOC
Estimator Script", Mendeley Data V3 (2020), doi:10.17632/cp3473x7xv.3, licence CC BY 4.0. The publicly readable
"parsed" files of that data set (0.1 s drive cycles, 10 s capacity tests, 60 s C/20 discharges; list in
``CATALOG``) are averaged into 1 s bins and shipped as gzip-compressed CSVs in ``data/lg_hg2/`` (about 3 MB),
each with the SHA-256 of the shipped file and of its source file in ``data/lg_hg2/MANIFEST.csv``. Rebuild them
with ``python -m energyrepro.soc.lg_hg2 build --src <folder of parsed files>``; the same 1 s binning is applied
when ``soc.lg_hg2.path`` points the pipeline at the full 0.1 s files instead. A missing or altered file is an
error naming the file and the SHA-256 it must have.

Every drive cycle starts from full charge. SOC label = 1 + Capacity / Q_1C(T), Q_1C(T) the Ah discharged in the
1C capacity test of the same test series (the same test number, else the nearest one at that temperature).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).with_name("data") / "lg_hg2"
MANIFEST = "MANIFEST.csv"
PARSED_COLUMNS = ["Time [min]", "Voltage [V]", "Current [A]", "Temperature [degC]", "Capacity [Ah]"]
COLUMNS = ["time_s", "voltage_v", "current_a", "temperature_c", "capacity_ah"]
DECIMALS = {"voltage_v": 5, "current_a": 5, "temperature_c": 3, "capacity_ah": 6}
TEMPS = {"n20degC": -20, "n10degC": -10, "0degC": 0, "10degC": 10, "25degC": 25, "40degC": 40}


@dataclass(frozen=True)
class Entry:
    """One file of the data set: ``name`` (e.g. ``us06_n20``), kind, ambient temperature, test number, source."""

    name: str
    kind: str  # us06 | la92 | mixed | cap1c | c20
    temp_c: int
    test: int
    source: str  # parsed file name in the shared folder / the full data set


def _catalog() -> tuple[Entry, ...]:
    files = {  # temperature tag -> [(test, cycle label)], as the parsed files are named
        "n20degC": [(610, "US06"), (610, "LA92"), (610, "Mixed1"), (610, "Mixed2"), (611, "Mixed3"), (611, "Mixed4"),
                    (611, "Mixed5"), (611, "Mixed6"), (611, "Mixed7"), (611, "Mixed8"), (610, "Cap_1C"),
                    (611, "Cap_1C"), (607, "C20DisCh")],
        "n10degC": [(601, "US06"), (604, "Mixed3"), (604, "Mixed6"), (604, "Mixed7"), (596, "Cap_1C"), (602, "Cap_1C"),
                    (593, "C20DisCh")],
        "0degC": [(589, "US06"), (589, "Cap_1C"), (585, "C20DisCh")],
        "10degC": [(567, "US06"), (571, "Cap_1C"), (576, "Cap_1C"), (575, "C20DisCh")],
        "25degC": [(551, "US06"), (551, "Cap_1C"), (552, "Cap_1C"), (549, "C20DisCh")],
        "40degC": [(556, "US06"), (562, "Mixed4"), (562, "Mixed5"), (562, "Mixed6"), (562, "Mixed7"), (562, "Mixed8"),
                   (557, "Cap_1C"), (555, "C20DisCh")],
    }
    kinds = {"US06": "us06", "LA92": "la92", "Cap_1C": "cap1c", "C20DisCh": "c20"}
    out = []
    for tag, items in files.items():
        short = tag.replace("degC", "")
        for test, label in items:
            kind = kinds.get(label, "mixed")
            name = f"{label.lower() if kind == 'mixed' else kind}_{short}" + (f"_{test}" if kind == "cap1c" else "")
            out.append(Entry(name, kind, TEMPS[tag], test, f"LG_HG2_{tag}_{test}_{label}_parsed.csv"))
    return tuple(out)


CATALOG = _catalog()
BY_NAME = {e.name: e for e in CATALOG}


class DataError(RuntimeError):
    """A missing or altered LG HG2 file; the message names it and the SHA-256 it must have."""


def sha256(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest() -> pd.DataFrame:
    """name, file, sha256 (shipped file), rows, source, source_sha256 (the parsed 0.1 s file)."""
    return pd.read_csv(DATA_DIR / MANIFEST).set_index("name")


def to_seconds(parsed: pd.DataFrame) -> pd.DataFrame:
    """Average a parsed file's samples into 1 s bins (time from the first bin, whole seconds)."""
    missing = [c for c in PARSED_COLUMNS if c not in parsed.columns]
    if missing:
        raise ValueError(f"missing columns {missing}; expected the parsed LG HG2 layout {PARSED_COLUMNS}")
    sec = np.floor(parsed["Time [min]"].to_numpy() * 60.0 + 1e-6).astype(np.int64)
    g = parsed.assign(sec=sec).groupby("sec")[PARSED_COLUMNS[1:]].mean()
    out = pd.DataFrame({"time_s": g.index.to_numpy() - g.index[0]})
    for col, src in zip(COLUMNS[1:], PARSED_COLUMNS[1:]):
        out[col] = np.round(g[src].to_numpy(), DECIMALS[col])
    return out


def _compact_bytes(df: pd.DataFrame) -> bytes:
    """The shipped file's bytes: CSV, gzip with a zero timestamp, so a rebuild gives identical checksums."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(df.to_csv(index=False).encode())
    return buf.getvalue()


def build(src: str | os.PathLike, out: str | os.PathLike = DATA_DIR) -> pd.DataFrame:
    """Write the compact 1 s copy of every catalogued file of ``src`` into ``out``, with its MANIFEST.csv."""
    src, out = Path(src), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for e in CATALOG:
        path = src / e.source
        if not path.is_file():
            raise DataError(f"LG HG2 source file {path} is missing")
        df = to_seconds(pd.read_csv(path))
        data = _compact_bytes(df)
        (out / f"{e.name}.csv.gz").write_bytes(data)
        rows.append({"name": e.name, "file": f"{e.name}.csv.gz", "sha256": hashlib.sha256(data).hexdigest(),
                     "rows": len(df), "kind": e.kind, "temp_c": e.temp_c, "test": e.test, "source": e.source,
                     "source_sha256": sha256(path)})
    man = pd.DataFrame(rows)
    man.to_csv(out / MANIFEST, index=False)
    return man


def _verified(path: Path, expected: str, what: str) -> Path:
    if not path.is_file():
        raise DataError(f"LG HG2 {what} {path} is missing (expected SHA-256 {expected}); restore it (git checkout, "
                        "or the Kollmeyer et al. 2020 data set, doi:10.17632/cp3473x7xv.3)")
    got = sha256(path)
    if got != expected:
        raise DataError(f"LG HG2 {what} {path} is corrupt or altered: SHA-256 {got}, expected {expected}")
    return path


def read(name: str, full_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One file at 1 s (columns ``COLUMNS``): the shipped copy, or with ``full_dir`` the parsed 0.1 s source
    file there binned the same way. Both are checked against the manifest's SHA-256 first."""
    row = manifest().loc[name]
    if full_dir is None:
        path = _verified(DATA_DIR / row.file, row.sha256, "file")
        return pd.read_csv(path, compression="gzip")
    path = _verified(Path(full_dir) / row.source, row.source_sha256, "source file")
    return to_seconds(pd.read_csv(path))


def capacity_ah(cap_test: pd.DataFrame) -> float:
    """Ah discharged in a 1C capacity test."""
    return float(-cap_test.capacity_ah.min())


def capacity_test_for(e: Entry) -> Entry:
    """The 1C capacity test of ``e``'s series: the same test number, else the nearest at that temperature."""
    caps = [c for c in CATALOG if c.kind == "cap1c" and c.temp_c == e.temp_c]
    return min(caps, key=lambda c: (abs(c.test - e.test), c.test))


def cycle(name: str, full_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """A drive cycle as the study's cycle table: time_s, voltage_meas, current_meas (A, discharge negative),
    temperature_meas, soc; ``attrs``: capacity_ah (Q_1C of its series), temp_c, kind."""
    e = BY_NAME[name]
    if e.kind not in ("us06", "la92", "mixed"):
        raise ValueError(f"{name} is a {e.kind} test, not a drive cycle")
    cap = capacity_test_for(e)
    q = capacity_ah(read(cap.name, full_dir))
    df = read(name, full_dir)
    out = pd.DataFrame({"time_s": df.time_s.to_numpy(float), "voltage_meas": df.voltage_v.to_numpy(float),
                        "current_meas": df.current_a.to_numpy(float),
                        "temperature_meas": df.temperature_c.to_numpy(float), "soc": 1.0 + df.capacity_ah / q})
    out.attrs.update(capacity_ah=q, capacity_test=cap.name, temp_c=e.temp_c, kind=e.kind)
    return out


def pseudo_ocv(temp_c: int, full_dir: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(soc, voltage) of the C/20 discharge at ``temp_c``, SOC increasing: the pseudo-OCV curve a BMS would hold."""
    e = next(c for c in CATALOG if c.kind == "c20" and c.temp_c == temp_c)
    df = read(e.name, full_dir)
    end = int(np.argmin(df.capacity_ah.to_numpy()))  # the discharge ends at the lowest capacity (a charge follows)
    d = df.iloc[: end + 1]
    d = d[d.current_a < 0]
    soc = 1.0 + (d.capacity_ah.to_numpy() - d.capacity_ah.iloc[0]) / -float(d.capacity_ah.min() - d.capacity_ah.iloc[0])
    order = np.argsort(soc)
    return soc[order], d.voltage_v.to_numpy()[order]


def drive_cycles() -> list[str]:
    return [e.name for e in CATALOG if e.kind in ("us06", "la92", "mixed")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build or check the compact LG HG2 copy shipped with energyrepro.soc")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="bin the parsed files of --src to 1 s and write data/lg_hg2/")
    b.add_argument("--src", required=True)
    b.add_argument("--out", default=str(DATA_DIR))
    sub.add_parser("check", help="verify every shipped file against MANIFEST.csv")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        man = build(args.src, args.out)
        size = sum((Path(args.out) / f).stat().st_size for f in man.file) / 2**20
        print(f"{len(man)} files, {man.rows.sum()} rows at 1 s, {size:.2f} MiB -> {args.out}")
    else:
        for name in manifest().index:
            read(name)
        print(f"all {len(manifest())} files match {DATA_DIR / MANIFEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
