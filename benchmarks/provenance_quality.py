"""Provenance benchmark: are swapped mentions traced to where they came from, and are the
hunks called copies really copies? And how long does provenance take next to aligning?

Run from the repository root::

    python benchmarks/provenance_quality.py [--pairs 200] [--seed 0] [--speed TOKENS]
                                            [--show FILE_A FILE_B]
                                            [--shared [DIR] [--limit N]]

Quality. The pairs are those of ``benchmarks/quality.py`` (its ``build_pairs``: clean documents
corrupted the way the example pair was). Its generator records, for every swapped-in mention
(a ``Copy``), the span of the corrupted text it went to (``b``), the span of the original it
was taken from (``drawn``) and every span of the original holding exactly the same text
(``sources``: a mention drawn from one occurrence of ``Russia`` might as well have come from
any other). Scored by position:

(a) recall: swapped mentions whose hunk (the one hunk overlapping the mention's ``b`` span; a
    mention the aligner split over several hunks counts as missed) is typed ``copy`` and lists
    a correct source: a span of the original that contains one of the mention's ``sources``
    (the one it was drawn from, or another place holding exactly its text);
(b) precision: ``copy`` hunks that really are copies: most of the hunk's non-space corrupted
    characters were written by a corruption that copies text of the same document (a mention
    swap, a small insertion of the document's own words, trailing debris; not an inserted
    paragraph from another document, nor text that is no corruption), or else every meaningful
    part of the hunk has a listed source holding its text (the same tokens, quotes and dashes
    folded, spaces ignored): the claim "this text occurs there in the original" is true.

Speed (``--speed TOKENS``): ``benchmarks/speed.py``'s generated pair, plus a copied mention every
~200 words and a moved sentence every ~5,000 words; ``align`` and then ``provenance`` timed
in-process in the same run, three times: the ratio per run and its median.
"""

from __future__ import annotations

import argparse
import bisect
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

COPY_OPS = {"swap", "insert", "debris"}  # corruptions that write text of the same document


def _joined(text: str) -> str:
    return "".join(fold_tokens(text))


def _covering(hunks, b_starts: list[int], lo: int, hi: int) -> list:
    """The hunks whose corrupted span shares characters with ``[lo, hi)`` (hunks are in
    document order, their corrupted spans disjoint; ``b_starts``: their starts)."""
    k = bisect.bisect_left(b_starts, hi)  # hunks from k on start at or after hi
    j = bisect.bisect_left(b_starts, lo)
    j = max(0, j - 2)  # the last hunks starting before lo may reach into the span
    return [h for h in hunks[j:k] if max(lo, h.b[0]) < min(hi, h.b[1])]


def score(pairs) -> dict[str, int]:
    """Counts for (a) and (b) over ``pairs`` (``(source name, Corrupted)``), and why the
    misses missed."""
    n = dict(mentions=0, traced=0, split=0, not_copy=0, wrong_source=0,
             copies=0, real=0, by_generator=0, by_text=0, moves=0)
    for _, c in pairs:
        al = align(c.original, c.text)
        pv = provenance(al)
        n["moves"] += pv.counts()["move"]
        b_starts = [h.b[0] for h in al.hunks]
        for cp in c.copies:  # (a)
            n["mentions"] += 1
            lo, hi = cp.b
            hunks = _covering(al.hunks, b_starts, lo, hi)
            if len(hunks) != 1:
                n["split"] += 1
                continue
            p = pv[hunks[0].id]
            if not p.copy:
                n["not_copy"] += 1
            elif any(s <= o and e <= t for s, t in p.sources for o, e in cp.sources):
                n["traced"] += 1
            else:
                n["wrong_source"] += 1
        for h in al.hunks:  # (b)
            p = pv[h.id]
            if not p.copy:
                continue
            n["copies"] += 1
            kinds = [c.op_kind_b[i] for i in range(*h.b) if not c.text[i].isspace()]
            if sum(k in COPY_OPS for k in kinds) * 2 > len(kinds):
                n["by_generator"] += 1
            elif all(any(_joined(c.text[slice(*part.b)]) == _joined(c.original[s:t])
                         for s, t in part.sources) for part in p.parts if part.meaningful):
                n["by_text"] += 1
            else:
                continue
            n["real"] += 1
    return n


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
    n = score(pairs)
    print(f"provenance benchmark: {args.pairs} pairs, seed {args.seed}")
    print(f"(a) swapped mentions whose hunk is typed copy with a correct source: "
          f"{n['traced']}/{n['mentions']} = {n['traced'] / max(n['mentions'], 1):.4f}")
    print(f"    missed: {n['split']} split over several hunks (or in none), {n['not_copy']} "
          f"hunk not typed copy, {n['wrong_source']} copy without a correct source")
    print(f"(b) copy hunks that really are copies: {n['real']}/{n['copies']} = "
          f"{n['real'] / max(n['copies'], 1):.4f}")
    print(f"    {n['by_generator']} written by a copying corruption, {n['by_text']} more whose "
          f"text is at its sources")
    print(f"moves found: {n['moves']} (the generator makes none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
