"""Stage 1, the diff: equal runs of token ids, near-linear in practice.

Common prefix and suffix are stripped, then the tokens unique to both sides anchor the alignment
(patience diff: longest increasing run of unique pairs); gaps between anchors small enough are
aligned exactly by rapidfuzz's ``Indel.opcodes`` (an LCS), larger ones are anchored again, and a
gap with no anchor that is too large to align exactly becomes one substituted block, recorded in
``bounded``.

The thresholds are read at call time from this module, so tests can lower them
(``monkeypatch.setattr(blocks, "ANCHOR_CELLS", 0)``) to reach the anchoring path on tiny inputs.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from functools import cache

import numpy as np
from rapidfuzz.distance import Indel

from ..tokens import id_pieces
from .edits import Edit, edits_from_blocks

# Where the values come from: `benchmarks/quality.py --pairs 100 --seed 0` (the shared prose
# sources and the seed original) gives the project F1 0.9995 and 1.003 hunks per edit with the
# values below; the neighbouring runs are quoted with each (issue 9).
#
# A gap is aligned exactly (LCS) when its two sides multiply to at most this many token pairs:
# 400 million, i.e. 20k x 20k tokens, which rapidfuzz's bit-parallel LCS does in ~0.1 s and
# ~50 MB (measured when the aligner was written, 05fdb02). Only gaps that no anchor cuts come
# near it; with 0 (nothing aligned exactly) F1 drops to 0.9898.
EXACT_CELLS = 400_000_000
# Gaps above this size (about 500 x 500 tokens) are anchored on unique tokens first, even when
# they could be aligned exactly: an LCS over a long stretch matches common words across
# unrelated text. 2,500,000 gives F1 0.9990 (inserted paragraphs matched word by word into the
# original); 25,000 and 2,500 give the same 0.9995 as 250,000, which keeps more gaps on the
# exact path.
ANCHOR_CELLS = 250_000
# Seconds of diff work after which remaining unanchored gaps become bounded blocks: a page
# stays responsive on an adversarial pair (tests/test_align.py, unrelated texts).
DEFAULT_TIME_BUDGET = 10.0
# Token pairs aligned exactly, in all, before what is left becomes bounded blocks (about 2 s of
# bit-parallel LCS, 7961acf); raised to 64 per token for long texts. The quality benchmark's
# documents stay under the 64-per-token floor: with 0 the figures are the same.
CELL_BUDGET = 3_000_000_000
# ``_unique_anchors``' answer for a gap whose two sides have nothing to do with each other.
UNRELATED = object()


def matching_blocks(a: list[int], b: list[int], bounded: list, deadline: float,
                    id_arrays=None):
    """Equal runs ``(i, j, n)`` in order, near-linear in practice. Work is bounded three ways:
    a gap whose unique tokens pair up at random is unrelated text; exact alignment stops after
    ``CELL_BUDGET`` token pairs in all, or at ``deadline``. What is left becomes one block.
    ``id_arrays()``: ``a`` and ``b`` as arrays, when the caller has them (each gap's anchors
    are counted in a view of them, not in a copy of the gap)."""
    blocks: list[tuple[int, int, int]] = []
    cells_left = max(CELL_BUDGET, 64 * (len(a) + len(b)))
    # An explicit stack of gaps, processed left to right (pushed in reverse).
    stack = [(0, len(a), 0, len(b))]
    while stack:
        item = stack.pop()
        if item[0] == "block":  # an equal run queued in order between gaps
            blocks.append(item[1:])
            continue
        a0, a1, b0, b1 = item
        # common prefix and suffix
        p = common_prefix(a, b, a0, b0, min(a1 - a0, b1 - b0))
        s = _common_suffix(a, b, a1, b1, min(a1 - a0, b1 - b0) - p)
        if p:
            blocks.append((a0, b0, p))
        suffix = (a1 - s, b1 - s, s) if s else None
        a0, b0, a1, b1 = a0 + p, b0 + p, a1 - s, b1 - s
        if a0 < a1 and b0 < b1:
            cells = (a1 - a0) * (b1 - b0)
            anchors = None
            if cells > ANCHOR_CELLS:
                anchors = _unique_anchors(a, b, a0, a1, b0, b1, id_arrays)
            if anchors is UNRELATED:
                bounded.append((a0, a1, b0, b1))
            elif anchors:
                # push the sub-gaps (between anchors) in reverse so they pop in order
                sub = []
                pi, pj = a0, b0
                for i, j, n in anchors:
                    if i - pi == j - pj and a[pi:i] == b[pj:j]:
                        # most stretches between anchors are equal: no gap to align
                        sub.append(("block", pi, pj, i - pi))
                    else:
                        sub.append((pi, i, pj, j))
                    sub.append(("block", i, j, n))
                    pi, pj = i + n, j + n
                sub.append((pi, a1, pj, b1))
                if suffix:
                    stack.append(("block",) + suffix)
                stack.extend(reversed(sub))
                continue
            elif cells <= min(EXACT_CELLS, cells_left) and time.monotonic() < deadline:
                cells_left -= cells
                for op in Indel.opcodes(a[a0:a1], b[b0:b1]):
                    if op.tag == "equal":
                        blocks.append((a0 + op.src_start, b0 + op.dest_start,
                                       op.src_end - op.src_start))
            else:
                bounded.append((a0, a1, b0, b1))
        if suffix:
            blocks.append(suffix)
    return _merge_blocks(blocks)


def common_prefix(a, b, i, j, limit):
    """Length of the common run of ``a[i:]`` and ``b[j:]`` (at most ``limit``)."""
    return _gallop(limit, lambda lo, hi: a[i + lo : i + hi] == b[j + lo : j + hi])


def _common_suffix(a, b, i1, j1, limit):
    """Length of the common run ending at ``a[i1]`` and ``b[j1]`` (exclusive), at most ``limit``."""
    return _gallop(limit, lambda lo, hi: a[i1 - hi : i1 - lo] == b[j1 - hi : j1 - lo])


def _gallop(limit, same):
    """The largest ``n <= limit`` with ``same(0, n)``, given ``same(lo, hi)`` compares the
    stretch ``lo..hi``: galloping slice comparisons, so a long equal run costs a few C-speed
    compares, not a Python loop per token."""
    lo, step = 0, 8
    while lo < limit:
        hi = min(lo + step, limit)
        if not same(lo, hi):
            while hi - lo > 1:  # the first mismatch is in lo..hi
                mid = (lo + hi) // 2
                if same(lo, mid):
                    lo = mid
                else:
                    hi = mid
            return lo
        lo, step = hi, step * 2
    return limit


def _merge_blocks(blocks):
    merged: list[list[int]] = []
    for i, j, n in blocks:
        if n <= 0:
            continue
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1][2] += n
        else:
            merged.append([i, j, n])
    return [tuple(m) for m in merged]


def _unique_anchors(a, b, a0, a1, b0, b1, id_arrays=None):
    """Anchors ``(i, j, n)``: runs of ``n`` tokens occurring exactly once in each side of the
    gap, keeping the longest chain that is increasing on both sides (patience diff). Single
    tokens first; where they are too sparse (a text of few distinct words, repeated phrases)
    unique runs of 2, 4, 8 and 16 tokens. Counted in numpy: single tokens by ``bincount``,
    runs by sorting the shorter side's hashes and looking the longer side's up among them."""
    if id_arrays:
        whole_a, whole_b = id_arrays()
        sa, sb = whole_a[a0:a1], whole_b[b0:b1]
    else:
        sa, sb = _id_array(a[a0:a1]), _id_array(b[b0:b1])
    wanted = min(a1 - a0, b1 - b0) / 200  # about one anchor per 200 tokens is plenty
    best: list = []
    unrelated = 0
    for n in (1, 2, 4, 8, 16):
        if n > min(len(sa), len(sb)):
            break
        pairs = _unique_id_pairs(sa, sb) if n == 1 else _unique_pairs(sa, sb, n)
        if not pairs:
            continue
        pairs = [(i + a0, j + b0) for i, j in pairs
                 if n == 1 or a[i + a0 : i + a0 + n] == b[j + b0 : j + b0 + n]]
        chain = _longest_increasing(pairs)
        # In related texts most shared unique runs come in the same order; in unrelated ones
        # they pair at random, and the longest increasing run of a random order is ~2 sqrt(k).
        if len(pairs) >= 32 and len(chain) < 0.2 * len(pairs):
            unrelated += 1
            continue
        anchors = _non_overlapping(chain, n)
        if len(anchors) * n > len(best) * (best[0][2] if best else 1):
            best = anchors
        if len(anchors) >= wanted:
            break
    if best:
        return best
    if unrelated:
        return UNRELATED
    return _rare_anchors(a, b, a0, a1, b0, b1)


def _id_array(ids: list[int]) -> np.ndarray:
    """Key ids as an array for counting: int32, as key ids are below the vocabulary's size
    (half the bytes of a ten-million-token side's int64)."""
    return np.fromiter(ids, dtype=np.int32, count=len(ids))


def _ngram_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """A hash of each run of ``n`` tokens (wrapping int64 arithmetic; collisions are checked
    by the caller)."""
    if n == 1:
        return ids
    h = np.zeros(len(ids) - n + 1, dtype=np.int64)
    with np.errstate(over="ignore"):
        for k in range(n):  # in place: no second array of the gap's length
            h *= np.int64(1_000_003)
            h += ids[k : len(ids) - n + 1 + k]
    return h


def _ngram_hashes_at(ids: np.ndarray, at: np.ndarray, n: int) -> np.ndarray:
    """``_ngram_hashes(ids, n)[at]``, hashing only the runs starting at ``at``."""
    h = np.zeros(len(at), dtype=np.int64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h *= np.int64(1_000_003)
            h += ids[at + k]
    return h


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int = 1) -> list[tuple[int, int]]:
    """Positions ``(i, j)`` of the runs of ``n`` ids hashed alike exactly once in ``a`` and
    once in ``b``, in order of ``i``. Only the shorter side is hashed and counted whole; the
    longer one's hashes are looked up among the shorter's once-values a piece at a time, and
    only the few found are counted (a ten-million-token side's hashes were 80 MB, and sorting
    them, as ``np.unique`` does, held four such arrays)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    h_short = _ngram_hashes(short, n)
    values, counts = np.unique(h_short, return_counts=True)
    pos_long = _positions_among(long, n, values[counts == 1])
    h_long = _ngram_hashes_at(long, pos_long, n)
    values, counts = np.unique(h_long, return_counts=True)
    common = values[counts == 1]
    if not len(common):
        return []
    found = np.isin(h_long, common)
    pos_long, h_long = pos_long[found], h_long[found]
    pos_short = np.flatnonzero(np.isin(h_short, common))
    h_short = h_short[pos_short]
    (pos_a, ha), (pos_b, hb) = (((pos_short, h_short), (pos_long, h_long)) if short is a
                                else ((pos_long, h_long), (pos_short, h_short)))
    order_b = np.argsort(hb, kind="stable")
    j_of = pos_b[order_b][np.searchsorted(hb[order_b], ha)]
    return list(zip(pos_a.tolist(), j_of.tolist(), strict=True))


# Long arrays are read this many items at a time: numpy copies int32 ids to int64 to count or
# index with them, and a binary search gives an int64 per item (80 MB for ten million).
_PIECE = 1 << 18


def _positions_among(ids: np.ndarray, n: int, values: np.ndarray,
                     piece: int = _PIECE) -> np.ndarray:
    """Positions of the runs of ``n`` ids whose hash is in ``values`` (sorted), in order:
    ``np.isin(_ngram_hashes(ids, n), values)`` hashed and looked up a piece at a time, by
    binary search (neither all the hashes nor a sorted copy of them at once)."""
    if not len(values):
        return np.empty(0, dtype=np.int64)
    found = []
    for p0 in range(0, len(ids) - n + 1, piece):
        part = _ngram_hashes(ids[p0 : p0 + piece + n - 1], n)
        at = np.searchsorted(values, part)
        np.minimum(at, len(values) - 1, out=at)
        found.append(np.flatnonzero(values[at] == part) + p0)
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _unique_id_pairs(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int]]:
    """``_unique_pairs`` of key ids (small non-negative integers): counted in a table instead
    of sorted (two sorts of a million ids were a quarter of the diff)."""
    size = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    once = (_bincount(a, size) == 1) & (_bincount(b, size) == 1)
    pos_a, pos_b = _positions_marked(once, a), _positions_marked(once, b)
    where_b = np.empty(size, dtype=np.int64)
    where_b[b[pos_b]] = pos_b
    return list(zip(pos_a.tolist(), where_b[a[pos_a]].tolist(), strict=True))


def _bincount(ids: np.ndarray, size: int) -> np.ndarray:
    """``np.bincount(ids, minlength=size)``, a piece of ``ids`` at a time."""
    counts = np.zeros(size, dtype=np.int64)
    for p0 in range(0, len(ids), _PIECE):
        counts += np.bincount(ids[p0 : p0 + _PIECE], minlength=size)
    return counts


def _positions_marked(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(table[ids])``, a piece of ``ids`` at a time."""
    return np.concatenate([np.flatnonzero(table[ids[p0 : p0 + _PIECE]]) + p0
                           for p0 in range(0, len(ids), _PIECE)] or [np.empty(0, np.int64)])


def _non_overlapping(chain, n):
    """Anchors of ``n`` tokens from an increasing chain, dropping those that overlap."""
    out = []
    next_i = next_j = -1
    for i, j in chain:
        if i >= next_i and j >= next_j:
            out.append((i, j, n))
            next_i, next_j = i + n, j + n
    return out


def _rare_anchors(a, b, a0, a1, b0, b1):
    """No token is unique on both sides: anchor on tokens that occur the same small number of
    times on each side, paired in order (the idea of histogram diff)."""
    ca, cb = _counts(a, a0, a1), _counts(b, b0, b1)
    for limit in (2, 3, 4):
        rare = {t for t, n in ca.items() if n <= limit and cb.get(t) == n}
        if rare:
            break
    else:
        return []
    a_occ: dict[int, list[int]] = {}
    b_occ: dict[int, list[int]] = {}
    for i in range(a0, a1):
        if a[i] in rare:
            a_occ.setdefault(a[i], []).append(i)
    for j in range(b0, b1):
        if b[j] in rare:
            b_occ.setdefault(b[j], []).append(j)
    pairs = sorted(p for t in rare for p in zip(a_occ[t], b_occ[t], strict=True))
    return [(i, j, 1) for i, j in _longest_increasing(pairs)]


def _counts(ids: list[int], i0: int, i1: int) -> Counter:
    """``Counter(ids[i0:i1])`` without the copy of a long range."""
    counts: Counter = Counter()
    for ids_piece in id_pieces(ids, i0, i1):
        counts.update(ids_piece)
    return counts


def _longest_increasing(pairs):
    """Longest subsequence of ``pairs`` (sorted by i) whose j also increases."""
    if not pairs:
        return []
    tails: list[int] = []  # j of the smallest tail of each length
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1]
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    out.reverse()
    return out



