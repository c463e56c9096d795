"""Rows in step: where the side-by-side view cuts both texts into rows (no HTML).

Row boundaries are the original's line starts (one paragraph per line in the example), mapped
through the alignment to the corrupted text; a difference that spans a boundary moves the boundary
to its end, so it stays in one row; a long insertion gets a row of its own with a gap on the left;
very long lines are cut at sentence ends. A ``Layout`` holds the cuts, so a window of rows around
the selection can be rendered (``viewer.render``) without touching the rest of a million-token
document.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from .align import INSERTED, MISSING, Alignment, Hunk
from .stats import line_starts

# An insertion this many tokens long gets its own row. Chosen by hand on the example pair: its
# inserted quoted paragraph is 91 tokens, every other insertion 1-2 tokens (debris that belongs
# inline); 12 is a clause, well between the two.
LONG_INSERT = 12
# A difference this many tokens long (a region too large to align, two unrelated files) may be
# cut across rows; shorter ones always stay in one row. The example's longest difference is 91
# tokens; 300 tokens (about 2,000 characters) is a bit more than a row may hold (ROW_MAX).
HUGE_HUNK = 300
# Long lines are cut into rows near ROW_TARGET characters, at a sentence end when there is one,
# and rows run past ROW_MAX characters only when a single token (or difference) is longer. The
# example's paragraphs are at most 487 characters (median 408), so none of them is cut; 700 is
# a long paragraph, and a row of 1,600 still fits a screen at the view's 62vh height.
ROW_TARGET = 700
ROW_MAX = 1600
# A window sent to the browser: at most this many rows and (about) this many characters. With
# these, the 300k-token pair of benchmarks/RESULTS.md ("The page, timed in the browser") shows
# 198 of 4,300 rows and `Next` takes 0.26 s; a window is at most a few hundred kB of HTML.
WINDOW_ROWS = 200
WINDOW_CHARS = 150_000

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_SENTENCE_END = frozenset(".!?…;:")


@dataclass(frozen=True, eq=False)
class Layout:
    """Row cuts of one Alignment. Row ``k`` covers tokens ``ta[k]:ta[k+1]`` and characters
    ``a[k]:a[k+1]`` of the original, ``tb``/``b`` likewise of the corrupted text; the rows tile
    both texts. ``line[k]`` is the original's (1-based) line where row ``k`` starts;
    ``hunk_first[h]``/``hunk_last[h]`` the rows difference ``h`` is drawn in."""

    ta: array
    tb: array
    a: array
    b: array
    line: array
    hunk_first: array
    hunk_last: array

    def __len__(self) -> int:
        return len(self.a) - 1

    def row_of_hunk(self, hunk_id: int) -> int:
        return self.hunk_first[hunk_id]

    def is_gap_row(self, k: int, side: str) -> bool:
        """Row ``k`` has nothing on this side (a long insertion, or a removed paragraph)."""
        cuts = self.ta if side == "a" else self.tb
        return cuts[k] == cuts[k + 1]


class _Locator:
    """Where a token boundary of the original falls in the alignment."""

    def __init__(self, al: Alignment):
        hs = al.hunks
        self.hunks = hs
        self.ta0 = [h.ta[0] for h in hs]
        self.ta1 = [h.ta[1] for h in hs]
        self.tb0 = [h.tb[0] for h in hs]
        self.tb1 = [h.tb[1] for h in hs]

    def locate(self, i: int) -> tuple[int | None, int, int | None]:
        """``(hunk inside which i falls, or None; j of the corrupted side where i maps; the
        insertion sitting exactly at i, or None)``."""
        k = bisect.bisect_left(self.ta0, i)
        if k > 0 and self.ta1[k - 1] > i:
            return k - 1, -1, None
        j = i + (self.tb1[k - 1] - self.ta1[k - 1]) if k > 0 else i
        ins = None
        if k < len(self.ta0) and self.ta0[k] == i and self.ta1[k] == i:
            ins = k
        return None, j, ins


def _is_huge(h: Hunk) -> bool:
    return max(h.ta[1] - h.ta[0], h.tb[1] - h.tb[0]) >= HUGE_HUNK


def _proportional(h: Hunk, i: int) -> int:
    """The corrupted-side token matching original token ``i`` inside a huge hunk."""
    (a0, a1), (b0, b1) = h.ta, h.tb
    return b0 + round((i - a0) * (b1 - b0) / (a1 - a0))


def _break_before(text: str, tok, j: int) -> bool:
    """Is there a line break in the whitespace before token ``j``?"""
    start = tok.ends[j - 1] if j > 0 else 0
    end = tok.starts[j] if j < len(tok) else len(text)
    return "\n" in text[start:end] or "\r" in text[start:end]


def _line_start_tokens(al: Alignment) -> list[int]:
    """Token indices of the original that start a line (not the first or last position)."""
    text, starts, n = al.a_text, al.a.starts, len(al.a)
    out = []
    last = 0
    for m in _LINE_BREAK_RE.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < n and i != last:
            out.append(i)
            last = i
    return out


def layout_rows(al: Alignment) -> Layout:
    """Cut both texts into rows kept in step (see the module docstring)."""
    A, B = al.a, al.b
    na, nb = len(A), len(B)
    loc = _Locator(al)
    hunks = al.hunks
    points: list[tuple[int, int]] = []

    for i in _line_start_tokens(al):
        inside, j, ins = loc.locate(i)
        if inside is not None:
            h = hunks[inside]
            if _is_huge(h):
                points.append((i, _proportional(h, i)))
            else:  # the difference stays whole, in the row where it starts
                points.append((h.ta[1], h.tb[1]))
        elif ins is not None:
            h = hunks[ins]
            if h.tb[1] - h.tb[0] >= LONG_INSERT:
                points += [(i, h.tb[0]), (i, h.tb[1])]
            elif _break_before(al.b_text, B, h.tb[0]):
                points.append((i, h.tb[0]))  # it starts the corrupted text's next line
            else:
                points.append((i, h.tb[1]))  # debris at the end of the paragraph
        else:
            points.append((i, j))
    for h in hunks:
        if h.kind == INSERTED and h.tb[1] - h.tb[0] >= LONG_INSERT:
            points += [(h.ta[0], h.tb[0]), (h.ta[0], h.tb[1])]

    cuts = [(0, 0)]
    for p in sorted(set(points)):
        if p[0] >= cuts[-1][0] and p[1] >= cuts[-1][1] and p != cuts[-1] and p != (na, nb):
            cuts.append(p)
    cuts.append((na, nb))
    if cuts[-1] == cuts[-2] and not (al.a_text or al.b_text):
        cuts.pop()  # nothing at all: no rows
    elif cuts[-1] == cuts[-2] and len(cuts) > 2:
        cuts.pop()

    cuts = _subdivide(al, loc, cuts)

    a_len, b_len = len(al.a_text), len(al.b_text)

    def a_char(i: int) -> int:
        return 0 if i == 0 else (A.starts[i] if i < na else a_len)

    def b_char(i: int, j: int) -> int:
        if j == 0:
            return 0
        if j >= nb:
            return b_len
        # a removed compound at the start of this row: its run of spaces starts the row
        k = bisect.bisect_left(loc.ta0, i)
        if k < len(hunks):
            h = hunks[k]
            if h.ta[0] == i and h.kind == MISSING and h.tb[0] == j and h.gap:
                return h.gap[0]
        return B.starts[j]

    ta = array("q", (c[0] for c in cuts))
    tb = array("q", (c[1] for c in cuts))
    a = array("q", (a_char(i) for i, _ in cuts))
    b = array("q", (b_char(i, j) for i, j in cuts))
    a[-1], b[-1] = a_len, b_len

    starts = line_starts(al.a_text)
    line = array("q", (bisect.bisect_right(starts, c) for c in a[:-1]))

    first = array("q")
    last = array("q")
    for h in hunks:
        if h.ta[1] > h.ta[0]:
            first.append(bisect.bisect_right(ta, h.ta[0]) - 1)
            last.append(bisect.bisect_right(ta, h.ta[1] - 1) - 1)
        else:
            first.append(bisect.bisect_right(tb, h.tb[0]) - 1)
            last.append(bisect.bisect_right(tb, h.tb[1] - 1) - 1)
    n_rows = len(cuts) - 1
    for idx in range(len(first)):
        first[idx] = min(max(first[idx], 0), n_rows - 1)
        last[idx] = min(max(last[idx], first[idx]), n_rows - 1)
    return Layout(ta, tb, a, b, line, first, last)


def _subdivide(al: Alignment, loc: _Locator, cuts: list[tuple[int, int]]):
    """Cut rows longer than ROW_MAX characters on either side, at sentence ends if possible."""
    A, B = al.a, al.b
    na, nb = len(A), len(B)
    a_len, b_len = len(al.a_text), len(al.b_text)

    def a_char(i):
        return 0 if i == 0 else (A.starts[i] if i < na else a_len)

    def b_char(j):
        return 0 if j == 0 else (B.starts[j] if j < nb else b_len)

    def sentence_end(tok, k):
        return k > 0 and tok.text[tok.ends[k - 1] - 1] in _SENTENCE_END

    out = [cuts[0]]
    for (i0, j0), (i1, j1) in zip(cuts, cuts[1:], strict=False):
        if max(a_char(i1) - a_char(i0), b_char(j1) - b_char(j0)) <= ROW_MAX:
            out.append((i1, j1))
            continue
        if i1 > i0:
            cands = ((i, *_map(loc, i), sentence_end(A, i)) for i in range(i0 + 1, i1))
            cands = ((i, j, s) for i, j, ok, s in cands if ok and j0 <= j <= j1)
        else:  # a row with nothing on the left: cut the corrupted side alone
            cands = ((i0, j, sentence_end(B, j)) for j in range(j0 + 1, j1))
        start = (i0, j0)
        ok = best = None
        for i, j, is_sentence in cands:
            la = a_char(i) - a_char(start[0])
            lb = b_char(j) - b_char(start[1])
            if max(la, lb) > ROW_MAX:
                cut = best or ok
                if cut is None or cut == start:
                    cut = (i, j)
                out.append(cut)
                start = cut
                ok = best = None
                la = a_char(i) - a_char(start[0])
                lb = b_char(j) - b_char(start[1])
                if (i, j) == start:
                    continue
            ok = (i, j)
            if is_sentence:
                if max(la, lb) >= ROW_TARGET:
                    out.append((i, j))
                    start = (i, j)
                    ok = best = None
                elif max(la, lb) >= ROW_TARGET // 3:
                    best = (i, j)
        out.append((i1, j1))
    return out


def _map(loc: _Locator, i: int) -> tuple[int, bool]:
    """``(j, usable)``: where original token boundary ``i`` maps, and whether a row may be cut
    there (not inside a difference, unless it is a huge one)."""
    inside, j, _ = loc.locate(i)
    if inside is None:
        return j, True
    h = loc.hunks[inside]
    if _is_huge(h):
        return _proportional(h, i), True
    return -1, False


def window(layout: Layout, row: int, max_rows: int = WINDOW_ROWS,
           max_chars: int = WINDOW_CHARS) -> tuple[int, int]:
    """Rows ``[start, stop)`` around ``row``: at most ``max_rows`` rows, and about
    ``max_chars`` characters of text (always at least the row itself)."""
    n = len(layout)
    if n == 0:
        return 0, 0
    row = min(max(row, 0), n - 1)

    def size(k):
        return (layout.a[k + 1] - layout.a[k]) + (layout.b[k + 1] - layout.b[k])

    start, stop = row, row + 1
    used = size(row)
    # a little more context after the selection than before it
    while stop - start < max_rows:
        grew = False
        for side in (1, 1, -1):
            if stop - start >= max_rows:
                break
            k = stop if side > 0 else start - 1
            if 0 <= k < n and used + size(k) <= max_chars:
                used += size(k)
                if side > 0:
                    stop += 1
                else:
                    start -= 1
                grew = True
        if not grew:
            break
    return start, stop


def hunks_in_rows(layout: Layout, start: int, stop: int) -> range:
    """The differences drawn in rows ``[start, stop)`` (ids are in document order)."""
    lo = bisect.bisect_left(layout.hunk_last, start)
    hi = bisect.bisect_left(layout.hunk_first, stop)
    return range(lo, max(lo, hi))


def unchanged_runs(layout: Layout, start: int, stop: int,
                   keep: Iterable[int] = ()) -> list[tuple[int, int]]:
    """The runs ``[first, last)`` of consecutive rows of ``[start, stop)`` in which no
    difference is drawn (and none of the rows ``keep``), in order: what the "changed
    paragraphs only" view folds away, each run into one line."""
    changed = bytearray(max(stop - start, 0))
    for hid in hunks_in_rows(layout, start, stop):
        lo, hi = max(layout.hunk_first[hid], start), min(layout.hunk_last[hid] + 1, stop)
        changed[lo - start:hi - start] = b"\x01" * (hi - lo)
    for k in keep:
        if start <= k < stop:
            changed[k - start] = 1
    runs, first = [], None
    for k in range(start, stop + 1):
        if k < stop and not changed[k - start]:
            first = k if first is None else first
        elif first is not None:
            runs.append((first, k))
            first = None
    return runs


def grown_window_anchor(start: int, stop: int, n_rows: int, direction: int) -> int:
    """The row to centre the next window on when the reader asks for later (``direction`` > 0)
    or earlier rows of window ``[start, stop)``: far enough that about a third of the window
    is new, near enough that the rows just read stay in view."""
    if direction > 0:
        return min(n_rows - 1, stop + (stop - start) // 3)
    return max(0, start - (stop - start) * 2 // 3)
