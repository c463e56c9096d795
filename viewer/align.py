"""Token alignment of an original and a corrupted text, built on rapidfuzz.

The pipeline, each step a function below:

1. tokenize both texts (``tokens.py``) and intern the comparison keys as integers;
2. ``_matching_blocks``: near-linear diff. Common prefix and suffix are stripped, then the
   tokens unique to both sides anchor the alignment (patience diff: longest increasing run of
   unique pairs); gaps between anchors small enough are aligned exactly by rapidfuzz's
   ``Indel.opcodes`` (an LCS), larger ones are anchored again, and a gap with no anchor that
   is too large to align exactly becomes one substituted block, recorded in ``bounded``;
3. ``_refine``: a non-equal stretch whose two sides spell the same characters once whitespace
   is gone (``C O O K E`` vs ``COOKE``, ``WALLA CK`` vs ``WALLACK``) is re-tokenization, not
   corruption; a character-level alignment inside the stretch finds such equal runs that start
   and end on token boundaries on both sides;
4. ``_cleanup``: the reader's view of a hunk. Edits are slid across equal runs where that loses
   nothing (``fight [+the Turks] the militant`` rather than ``fight [-against] the [+Turks the]``),
   adjacent edits merge, and a single token matched inside a long passage joins it;
5. ``_classify``: kinds, and the three-space placeholder a deleted compound leaves behind.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import regex
from rapidfuzz.distance import Indel, Levenshtein

from .kinds import INSERTED, KINDS, MISSING, SUBSTITUTED
from .tokens import KeyOptions, Tokens, Vocabulary, tokenize_pair

# A gap is aligned exactly (LCS) when its two sides multiply to at most this many token pairs
# (rapidfuzz's bit-parallel LCS: ~0.1 s and ~50 MB at 20k x 20k).
EXACT_CELLS = 4_000_000_00
# Gaps above this size are anchored on unique tokens first, even when they could be aligned
# exactly: an LCS over a long stretch matches common words across unrelated text.
ANCHOR_CELLS = 250_000
# Character-level refinement of one non-equal stretch (re-tokenization inside words).
REFINE_CHARS = 4_000
# Seconds of diff work after which remaining unanchored gaps become bounded blocks.
DEFAULT_TIME_BUDGET = 10.0
# Token pairs aligned exactly, in all, before what is left becomes bounded blocks (about 2 s;
# raised to 64 per token for long texts).
CELL_BUDGET = 3_000_000_000
# ``_unique_anchors``' answer for a gap whose two sides have nothing to do with each other.
UNRELATED = object()

# An edit this many tokens long on one side is a passage (an inserted paragraph), not a phrase.
LONG_EDIT = 8

# Two words this alike (normalised Levenshtein similarity) are one word misspelt.
NEAR_MISS = 0.5

# A run of three or more spaces: the placeholder a removed compound leaves in the corrupted text.
_PLACEHOLDER_RE = regex.compile(r"[^\S\r\n]{3,}")


@dataclass(frozen=True)
class Hunk:
    """One difference. Spans are character offsets (end exclusive) into each side's text;
    ``ta``/``tb`` the token index ranges. A missing hunk has an empty ``b`` span at the spot
    where the text went missing, an inserted one an empty ``a`` span. ``gap`` is the run of
    spaces in the corrupted text that stands in for deleted material, when there is one."""

    id: int
    kind: str
    a: tuple[int, int]
    b: tuple[int, int]
    ta: tuple[int, int]
    tb: tuple[int, int]
    gap: tuple[int, int] | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown hunk kind {self.kind!r}")
        if self.a[0] > self.a[1] or self.b[0] > self.b[1]:
            raise ValueError("hunk span ends before it starts")


@dataclass(frozen=True)
class AlignOptions:
    ignore_case: bool = False
    strict_typography: bool = False
    time_budget: float = DEFAULT_TIME_BUDGET

    @property
    def keys(self) -> KeyOptions:
        return KeyOptions(self.ignore_case, self.strict_typography)


@dataclass(frozen=True, eq=False)
class Alignment:
    """The one result everything downstream reads: both token lists, the differences in
    document order, and the regions too large to align exactly (``bounded``, token ranges)."""

    a: Tokens
    b: Tokens
    hunks: tuple[Hunk, ...]
    options: AlignOptions = AlignOptions()
    bounded: tuple[tuple[int, int, int, int], ...] = field(default=())

    @property
    def a_text(self) -> str:
        return self.a.text

    @property
    def b_text(self) -> str:
        return self.b.text

    def hunk_texts(self, h: Hunk) -> tuple[str, str]:
        return self.a.text[h.a[0] : h.a[1]], self.b.text[h.b[0] : h.b[1]]

    def char_opcodes(self, h: Hunk) -> list[tuple[str, int, int, int, int]]:
        """Character-level edit operations inside a hunk (offsets relative to the hunk texts),
        e.g. ``tbe`` -> ``the`` gives one ``replace`` of ``b`` by ``h``."""
        a_txt, b_txt = self.hunk_texts(h)
        return [tuple(op) for op in Levenshtein.opcodes(a_txt, b_txt)]

    def segments(self):
        """Every token range in order, equal runs included, as
        ``(kind or "equal", ta0, ta1, tb0, tb1, hunk or None)``; they tile both token lists."""
        i = j = 0
        for h in self.hunks:
            if h.ta[0] > i or h.tb[0] > j:
                yield ("equal", i, h.ta[0], j, h.tb[0], None)
            yield (h.kind, h.ta[0], h.ta[1], h.tb[0], h.tb[1], h)
            i, j = h.ta[1], h.tb[1]
        if i < len(self.a) or j < len(self.b):
            yield ("equal", i, len(self.a), j, len(self.b), None)


def align(
    a_text: str,
    b_text: str,
    *,
    ignore_case: bool = False,
    strict_typography: bool = False,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> Alignment:
    """Align an original (``a_text``) and a corrupted (``b_text``) text."""
    options = AlignOptions(ignore_case, strict_typography, time_budget)
    vocab = Vocabulary(options.keys)
    ta, tb = tokenize_pair(a_text, b_text, vocab)
    return align_tokens(ta, tb, options)


def align_tokens(ta: Tokens, tb: Tokens, options: AlignOptions = AlignOptions()) -> Alignment:
    if ta.vocab is not tb.vocab:
        raise ValueError("both sides must be tokenized with one Vocabulary")
    a_ids, b_ids = ta.ids, tb.ids
    bounded: list[tuple[int, int, int, int]] = []
    blocks = _matching_blocks(a_ids, b_ids, bounded, time.monotonic() + options.time_budget)
    edits = _edits_from_blocks(blocks, len(a_ids), len(b_ids))
    edits = _refine(edits, ta, tb)
    edits = _cleanup(edits, ta, tb)
    hunks = _classify(edits, ta, tb)
    return Alignment(ta, tb, tuple(hunks), options, tuple(bounded))


# --- 2. diff ----------------------------------------------------------------------------------


def _matching_blocks(a: list[int], b: list[int], bounded: list, deadline: float):
    """Equal runs ``(i, j, n)`` in order, near-linear in practice. Work is bounded three ways:
    a gap whose unique tokens pair up at random is unrelated text; exact alignment stops after
    ``CELL_BUDGET`` token pairs in all, or at ``deadline``. What is left becomes one block."""
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
        p = _common_prefix(a, b, a0, b0, min(a1 - a0, b1 - b0))
        s = _common_suffix(a, b, a1, b1, min(a1 - a0, b1 - b0) - p)
        if p:
            blocks.append((a0, b0, p))
        suffix = (a1 - s, b1 - s, s) if s else None
        a0, b0, a1, b1 = a0 + p, b0 + p, a1 - s, b1 - s
        if a0 < a1 and b0 < b1:
            cells = (a1 - a0) * (b1 - b0)
            anchors = None
            if cells > ANCHOR_CELLS:
                anchors = _unique_anchors(a, b, a0, a1, b0, b1)
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


def _common_prefix(a, b, i, j, limit):
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


def _unique_anchors(a, b, a0, a1, b0, b1):
    """Anchors ``(i, j, n)``: runs of ``n`` tokens occurring exactly once in each side of the
    gap, keeping the longest chain that is increasing on both sides (patience diff). Single
    tokens first; where they are too sparse (a text of few distinct words, repeated phrases)
    unique runs of 2, 4, 8 and 16 tokens. Counting is done by numpy sorts."""
    sa = np.asarray(a[a0:a1], dtype=np.int64)
    sb = np.asarray(b[b0:b1], dtype=np.int64)
    wanted = min(a1 - a0, b1 - b0) / 200  # about one anchor per 200 tokens is plenty
    best: list = []
    unrelated = 0
    for n in (1, 2, 4, 8, 16):
        if n > min(len(sa), len(sb)):
            break
        pairs = _unique_pairs(_ngram_hashes(sa, n), _ngram_hashes(sb, n))
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


def _ngram_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """A hash of each run of ``n`` tokens (wrapping int64 arithmetic; collisions are checked
    by the caller)."""
    if n == 1:
        return ids
    h = np.zeros(len(ids) - n + 1, dtype=np.int64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * np.int64(1_000_003) + ids[k : len(ids) - n + 1 + k]
    return h


def _unique_pairs(ha: np.ndarray, hb: np.ndarray) -> list[tuple[int, int]]:
    """Positions ``(i, j)`` of values occurring exactly once in ``ha`` and once in ``hb``,
    in order of ``i``."""
    ua, ca = np.unique(ha, return_counts=True)
    ub, cb = np.unique(hb, return_counts=True)
    common = np.intersect1d(ua[ca == 1], ub[cb == 1], assume_unique=True)
    if not len(common):
        return []
    pos_a = np.flatnonzero(np.isin(ha, common))
    pos_b = np.flatnonzero(np.isin(hb, common))
    order_b = np.argsort(hb[pos_b], kind="stable")
    j_of = pos_b[order_b][np.searchsorted(hb[pos_b][order_b], ha[pos_a])]
    return list(zip(pos_a.tolist(), j_of.tolist(), strict=True))


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
    ca = Counter(a[a0:a1])
    cb = Counter(b[b0:b1])
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


# An edit list is a list of [equal, i0, i1, j0, j1] rows tiling both token lists.


def _edits_from_blocks(blocks, n_a, n_b):
    rows = []
    i = j = 0
    for bi, bj, n in blocks:
        if bi > i or bj > j:
            rows.append([False, i, bi, j, bj])
        rows.append([True, bi, bi + n, bj, bj + n])
        i, j = bi + n, bj + n
    if i < n_a or j < n_b:
        rows.append([False, i, n_a, j, n_b])
    return rows


def _normalize_rows(rows):
    """Drop empty rows and merge neighbours of the same kind (rows are reused, not copied:
    each step of the pipeline owns the list it is given)."""
    out = []
    append = out.append
    last = None
    for row in rows:
        if row[1] == row[2] and row[3] == row[4]:
            continue
        if last is not None and last[0] == row[0]:
            last[2] = row[2]
            last[4] = row[4]
        else:
            last = row
            append(row)
    return out


# --- 3. re-tokenization -----------------------------------------------------------------------


def _refine(rows, ta: Tokens, tb: Tokens):
    out = []
    for row in rows:
        eq, i0, i1, j0, j1 = row
        # one token against one token has no token boundary inside to re-align on
        if eq or i0 == i1 or j0 == j1 or (i1 - i0 == 1 and j1 - j0 == 1):
            out.append(row)
            continue
        out.extend(_refine_stretch(ta, tb, i0, i1, j0, j1))
    return _normalize_rows(out)


def _refine_stretch(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    a_keys = ta.keys(i0, i1)
    b_keys = tb.keys(j0, j1)
    a_str = "".join(a_keys)
    b_str = "".join(b_keys)
    if a_str == b_str:
        return [[True, i0, i1, j0, j1]]
    if len(a_str) > REFINE_CHARS or len(b_str) > REFINE_CHARS:
        return [[False, i0, i1, j0, j1]]
    # token boundaries as character positions in the joined keys -> token index
    a_bound = _boundaries(a_keys)
    b_bound = _boundaries(b_keys)
    sync = [(0, 0)]
    for op in Indel.opcodes(a_str, b_str):
        if op.tag != "equal":
            continue
        for k in range(op.src_end - op.src_start + 1):
            x, y = op.src_start + k, op.dest_start + k
            if (x in a_bound and y in b_bound and (x, y) != sync[-1]
                    and sync[-1][0] <= x and sync[-1][1] <= y):
                sync.append((x, y))
    if sync[-1] != (len(a_str), len(b_str)):
        sync.append((len(a_str), len(b_str)))
    rows = []
    for (x0, y0), (x1, y1) in zip(sync, sync[1:], strict=False):
        eq = (x1 - x0) == (y1 - y0) and a_str[x0:x1] == b_str[y0:y1] and x1 > x0
        rows.append([eq, i0 + a_bound[x0], i0 + a_bound[x1], j0 + b_bound[y0], j0 + b_bound[y1]])
    return rows


def _boundaries(keys):
    bound = {0: 0}
    pos = 0
    for n, k in enumerate(keys, 1):
        pos += len(k)
        bound[pos] = n  # empty keys map several tokens to one position; keep the last
    return bound


# --- 4. the reader's view of a hunk -----------------------------------------------------------


def _cleanup(rows, ta: Tokens, tb: Tokens):
    rows = _shift_edits(rows, ta.ids, tb.ids)
    rows = _merge_short_equalities(rows, ta, tb)
    return rows


def _shift_edits(rows, a_ids, b_ids):
    """Slide one-sided edits across a neighbouring equal run when the edit repeats it, so the
    edit joins the edit on the other side of that run (diff-match-patch's lossless shift, on
    tokens): ``=the +Turks +the`` after ``-against`` becomes ``-against +the +Turks =the``.
    One linear pass per round; a round that shifts nothing ends it."""
    for _ in range(4):
        shifted = False
        for k in range(1, len(rows) - 1):
            prev, cur, nxt = rows[k - 1], rows[k], rows[k + 1]
            if cur[0] or not (prev[0] and nxt[0]) or prev[1] == prev[2]:
                continue
            if cur[1] == cur[2]:  # insertion: its tokens live on side b
                seq, s0, s1, p0, n0 = b_ids, cur[3], cur[4], prev[3], nxt[3]
            elif cur[3] == cur[4]:  # deletion: side a
                seq, s0, s1, p0, n0 = a_ids, cur[1], cur[2], prev[1], nxt[1]
            else:
                continue
            plen = s0 - p0
            nlen = nxt[2] - nxt[1]
            # the whole previous equality repeats at the edit's end: shift left onto the edit
            # before it
            if k >= 2 and plen <= s1 - s0 and seq[p0:s0] == seq[s1 - plen : s1]:
                _shift(prev, cur, nxt, -plen)
                shifted = True
            # the whole next equality repeats at the edit's start: shift right
            elif (k + 2 < len(rows) and nlen <= s1 - s0
                    and seq[s0 : s0 + nlen] == seq[n0 : n0 + nlen]):
                _shift(prev, cur, nxt, nlen)
                shifted = True
        if not shifted:
            break
        rows = _normalize_rows(rows)
    return rows


def _shift(prev, cur, nxt, by):
    """Move the edit ``cur`` by ``by`` tokens; the equal runs around it shrink and grow."""
    prev[2] += by
    prev[4] += by
    cur[1] += by
    cur[2] += by
    cur[3] += by
    cur[4] += by
    nxt[1] += by
    nxt[3] += by


def _merge_short_equalities(rows, ta: Tokens, tb: Tokens):
    """One token matched between two edits, one of them long, is a chance match inside a
    passage (a ``.`` of an inserted paragraph matched to a ``.`` of the original): the two
    edits and the token become one stretch, which ``_split_passage`` later cuts properly.
    Between two short edits a matched token stays matched: ``The [deepening] ties [threaten]``
    is two substitutions, and the benchmark's precision drops when they are joined."""
    out = []
    k = 0
    while k < len(rows):
        row = rows[k]
        if (row[0] and out and k + 1 < len(rows) and not out[-1][0]
                and row[2] - row[1] == 1
                and _chance_match(out[-1], rows[k + 1], ta, tb)):
            nxt = rows[k + 1]
            out[-1][2], out[-1][4] = nxt[2], nxt[4]
            k += 2
            continue
        out.append(row)
        k += 1
    return _normalize_rows(out)