def rematch_folded(rows: list[Edit], x, y, bounded: list, deadline: float) -> list[Edit]:
    """The diff runs on exact keys (as fast as ever on ordinary text, where capitals are
    rare and mostly match); each stretch it leaves unmatched with a word in capitals on either
    side is diffed again on case-folded keys, so words differing only in case still pair up
    (``split_case`` reports them later). An ALL-CAPS text against a lowercase one is one such
    stretch, aligned as a whole. Bounded regions inside a re-diffed stretch are replaced by the
    second diff's."""
    cased = x.vocab.cased_ids()
    if not cased:
        return rows
    out = []
    for row in rows:
        i0, i1, j0, j1 = row.i0, row.i1, row.j0, row.j1
        if (row.equal or i0 == i1 or j0 == j1
                or (x.cased_free(i0, i1) and y.cased_free(j0, j1))):
            out.append(row)
            continue
        xf, yf = x.fold_ids(i0, i1), y.fold_ids(j0, j1)
        if set(xf).isdisjoint(yf):  # nothing to pair, folded or not (most short stretches)
            out.append(row)
            continue
        inner: list = []
        # the folded ids as arrays for the anchors, made once per stretch (each gap's are views)
        runs = matching_blocks(xf, yf, inner, deadline, cache(
            lambda xf=xf, yf=yf: (_id_array(xf), _id_array(yf))))
        if not runs:
            out.append(row)
            continue
        bounded[:] = [r for r in bounded
                      if not (i0 <= r[0] and r[1] <= i1 and j0 <= r[2] and r[3] <= j1)]
        bounded.extend((a0 + i0, a1 + i0, b0 + j0, b1 + j0) for a0, a1, b0, b1 in inner)
        for r in edits_from_blocks(runs, i1 - i0, j1 - j0):
            out.append(Edit(r.equal, r.i0 + i0, r.i1 + i0, r.j0 + j0, r.j1 + j0,
                            folded=r.equal))
    return out
