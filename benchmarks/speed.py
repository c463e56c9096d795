"""Speed and memory benchmark of the aligner.

    python benchmarks/speed.py [--tokens 1000000] [--runs 3]

1. The example pair, aligned in-process: median of many runs (target: under 50 ms).
2. A generated pair of ``--tokens`` tokens a side (about 5 MB at 1M tokens, 5 % corrupted,
   re-tokenized like the example pair), through ``python -m viewer align A B --json`` end to
   end, against ``git diff --no-index --word-diff=porcelain`` on the same files; best of
   ``--runs``; peak memory of the viewer process (target: at most 2x git's time, under 2 GB).
3. rapidfuzz's plain ``Indel.opcodes`` on the token ids of a smaller pair, for the ratio.

``--compare DIR …`` times other checkouts' ``python -m viewer align --json`` in the same
interleaved runs (``git archive a9dc5fe | tar -x -C DIR``), for before/after ratios on the same
machine load.

Machines are shared and noisy: read the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data"
GIT_ARGS = ["git", "diff", "--no-index", "--word-diff=porcelain",
            "--word-diff-regex=[[:alnum:]]+|[^[:space:]]"]

_SYLLABLES = ("ka ri to ma ne lo su vi an el or ur is on ta be de ga hu mi no pa ra "
              "se ti wa yo ze qu str ch th sh").split()
_COMMON = ("the of and to in a is that for it as was with be by on not he this are or his "
           "from at which but have an they you were her she there been one all we their has "
           "would when if so what no more out up into said could them than other some time "
           "these two may then do first any my now such like our over man me even most made "
           "after also did many before must through back years where much your way well down "
           "should because each just those people how too little state good very make world "
           "still own see men work long get here between both life being under never day").split()


def _vocabulary(rng: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return _COMMON + sorted(words)


def make_pair(n_tokens: int, seed: int = 0, rate: float = 0.05) -> tuple[str, str]:
    """A prose-like original (Zipf-distributed words, sentences, paragraphs, hyphenated
    compounds, possessives) and a corrupted copy: ``rate`` of the words swapped, deleted or
    inserted, compounds turned into three spaces, then re-tokenized (spaces around
    punctuation) and joined into one line, as in the example pair."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 60_000)
    weights = [1 / (r + 1) ** 1.07 for r in range(len(vocab))]
    words = rng.choices(vocab, weights, k=n_tokens)
    out_a: list[str] = []
    out_b: list[str] = []
    sentence = 0
    for k, w in enumerate(words):
        roll = rng.random()
        piece = w
        if roll < 0.02:
            piece = f"{w}-{rng.choice(vocab)}"
        elif roll < 0.04:
            piece = f"{w}’s"
        end = ""
        sentence += 1
        if sentence > rng.randint(8, 30):
            end = rng.choice([".", ".", ".", "?", ";"])
            sentence = 0
        elif rng.random() < 0.06:
            end = ","
        if sentence == 1:
            piece = piece[:1].upper() + piece[1:]
        a_piece = piece + end
        sep = "\n" if end == "." and rng.random() < 0.08 else " "
        out_a.append(a_piece + sep)
        # corrupted side
        c = rng.random()
        if "-" in piece and c < 0.5:
            b_piece = "  "
        elif c < rate * 0.4:
            b_piece = " ".join(rng.choices(vocab, weights, k=rng.randint(1, 3)))
        elif c < rate * 0.6:
            b_piece = ""
        else:
            b_piece = piece
        if rate * 0.6 <= c < rate * 0.8:
            b_piece += " " + rng.choice(vocab)
        b_piece = b_piece.replace("’s", " ’s")
        if end:
            b_piece += " " + end
        out_b.append(b_piece + " ")
        if k and k % 200_000 == 0:
            pass
    return "".join(out_a), "".join(out_b)


CPU = {}  # command name -> least CPU time (user + system, with its own children) of a run


def _run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall time of one child process and its peak resident memory (bytes); its CPU time goes
    to ``CPU`` (what a shared machine's load changes least)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
                   check=False)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    name = f"{cwd}:{cmd[0] if cmd[0] == 'git' else 'viewer'}"
    CPU[name] = min(CPU.get(name, float("inf")), cpu)
    return elapsed, max(before.ru_maxrss, after.ru_maxrss) * 1024


def bench_example(repeat: int = 50) -> float:
    from viewer.align import align
    from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL

    a = EXAMPLE_ORIGINAL.read_text(encoding="utf-8")
    b = EXAMPLE_CORRUPTED.read_text(encoding="utf-8")
    align(a, b)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        align(a, b)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--compare", type=Path, nargs="+", default=[], metavar="DIR",
                    help="other checkouts of the viewer, timed in the same runs")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"example pair in-process: {bench_example() * 1000:.1f} ms (median of 50)")

    DATA.mkdir(parents=True, exist_ok=True)
    pa, pb = DATA / f"big_{args.tokens}_a.txt", DATA / f"big_{args.tokens}_b.txt"
    if not pa.exists() or not pb.exists():
        a, b = make_pair(args.tokens)
        pa.write_text(a, encoding="utf-8")
        pb.write_text(b, encoding="utf-8")
    from viewer.align import align
    from viewer.tokens import tokenize

    a, b = pa.read_text(encoding="utf-8"), pb.read_text(encoding="utf-8")
    print(f"generated pair: {len(tokenize(a)):,} / {len(tokenize(b)):,} tokens, "
          f"{pa.stat().st_size / 1e6:.1f} / {pb.stat().st_size / 1e6:.1f} MB")

    viewer_cmd = [sys.executable, "-m", "viewer", "align", str(pa), str(pb), "--json"]
    git_cmd = [*GIT_ARGS, str(pa), str(pb)]
    best = {"viewer": float("inf"), "git": float("inf")}
    best.update({other: float("inf") for other in args.compare})
    peak = 0
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        t, _mem = _run(git_cmd)
        best["git"] = min(best["git"], t)
        t, mem = _run(viewer_cmd)
        best["viewer"] = min(best["viewer"], t)
        peak = max(peak, mem)
        for other in args.compare:
            t, _mem = _run([sys.executable, "-m", "viewer", "align", str(pa.resolve()),
                            str(pb.resolve()), "--json"], cwd=other)
            best[other] = min(best[other], t)
    print(f"python -m viewer align --json: {best['viewer']:.2f} s (best of {args.runs})")
    print(f"git diff --word-diff:          {best['git']:.2f} s (best of {args.runs})")
    print(f"ratio viewer / git:            {best['viewer'] / best['git']:.2f} (target <= 2)")
    for other in args.compare:
        print(f"{other} --json: {best[other]:.2f} s (best of {args.runs}), "
              f"ratio to git {best[other] / best['git']:.2f}; "
              f"this / that {best['viewer'] / best[other]:.2f}")
    print("CPU time (user + system, best of the runs): " + ", ".join(
        f"{name} {seconds:.2f} s" for name, seconds in CPU.items()))
    print(f"peak memory (max RSS of the children): {peak / 2**20:.0f} MiB (target < 2048)")

    t = time.perf_counter()
    al = align(a, b)
    print(f"in-process align: {time.perf_counter() - t:.2f} s, {len(al.hunks):,} hunks, "
          f"{len(al.bounded)} bounded regions")


if __name__ == "__main__":
    main()
