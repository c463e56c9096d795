"""The letters that differ inside a substituted hunk, for the view's darker marks.

The ranges are the alignment's own (``Alignment.changed_letters``: a character alignment that
never cuts a grapheme cluster, so a mark never parts an accent from its letter or an emoji
sequence); this module only decides which of them are worth marking.
"""

from __future__ import annotations

from ..align import Alignment, Hunk
from ..kinds import SUBSTITUTED

# The view marks letters only where they tell something: when at most this share of a side's
# characters differ (``tbe`` -> ``the``, ``Gryphon`` -> ``Gryphen``). Above it the words were
# replaced, not misspelt, and marks scattered over chance-shared letters (``declined`` ->
# ``Islamic``) are noise; chosen by looking at the example pair's word swaps.
MARK_SHARE = 0.5

Ranges = list[tuple[int, int]]


def changed_letters(al: Alignment, h: Hunk) -> tuple[Ranges, Ranges] | None:
    """``(a_ranges, b_ranges)``: absolute ``[start, end)`` offsets of the characters that differ
    inside substituted hunk ``h``; None for other kinds and for hunks too long to compare."""
    if h.kind != SUBSTITUTED:
        return None
    found = al.changed_letters(h)
    if found is None:
        return None
    return ([(s, e) for s, e in found[0]], [(s, e) for s, e in found[1]])


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
