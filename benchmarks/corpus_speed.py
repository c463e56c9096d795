"""Corpus benchmark: ``python -m viewer corpus`` on 2,000 pairs the size of the example pair.

    python benchmarks/corpus_speed.py [--pairs 2000] [--runs 3] [--dask] [--keep DIR]

Target: at most 15 s for 2,000 pairs on a 2-core machine, from a zip file and from JSONL alike,
end to end (a fresh ``python -m viewer corpus`` process: start-up, reading, the process pool,
writing the output).

The pairs: the example original (``seeds/``) corrupted by the quality benchmark's generator
(``benchmarks/quality.py``: placeholders for compounds, mention swaps, an inserted paragraph,
debris, PTB re-tokenization), 100 distinct corruptions, each then varied by a few cheap random
word edits so that all 2,000 pairs differ (the generator alone takes ~25 ms a pair). The real
example pair is pair 0. Written as ``corpus.zip`` (``original/NNNN.txt`` + ``corrupted/NNNN.txt``),
``corpus.jsonl`` and ``corpus.parquet`` in a temporary folder (or ``--keep DIR``).

Every timed run is checked: one row per pair, no errors. Machines are shared and noisy: best of
``--runs``, and ``--workers 1`` in the same run for the speed-up from the pool.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SEED_A = ROOT / "seeds" / "000_a77c86db7b5a1f59.txt"
SEED_B = ROOT / "seeds" / "001_39dbf1e82cca5920.txt"
TARGET_SECONDS = 15.0


def make_pairs(n: int, seed: int = 0, distinct: int = 100) -> list[tuple[str, str]]:
    """``n`` (original, corrupted) pairs the size of the example pair, all different."""
    import quality

    original = SEED_A.read_text(encoding="utf-8")
    base = [(original, SEED_B.read_text(encoding="utf-8"))]
    for k in range(1, min(distinct, n)):
        corrupted, *_ = quality.corrupt(original, random.Random(seed * 1_000_003 + k))
        base.append((original, corrupted))
    pairs = base[:1]
    for k in range(1, n):
        a, b = base[k % len(base)]
        pairs.append((a, _vary(b, random.Random(seed * 7_919 + k))))
    return pairs


def _vary(text: str, rng: random.Random, edits: int = 6) -> str:
    """A few word swaps, deletions and duplications at random places."""
    words = text.split(" ")
    for _ in range(edits):
        i = rng.randrange(len(words))
        roll = rng.random()
        if roll < 0.4:
            words[i] = rng.choice(words)
        elif roll < 0.7:
            del words[i]
        else:
            words.insert(i, rng.choice(words))
    return " ".join(words)


def write_inputs(pairs: list[tuple[str, str]], folder: Path) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {"zip": folder / "corpus.zip", "jsonl": folder / "corpus.jsonl",
             "parquet": folder / "corpus.parquet"}
    with zipfile.ZipFile(paths["zip"], "w", zipfile.ZIP_DEFLATED) as archive:
        for k, (a, b) in enumerate(pairs):
            archive.writestr(f"original/{k:04d}.txt", a)
            archive.writestr(f"corrupted/{k:04d}.txt", b)
    with open(paths["jsonl"], "w", encoding="utf-8") as out:
        for k, (a, b) in enumerate(pairs):
            out.write(json.dumps({"id": f"{k:04d}", "original": a, "corrupted": b},
                                 ensure_ascii=False) + "\n")
    pq.write_table(pa.table({"id": [f"{k:04d}" for k in range(len(pairs))],
                             "original": [a for a, _ in pairs],
                             "corrupted": [b for _, b in pairs]}),
                   paths["parquet"], row_group_size=250)
    return paths


def timed(args: list[str], out: Path, expect: int) -> float:
    """Wall time of one ``python -m viewer corpus`` process; its output is checked."""
    import pandas as pd

    cmd = [sys.executable, "-m", "viewer", "corpus", *args]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    frame = (pd.read_csv(out) if out.suffix == ".csv" else pd.read_parquet(out))
    errors = int(frame["error"].notna().sum())
    if len(frame) != expect or errors:
        raise SystemExit(f"{' '.join(cmd)}: {len(frame)} rows, {errors} errors "
                         f"(expected {expect}, 0)")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dask", action="store_true", help="also time --engine dask (LocalCluster)")
    ap.add_argument("--keep", type=Path, help="write the inputs and outputs here")
    args = ap.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="corpus_speed_"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    pairs = make_pairs(args.pairs)
    paths = write_inputs(pairs, folder)
    chars = sum(len(a) + len(b) for a, b in pairs) / len(pairs)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{len(pairs):,} pairs, {chars:,.0f} characters a pair on average "
          f"(example pair: {len(SEED_A.read_text()) + len(SEED_B.read_text()):,}); "
          f"generated in {time.perf_counter() - t:.1f} s; "
          + ", ".join(f"{k} {p.stat().st_size / 1e6:.1f} MB" for k, p in paths.items()))

    runs = [(f"{fmt} -> csv", [str(paths[fmt]), "--out", str(folder / f"out_{fmt}.csv")],
             folder / f"out_{fmt}.csv") for fmt in ("zip", "jsonl", "parquet")]
    runs.append(("jsonl -> parquet", [str(paths["jsonl"]), "--out",
                                     str(folder / "out.parquet")], folder / "out.parquet"))
    runs.append(("zip -> csv, --workers 1", [str(paths["zip"]), "--out",
                                             str(folder / "out_1.csv"), "--workers", "1"],
                 folder / "out_1.csv"))
    results = {}
    for label, cmd_args, out in runs:
        best = min(timed(cmd_args, out, len(pairs)) for _ in range(args.runs))
        results[label] = best
        mark = "" if "workers 1" in label else (
            "  ok" if best <= TARGET_SECONDS else "  OVER TARGET")
        print(f"{label:<26} {best:6.2f} s  {len(pairs) / best:7.0f} pairs/s{mark}")
        print(f"    python -m viewer corpus {' '.join(cmd_args)}")
    if args.dask:
        out_dir = folder / "out_dask"
        cmd_args = [str(paths["jsonl"]), "--out", str(out_dir), "--engine", "dask"]
        best = float("inf")
        for _ in range(args.runs):
            if out_dir.exists():
                for part in out_dir.iterdir():
                    part.unlink()
                out_dir.rmdir()
            best = min(best, timed(cmd_args, out_dir, len(pairs)))
        print(f"{'jsonl -> dask LocalCluster':<26} {best:6.2f} s  {len(pairs) / best:7.0f} "
              "pairs/s")
        print(f"    python -m viewer corpus {' '.join(cmd_args)}")
    speedup = results["zip -> csv, --workers 1"] / results["zip -> csv"]
    print(f"speed-up of the process pool (zip): {speedup:.2f}x on {os.cpu_count()} cores")
    print(f"target: <= {TARGET_SECONDS:.0f} s from zip and from JSONL: "
          + ("met" if max(results["zip -> csv"], results["jsonl -> csv"]) <= TARGET_SECONDS
             else "NOT met"))
    if not args.keep:
        print(f"(inputs and outputs in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
