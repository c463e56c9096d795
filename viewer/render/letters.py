"""The letters that differ inside a substituted hunk, for the view's darker marks.

``changed_letters`` is the one place the view asks: the alignment's own
``Alignment.changed_letters`` when it has one, else the same ranges read off
``Alignment.char_opcodes``. Either way the ranges are widened to whole grapheme clusters, so a
mark never cuts an accent from its letter or an emoji sequence apart.
"""

from __future__ import annotations

import bisect

import regex

from ..align import Alignment, Hunk
from ..kinds import SUBSTITUTED

# Letters are marked in hunks up to this many characters a side (the detail panel's limit for a
# character-level comparison: Levenshtein opcodes cost length x length).
LETTERS_MAX = 3_000

# The view marks letters only where they tell something: when at most this share of a side's
# characters differ (``tbe`` -> ``the``, ``Gryphon`` -> ``Gryphen``). Above it the words were
# replaced, not misspelt, and marks scattered over chance-shared letters (``declined`` ->
# ``Islamic``) are noise; chosen by looking at the example pair's word swaps.
MARK_SHARE = 0.5

_GRAPHEME_RE = regex.compile(r"\X", regex.DOTALL)

Ranges = list[tuple[int, int]]


def changed_letters(al: Alignment, h: Hunk) -> tuple[Ranges, Ranges] | None:
    """``(a_ranges, b_ranges)``: absolute ``[start, end)`` offsets of the characters that differ
    inside substituted hunk ``h``, on each side, on grapheme-cluster boundaries; None for other
    kinds and for hunks too long to compare letter by letter."""
    if h.kind != SUBSTITUTED:
        return None
    own = getattr(al, "changed_letters", None)
    found = own(h) if own is not None else _from_opcodes(al, h)
    if found is None:
        return None
    a_ranges, b_ranges = found
    return (_whole_graphemes(al.a_text, h.a, a_ranges),
            _whole_graphemes(al.b_text, h.b, b_ranges))


def marked_letters(al: Alignment, h: Hunk) -> tuple[Ranges, Ranges] | None:
    """The letters the view marks darker inside ``h``: ``changed_letters`` when at most
    ``MARK_SHARE`` of either side's non-space characters differ, else None."""
    found = changed_letters(al, h)
    if not found:
        return None
    for text, span, ranges in ((al.a_text, h.a, found[0]), (al.b_text, h.b, found[1])):
        size = sum(not c.isspace() for c in text[span[0]:span[1]])
        changed = sum(not c.isspace() for s, e in ranges for c in text[s:e])
        if changed > MARK_SHARE * size:
            return None
    return found


def _from_opcodes(al: Alignment, h: Hunk) -> tuple[Ranges, Ranges] | None:
    if h.a[1] - h.a[0] > LETTERS_MAX or h.b[1] - h.b[0] > LETTERS_MAX:
        return None
    a_ranges: Ranges = []
    b_ranges: Ranges = []
    for tag, i0, i1, j0, j1 in al.char_opcodes(h):
        if tag == "equal":
            continue
        for ranges, base, s, e in ((a_ranges, h.a[0], i0, i1), (b_ranges, h.b[0], j0, j1)):
            if e > s:
                if ranges and ranges[-1][1] == base + s:
                    ranges[-1] = (ranges[-1][0], base + e)
                else:
                    ranges.append((base + s, base + e))
    return a_ranges, b_ranges


def _whole_graphemes(text: str, span: tuple[int, int], ranges) -> Ranges:
    """``ranges`` clipped to ``span`` and widened to the grapheme clusters of ``text[span]``
    they touch; overlapping or touching ranges merged."""
    if not ranges:
        return []
    lo, hi = span
    bounds = [m.end() for m in _GRAPHEME_RE.finditer(text, lo, hi)]
    starts = [lo, *bounds[:-1]]
    out: Ranges = []
    for s, e in sorted((max(int(s), lo), min(int(e), hi)) for s, e in ranges):
        if e <= s:
            continue
        s = starts[bisect.bisect_right(starts, s) - 1]
        e = bounds[bisect.bisect_left(bounds, e)]
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
