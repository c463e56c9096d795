"""Types, WER and CER on the real public pairs of ``../shared/pairs`` (not part of the tests).

    python benchmarks/types_on_pairs.py [--pairs DIR] [--examples 3] [--speed TOKENS]

For each pair (``a.txt`` original, ``b.txt`` corrupted), with the default options and with
Ignore case: hunks by type, WER and CER from the alignment, jiwer's WER on the same texts
(whitespace runs made single spaces, since jiwer splits on spaces only) for comparison, the
top confusions, and a few example hunks of each type. ``--speed`` times types, rates and
confusions on a generated pair of that many tokens a side (``speed.make_pair``), in CPU
seconds of this process (the machine is shared).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.align import align  # noqa: E402
from viewer.hunk_types import hunk_types  # noqa: E402
from viewer.loading import load_path  # noqa: E402
from viewer.measures import confusions, counts_by_type, error_rates  # noqa: E402

PAIRS = ROOT.parent / "shared" / "pairs"


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def report_pair(folder: Path, examples: int, options: dict) -> None:
    a = load_path(folder / "a.txt").text
    b = load_path(folder / "b.txt").text
    t0 = time.process_time()
    al = align(a, b, **options)
    t1 = time.process_time()
    types = hunk_types(al)
    rates = error_rates(al)
    table = confusions(al, top=5)
    t2 = time.process_time()
    counts = {t: n for t, n in counts_by_type(al, types)["hunks"].items() if n}
    label = ", ".join(k for k, v in options.items() if v) or "default"
    print(f"\n## {folder.name} ({label})")
    print(f"hunks {len(al.hunks)}: {counts}")
    w, c = rates["words"], rates["characters"]
    print(f"WER {rates['wer']}  (S {w['substitutions']} D {w['deletions']} "
          f"I {w['insertions']} of {w['original']} words)   CER {rates['cer']} "
          f"({c['errors']} of {c['original']} characters)")
    try:
        import jiwer

        ref, hyp = " ".join(a.split()), " ".join(b.split())
        if options.get("ignore_case"):
            ref, hyp = ref.lower(), hyp.lower()
        print(f"jiwer.wer on the same texts {jiwer.wer(ref, hyp):.6f}")
    except (ImportError, ValueError) as exc:
        print(f"jiwer: {exc}")
    print(f"align {t1 - t0:.2f} s, types + rates + confusions {t2 - t1:.2f} s (CPU)")
    print("top substitutions", table["substitutions"])
    print("top deletions", table["deletions"], " insertions", table["insertions"])
    print("top characters", table["characters"])
    shown: dict[str, int] = {}
    for h, t in zip(al.hunks, types, strict=True):
        if shown.get(t, 0) < examples:
            shown[t] = shown.get(t, 0) + 1
            x, y = al.hunk_texts(h)
            print(f"  {t:12} {h.kind:11} {_short(x)!r} -> {_short(y)!r}")


def report_speed(tokens: int) -> None:
    from speed import make_pair

    from viewer import measures

    a, b = make_pair(tokens)
    t0 = time.process_time()
    al = align(a, b)
    t1 = time.process_time()
    types = hunk_types(al)
    t2 = time.process_time()
    measures._WORD_EDITS.clear()
    rates = error_rates(al)
    t3 = time.process_time()
    confusions(al)
    t4 = time.process_time()
    print(f"\n## speed: {len(al.a):,} / {len(al.b):,} tokens, {len(al.hunks):,} hunks")
    print(f"align {t1 - t0:.2f} s; hunk_types {t2 - t1:.2f} s; error_rates {t3 - t2:.2f} s; "
          f"confusions (word edits shared) {t4 - t3:.2f} s; extra in all {t4 - t1:.2f} s (CPU)")
    print(f"WER {rates['wer']} CER {rates['cer']}; types "
          f"{ {t: n for t, n in counts_by_type(al, types)['hunks'].items() if n} }")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--speed", type=int, default=0, help="tokens of a generated pair")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    for folder in sorted(p for p in args.pairs.iterdir() if (p / "a.txt").exists()):
        for options in ({}, {"ignore_case": True}):
            report_pair(folder, args.examples, options)
    if args.speed:
        report_speed(args.speed)


if __name__ == "__main__":
    main()