def _chance_match(before, after, ta: Tokens, tb: Tokens):
    return _is_passage(before, ta, tb) or _is_passage(after, ta, tb)


def _is_passage(row, ta: Tokens, tb: Tokens) -> bool:
    """At least ``LONG_EDIT`` words on one side (words, not tokens: OCR'd Fraktur with one
    token per ligature is still a short edit)."""
    return (
        (row[2] - row[1] >= LONG_EDIT and _unit_count(ta, row[1], row[2]) >= LONG_EDIT)
        or (row[4] - row[3] >= LONG_EDIT and _unit_count(tb, row[3], row[4]) >= LONG_EDIT)
    )


def _unit_count(tok: Tokens, i0: int, i1: int) -> int:
    """Whitespace-separated words among tokens ``i0..i1``."""
    return len(_units(tok, i0, i1)) if i1 > i0 else 0


# --- 5. kinds and placeholders ------------------------------------------------------------------


def _classify(rows, ta: Tokens, tb: Tokens):
    hunks = []
    for eq, i0, i1, j0, j1 in rows:
        if eq:
            continue
        hunks.extend(_make_hunks(ta, tb, i0, i1, j0, j1))
    return [
        Hunk(n, h[0], h[1], h[2], h[3], h[4], h[5]) for n, h in enumerate(hunks)
    ]


