"""Provenance benchmark: are swapped mentions traced to where they came from, and are the
hunks called copies really copies? And how long does provenance take next to aligning?

Run from the repository root::

    python benchmarks/provenance_quality.py [--pairs 200] [--seed 0] [--speed TOKENS]
                                            [--show FILE_A FILE_B]
                                            [--shared [DIR] [--limit N]]

Quality. The pairs are those of ``benchmarks/quality.py`` (its ``build_pairs``: clean documents
corrupted the way the example pair was). The generator draws a swapped-in mention by its text
from the document's mentions, one per occurrence, so every occurrence of that text in the
original is a place it may have come from: a source is correct when the original's text there,
as comparison tokens (``fold_tokens``), contains the mention's tokens.

(a) swapped mentions (gold edits of kind ``swap``, alone or merged with a removed compound)
    whose hunk (a hunk overlapping the mention in the corrupted text) is typed ``copy`` with a
    correct source;
(b) ``copy`` hunks that really are copies: most of the hunk's corrupted characters belong to
    gold edits made of text taken from the same document (mention swaps, small insertions of
    the document's own words, trailing debris), not to an inserted paragraph from another
    document nor to text that is no gold edit at all.

Speed (``--speed TOKENS``): ``benchmarks/speed.py``'s generated pair, plus a copied mention every
~200 words and a moved sentence every ~5,000 words; ``align`` and then ``provenance`` timed
in-process in the same run, three times: the ratio per run and its median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import DEFAULT_SOURCES, SEED_ORIGINAL, SHARED_PAIRS, build_pairs, fold_tokens  # noqa: E402

from viewer.align import align  # noqa: E402
from viewer.provenance import provenance  # noqa: E402

COPY_KINDS = {"swap", "insert", "debris", "compound"}


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[k : k + n] == needle for k in range(len(haystack) - n + 1))


def score(pairs):
    swaps = traced = 0
    copies = real = 0
    moves = 0
    for _, c in pairs:
        al = align(c.original, c.text)
        pv = provenance(al)
        moves += pv.counts()["move"]
        # (a) every swapped mention
        by_edit: dict[int, list[int]] = {}
        for i, e in enumerate(c.edit_b):
            if e >= 0 and not c.text[i].isspace():
                by_edit.setdefault(e, []).append(i)
        for e, chars in by_edit.items():
            if c.kinds[e] not in ("swap", "compound+swap"):
                continue
            swaps += 1
            lo, hi = min(chars), max(chars) + 1
            mention = fold_tokens(c.text[lo:hi])
            own = {i for i, x in enumerate(c.edit_a) if x == e}
            for h in al.hunks:
                if h.b[0] < hi and lo < h.b[1] and pv[h.id].copy and any(
                        _contains(fold_tokens(c.original[s:t]), mention)
                        and not own.intersection(range(s, t)) for s, t in pv[h.id].sources):
                    traced += 1
                    break
        # (b) every copy hunk
        for h in al.hunks:
            if not pv[h.id].copy:
                continue
            copies += 1
            owners = [c.edit_b[i] for i in range(*h.b) if not c.text[i].isspace()]
            good = sum(1 for e in owners if e >= 0 and set(c.kinds[e].split("+")) <= COPY_KINDS)
            real += good * 2 > len(owners)
    return swaps, traced, copies, real, moves


def _speed_pair(n_tokens: int, seed: int = 0) -> tuple[str, str]:
    from speed import make_pair

    a, b = make_pair(n_tokens, seed)
    rng = random.Random(seed)
    a_words = a.split(" ")
    sentences = b.split(" . ")
    out = []
    moved = []
    for k, s in enumerate(sentences):
        if k % 400 == 17 and len(s.split()) >= 8:  # moved: taken out here, put back later
            moved.append(s)
            continue
        words = s.split(" ")
        if rng.random() < 0.08:  # a copied mention: two or three words from anywhere in a
            w = rng.randrange(len(a_words) - 3)
            words.insert(rng.randrange(len(words) + 1),
                         " ".join(a_words[w : w + rng.choice((2, 3))]).strip(".,;?\n"))
        out.append(" ".join(words))
        if moved and k % 400 == 117:
            out.append(moved.pop())
    return a, " . ".join(out)


def speed(n_tokens: int, runs: int = 3) -> None:
    """align, then provenance, then provenance's JSON, timed in the same run; the ratio per
    run and its median (a shared machine's load moves both times together)."""
    a, b = _speed_pair(n_tokens)
    ratios = []
    for _ in range(runs):
        t0 = time.perf_counter()
        al = align(a, b)
        t1 = time.perf_counter()
        pv = provenance(al)
        t2 = time.perf_counter()
        pv.as_json()
        t3 = time.perf_counter()
        ratios.append((t2 - t1) / (t1 - t0))
        print(f"  align {t1 - t0:.2f} s, provenance {t2 - t1:.2f} s ({100 * ratios[-1]:.0f} % of "
              f"align), its JSON {t3 - t2:.2f} s")
    print(f"speed: {len(al.a)} / {len(al.b)} tokens, {len(al.hunks)} hunks, {pv.counts()}; "
          f"provenance / align, median of {runs}: {statistics.median(ratios):.3f}")


def show(path_a: Path, path_b: Path, limit: int | None = None) -> None:
    """Every copy and move of one pair (the first ``limit`` of them), with its sources or its
    partner."""
    a = path_a.read_text(encoding="utf-8")
    b = path_b.read_text(encoding="utf-8")
    t = time.perf_counter()
    al = align(a, b)
    pv = provenance(al)
    took = time.perf_counter() - t
    print(f"{path_a.parent.name or path_a}: {len(al.hunks)} hunks, {pv.counts()}"
          + (f" ({took:.2f} s)" if limit is not None else ""))
    found = (h for h in al.hunks if pv[h.id].verdict)
    for k, h in enumerate(found):
        if limit is not None and k == limit:
            print("  ...")
            break
        p = pv[h.id]
        a_txt, b_txt = al.hunk_texts(h)
        line = f"  #{h.id} {p.verdict} {h.kind}: {a_txt[:40]!r} -> {b_txt[:50]!r}"
        if p.move:
            line += f" partner {p.moved_to if p.moved_to is not None else p.moved_from}" \
                    f" similarity {p.similarity:.2f}"
        else:
            line += f" from {[a[s:e] for s, e in p.sources[:2]]}"
        print(line)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speed", type=int, metavar="TOKENS")
    ap.add_argument("--show", nargs=2, type=Path, metavar=("ORIGINAL", "CORRUPTED"))
    ap.add_argument("--shared", nargs="?", const=SHARED_PAIRS, type=Path, metavar="DIR",
                    help="every pair DIR/*/a.txt, b.txt (default: the shared pairs), briefly")
    ap.add_argument("--limit", type=int, default=12, help="copies and moves shown per pair")
    args = ap.parse_args(argv)
    if args.shared is not None:
        for d in sorted(p for p in args.shared.iterdir() if (p / "a.txt").is_file()):
            show(d / "a.txt", d / "b.txt", args.limit)
        return 0
    if args.show:
        show(*args.show)
        return 0
    if args.speed:
        speed(args.speed)
        return 0
    paths = [p for p in DEFAULT_SOURCES if p.is_file()] + [SEED_ORIGINAL] \
        if SHARED_PAIRS.is_dir() else [SEED_ORIGINAL]
    _, pairs = build_pairs(args.pairs, args.seed, paths)
    swaps, traced, copies, real, moves = score(pairs)
    print(f"provenance benchmark: {args.pairs} pairs, seed {args.seed}")
    print(f"(a) swapped mentions typed copy with a correct source: {traced}/{swaps} = "
          f"{traced / max(swaps, 1):.4f}")
    print(f"(b) copy hunks that really are copies: {real}/{copies} = {real / max(copies, 1):.4f}")
    print(f"moves found: {moves} (the generator makes none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
