"""Token alignment of an original and a corrupted text, built on rapidfuzz.

The pipeline, one module per stage, each a function of the edit list the one before returns:

1. tokenize both texts (``viewer/tokens.py``) and intern the comparison keys as integers;
2. ``blocks``: near-linear diff into equal runs (prefix/suffix, unique anchors, exact LCS of
   small gaps, bounded blocks for what is too large), turned into ``Edit`` rows (``edits``);
   run, like ``refine``, on the pair in one canonical order, so that ties are broken the same
   way whichever side is given first;
   what is left unmatched is diffed again on case-folded keys (``blocks.rematch_folded``), and
   the refinement compares folded keys too, so case never breaks the alignment;
3. ``refine``: re-tokenization inside a non-equal stretch (``C O O K E`` vs ``COOKE``) is equal;
   ``refine.split_case`` then reports the tokens of equal rows whose case differs;
4. ``cleanup``: edits slid across equal runs where that loses nothing, and a single token
   matched inside a passage joined to it;
5. ``classify``: kinds, the three-space placeholder a deleted compound leaves behind, passages
   split from the phrase beside them, one hunk per misspelt word.

``chars.char_opcodes`` gives the character-level differences inside one hunk.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..kinds import INSERTED, KINDS, MISSING, SUBSTITUTED
from ..tokens import KeyOptions, Tokens, Vocabulary, id_array, tokenize_pair

# the stage modules by name (``refine.refine``), so that ``viewer.align.refine`` is the module
# whose thresholds tests patch, never a function shadowing it
from . import blocks, classify, cleanup, refine
from .blocks import DEFAULT_TIME_BUDGET
from .chars import changed_ranges, char_opcodes
from .edits import Edit, Hunk, edits_from_blocks, mirror_edits

__all__ = [
    "DEFAULT_TIME_BUDGET", "INSERTED", "KINDS", "LETTERS_CHARS", "MISSING", "SUBSTITUTED",
    "AlignOptions",
    "Alignment", "Edit", "Hunk", "align", "align_tokens", "char_opcodes",
]


# Letters are compared inside a substituted hunk of at most this many characters a side (see
# ``Alignment.changed_letters``): 2,000 x 2,000 characters is well under a millisecond of
# bit-parallel Levenshtein, and a longer substitution is a passage, not a misspelling.
LETTERS_CHARS = 2_000


@dataclass(frozen=True)
class AlignOptions:
    ignore_case: bool = False
    strict_typography: bool = False
    time_budget: float = DEFAULT_TIME_BUDGET
    ignore_punctuation: bool = False
    fold_historical: bool = False

    @property
    def keys(self) -> KeyOptions:
        return KeyOptions(self.ignore_case, self.strict_typography, self.fold_historical)


@dataclass(frozen=True, eq=False)
class Alignment:
    """The one result everything downstream reads: both token lists, the differences in
    document order, and the regions too large to align exactly (``bounded``, token ranges)."""

    a: Tokens
    b: Tokens
    hunks: tuple[Hunk, ...]
    options: AlignOptions = AlignOptions()
    bounded: tuple[tuple[int, int, int, int], ...] = field(default=())
    _letters: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def a_text(self) -> str:
        return self.a.text

    @property
    def b_text(self) -> str:
        return self.b.text

    # What happened to each hunk, computed on first use from this one alignment (the page, the
    # exports and the corpus summary read these; nothing re-aligns). Both import modules that
    # import this one.
    @cached_property
    def provenance(self):
        """Where each hunk's text came from: copies and moves (``viewer.provenance``)."""
        from ..provenance import provenance

        return provenance(self)

    @cached_property
    def types(self) -> tuple[str, ...]:
        """The corruption type of each hunk, in hunk order (``viewer.hunk_types``)."""
        from ..hunk_types import hunk_types

        return tuple(hunk_types(self, self.provenance.verdicts()))

    def _repr_html_(self) -> str:
        """Jupyter shows an alignment as the page's side-by-side rows (escaped, windowed)."""
        from ..render.notebook import render_notebook  # render imports this module

        return render_notebook(self)

    def hunk_texts(self, h: Hunk) -> tuple[str, str]:
        return self.a.text[h.a[0] : h.a[1]], self.b.text[h.b[0] : h.b[1]]

    def char_opcodes(self, h: Hunk) -> list[tuple[str, int, int, int, int]]:
        """Character-level edit operations inside a hunk (offsets relative to the hunk texts),
        e.g. ``tbe`` -> ``the`` gives one ``replace`` of ``b`` by ``h``; grapheme clusters are
        never cut (``chars.char_opcodes``)."""
        return char_opcodes(*self.hunk_texts(h))

    def changed_letters(self, h: Hunk) -> tuple[list[list[int]], list[list[int]]] | None:
        """The letters that differ inside a substituted hunk, as ``[start, end]`` offsets into
        each text (like ``h.a`` and ``h.b``), from the character alignment of the two hunk
        texts: ``tbe`` -> ``the`` gives ``[[b, b + 1]]`` on each side around the ``b`` and the
        ``h``. None for other kinds, and for a hunk longer than ``LETTERS_CHARS`` on a side
        (a passage, a bounded region: quadratic to compare, and nothing to read letter by
        letter). Computed once per hunk, on demand (the page and the JSON ask for it; the
        alignment itself does not need it)."""
        if h.kind != SUBSTITUTED or max(h.a[1] - h.a[0], h.b[1] - h.b[0]) > LETTERS_CHARS:
            return None
        got = self._letters.get(h.id)
        if got is None:
            got = self._letters[h.id] = changed_ranges(*self.hunk_texts(h), h.a[0], h.b[0])
        return got

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
    ignore_punctuation: bool = False,
    fold_historical: bool = False,
) -> Alignment:
    """Align an original (``a_text``) and a corrupted (``b_text``) text."""
    options = AlignOptions(ignore_case, strict_typography, time_budget, ignore_punctuation,
                           fold_historical)
    vocab = Vocabulary(options.keys)
    ta, tb = tokenize_pair(a_text, b_text, vocab)
    return align_tokens(ta, tb, options)


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while a large acyclic result is built (the edit rows
    and hunks of an alignment, the JSON records): each collection would only re-scan those
    objects, again and again (~15 % of a million-token alignment, ~50 % of its records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def align_tokens(ta: Tokens, tb: Tokens, options: AlignOptions = AlignOptions()) -> Alignment:
    if ta.vocab is not tb.vocab:
        raise ValueError("both sides must be tokenized with one Vocabulary")
    with collector_paused():
        return _align_tokens(ta, tb, options)


def _align_tokens(ta: Tokens, tb: Tokens, options: AlignOptions) -> Alignment:
    # The diff and the refinement choose among equally long common subsequences by argument
    # order (`States [and] Turkey [have come]` or `States [and Turkey] have [come]`); run on
    # the pair in one canonical order, ``align(b, a)`` is the mirror of ``align(a, b)``.
    flip = _canonical_flip(ta, tb)
    x, y = (tb, ta) if flip else (ta, tb)
    bounded: list[tuple[int, int, int, int]] = []
    deadline = time.monotonic() + options.time_budget
    # the ids as arrays for the diff's anchors, made once (and kept for the later stages
    # inside ``tokens.id_arrays_kept``), only when a gap is large enough to need anchors
    runs = blocks.matching_blocks(x.ids, y.ids, bounded, deadline,
                                  cache(lambda: (id_array(x), id_array(y))))
    edits = edits_from_blocks(runs, len(x), len(y))
    edits = blocks.rematch_folded(edits, x, y, bounded, deadline)
    edits = refine.refine(edits, x, y)
    if flip:
        edits = mirror_edits(edits)
        bounded = [(b0, b1, a0, a1) for a0, a1, b0, b1 in bounded]
    edits = refine.split_case(edits, ta, tb)
    edits = cleanup.cleanup(edits, ta, tb)
    hunks = classify.classify(edits, ta, tb, options.ignore_punctuation)
    return Alignment(ta, tb, tuple(hunks), options, tuple(bounded))


def _canonical_flip(ta: Tokens, tb: Tokens) -> bool:
    """Whether the pair in canonical order is ``(b, a)``: the side with fewer tokens first, of
    two equally long ones the one whose first differing key sorts first (keys, not ids: ids
    depend on which side was interned first), case-folded keys before exact ones."""
    if len(ta) != len(tb):
        return len(ta) > len(tb)
    keys = ta.vocab.keys
    for a_ids, b_ids in ((ta.fold_ids(), tb.fold_ids()), (ta.ids, tb.ids)):
        n = blocks.common_prefix(a_ids, b_ids, 0, 0, len(ta))
        if n < len(ta):
            return keys[a_ids[n]] > keys[b_ids[n]]
    return False