def _whitespace_before(tok: Tokens, j: int) -> tuple[int, int]:
    """Span of the whitespace between token ``j - 1`` and token ``j``."""
    start = tok.ends[j - 1] if j > 0 else 0
    end = tok.starts[j] if j < len(tok) else len(tok.text)
    return start, end


def _placeholder(tok: Tokens, j: int) -> tuple[int, int] | None:
    s, e = _whitespace_before(tok, j)
    if e - s < 3:
        return None
    m = _PLACEHOLDER_RE.search(tok.text, s, e)
    return m.span() if m else None


def _units(tok: Tokens, i0: int, i1: int) -> list[int]:
    """Token indices where a whitespace-separated unit starts (``Su-24`` is one unit)."""
    starts = [i0]
    for i in range(i0 + 1, i1):
        if tok.starts[i] > tok.ends[i - 1]:
            starts.append(i)
    return starts


def _make_hunks(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    """Kind, spans and placeholder of one non-equal stretch; a substitution that starts or ends
    at a placeholder and has more units on the original side is split into the missing units
    (at the placeholder) and the substituted rest."""
    if i0 == i1 or j0 == j1:
        return [_plain_hunk(ta, tb, i0, i1, j0, j1)]
    if max(i1 - i0, j1 - j0) >= LONG_EDIT:
        na, nb = _unit_count(ta, i0, i1), _unit_count(tb, j0, j1)
        if nb >= 3 * na + LONG_EDIT or na >= 3 * nb + LONG_EDIT:
            return _split_passage(ta, tb, i0, i1, j0, j1)
    before = _placeholder(tb, j0)
    after = _placeholder(tb, j1) if j1 < len(tb) else None
    inner = None
    for j in range(j0 + 1, j1):
        inner = inner or _placeholder(tb, j)
    a_units = _units(ta, i0, i1)
    b_units = _units(tb, j0, j1)
    extra = len(a_units) - len(b_units)
    if before and extra > 0:
        cut = a_units[extra]
        return [
            (MISSING, ta.span(i0, cut), (before[0], before[0]), (i0, cut), (j0, j0), before),
            (SUBSTITUTED, ta.span(cut, i1), tb.span(j0, j1), (cut, i1), (j0, j1), None),
        ]
    if after and extra > 0:
        cut = a_units[len(a_units) - extra]
        return [
            (SUBSTITUTED, ta.span(i0, cut), tb.span(j0, j1), (i0, cut), (j0, j1), None),
            (MISSING, ta.span(cut, i1), (after[0], after[0]), (cut, i1), (j1, j1), after),
        ]
    if len(a_units) == len(b_units) > 1 and not inner:
        pairs = _near_miss_words(ta, tb, a_units + [i1], b_units + [j1])
        if pairs:
            return [(SUBSTITUTED, ta.span(a0, a1), tb.span(b0, b1), (a0, a1), (b0, b1), None)
                    for a0, a1, b0, b1 in pairs]
    return [(SUBSTITUTED, ta.span(i0, i1), tb.span(j0, j1), (i0, i1), (j0, j1), inner)]


def _near_miss_words(ta: Tokens, tb: Tokens, a_cuts, b_cuts):
    """Word-for-word substitutions where every pair of words is spelled alike (OCR: ``tbe``
    for ``the``): each misspelt word is its own hunk, and words that agree are no hunk. A
    swapped phrase (``United States`` for ``Islamic State``) stays one hunk. Returns the token
    ranges of the differing pairs, or None."""
    pairs = []
    for k in range(len(a_cuts) - 1):
        a0, a1, b0, b1 = a_cuts[k], a_cuts[k + 1], b_cuts[k], b_cuts[k + 1]
        a_word, b_word = "".join(ta.keys(a0, a1)), "".join(tb.keys(b0, b1))
        if a_word == b_word:
            continue
        if Levenshtein.normalized_similarity(a_word, b_word) < NEAR_MISS:
            return None
        pairs.append((a0, a1, b0, b1))
    return pairs


def _split_passage(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    """A short phrase against a long passage is a passage inserted (or deleted) next to a
    substituted phrase, not one giant substitution. The short side is cut at its line break
    (a paragraph inserted between paragraphs), each part pairs with as many units at its end
    of the long side, and what is left of the long side is the inserted or missing passage."""
    swapped = (i1 - i0) > (j1 - j0)
    if swapped:  # work as if the long side were b
        ta, tb, i0, i1, j0, j1 = tb, ta, j0, j1, i0, i1
    cut = i1
    for i in range(i1 - 1, i0, -1):
        if "\n" in ta.text[ta.ends[i - 1] : ta.starts[i]] or "\r" in ta.text[
                ta.ends[i - 1] : ta.starts[i]]:
            cut = i
            break
    b_units = _units(tb, j0, j1)
    n_head = len(_units(ta, i0, cut)) if cut > i0 else 0
    n_tail = len(_units(ta, cut, i1)) if i1 > cut else 0
    if n_head + n_tail >= len(b_units):  # the long side is one run without spaces: count tokens
        b_units = list(range(j0, j1))
        n_head, n_tail = cut - i0, i1 - cut
    head_end = b_units[n_head] if n_head else j0
    tail_start = b_units[len(b_units) - n_tail] if n_tail else j1
    # substituted head, the passage, substituted tail (empty ones dropped)
    parts = [(a0, a1, b0, b1) for a0, a1, b0, b1 in (
        (i0, cut, j0, head_end), (cut, cut, head_end, tail_start), (cut, i1, tail_start, j1))
        if a0 < a1 or b0 < b1]
    if swapped:
        return [_plain_hunk(tb, ta, b0, b1, a0, a1) for a0, a1, b0, b1 in parts]
    return [_plain_hunk(ta, tb, a0, a1, b0, b1) for a0, a1, b0, b1 in parts]


def _plain_hunk(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    """One hunk whose kind follows from which side is empty; a missing one points at the spot
    in the corrupted text, its placeholder run of spaces when there is one."""
    if i0 == i1:
        return (INSERTED, ta.span(i0, i0), tb.span(j0, j1), (i0, i0), (j0, j1), None)
    if j0 == j1:
        gap = _placeholder(tb, j0)
        point = gap[0] if gap else _whitespace_before(tb, j0)[0]
        return (MISSING, ta.span(i0, i1), (point, point), (i0, i1), (j0, j0), gap)
    return (SUBSTITUTED, ta.span(i0, i1), tb.span(j0, j1), (i0, i1), (j0, j1), None)
