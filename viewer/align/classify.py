"""Stage 4, kinds and placeholders: each non-equal row becomes one or more ``Hunk``.

The rule cascade of ``make_hunks``, first match wins:

- one side empty: missing or inserted (``_plain_hunk``), a missing hunk pointing at the
  placeholder run of three or more spaces when there is one (``budding    partnership``);
- several lines: each line pairs with the alike line of the other side (``pair_lines``), so
  debris never takes the place of a garbled line nearby;
- punctuation at either end of a stretch of words is its own hunk, never glued into a word
  substitution (``dure.`` -> ``dur`` is ``dure`` -> ``dur`` and a missing ``.``); with
  punctuation ignored it is no hunk (``_peel_punctuation``);
- a short phrase against a long passage: the passage inserted or missing beside a substituted
  phrase (``_split_passage``);
- more words in the original, a placeholder at either end in the corrupted text: the extra words
  missing at the placeholder, the rest substituted (``Su-24 attack`` -> ``   Russian``); and
  its mirror image, more words in the corrupted text and a placeholder in the original: the
  extra words inserted there (so that swapping the sides mirrors the hunks);
- word for word, every pair alike: one hunk per misspelt word (``tbe`` for ``the``);
- otherwise one substitution.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import count

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..kinds import INSERTED, MISSING, SUBSTITUTED
from ..tokens import Tokens, is_punctuation
from ..words import nth_word_start, word_count, word_starts
from . import cleanup  # cleanup.LONG_EDIT read at call time: one value, patchable
from .edits import Edit, Hunk

# Two words at least this alike (normalised Levenshtein similarity) are one word misspelt; a
# word-for-word substitution where every pair is this alike is split into one hunk per word.
# 0.5 is the largest value at which OCR's two-letters-for-one confusions still count as a
# misspelling (`tlie`/`the` and `arid`/`and` are exactly 0.5; one wrong letter, `tbe`/`the`,
# is 0.67), while swapped-in words share almost nothing (`United`/`Islamic` 0.0). The quality
# benchmark cannot choose it: 0.3, 0.4, 0.5, 0.6 and 0.7 give the same F1 0.9995 on
# `--pairs 100 --seed 0` (issue 9), its mention swaps never spell like what they replace.
NEAR_MISS = 0.5

# Two lines at least this alike (rapidfuzz ``ratio`` of their keys, 0..1) are one line and its
# garbled version: OCR'd lines with a wrong letter in every word score ~0.8, debris against text
# ~0, a line against an unrelated one of the same language ~0.3-0.45 (common letters). The
# quality benchmark joins its corrupted texts into one line, so it cannot choose the value.
LINE_ALIKE = 0.6
# Lines of a stretch compared pairwise only up to this many pairs (100 x 100 lines, ~10 ms).
LINE_CELLS = 10_000
_LINE_BREAK_RE = regex.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

# A run of three or more spaces: the placeholder a removed compound leaves in the corrupted text.
# Two spaces are ordinary sloppy spacing (`end.  Next`); the example pair's compounds leave 3-4.
_PLACEHOLDER_RE = regex.compile(r"[^\S\r\n]{3,}")


def classify(rows: list[Edit], ta: Tokens, tb: Tokens,
             ignore_punctuation: bool = False) -> list[Hunk]:
    """The hunks of the non-equal rows, in order, numbered from 0. ``ignore_punctuation``:
    hunks made only of punctuation on both sides (a missing comma, ``;`` -> ``.``, and the
    punctuation peeled off a word) are left out; the text aligns as usual."""
    ids = count()
    hunks: list[Hunk] = []
    for row in rows:
        if row.case:  # the same words in another case (``FUND`` -> ``fund``)
            hunks.append(Hunk(next(ids), SUBSTITUTED, ta.span(row.i0, row.i1),
                              tb.span(row.j0, row.j1), (row.i0, row.i1), (row.j0, row.j1)))
        elif not row.equal:
            hunks.extend(make_hunks(ta, tb, row.i0, row.i1, row.j0, row.j1, ids))
    if ignore_punctuation:
        kept = [h for h in hunks if not _only_punctuation(ta, tb, h)]
        hunks = [replace(h, id=n) for n, h in enumerate(kept)] if len(kept) < len(hunks) else kept
    return hunks


def _only_punctuation(ta: Tokens, tb: Tokens, h: Hunk) -> bool:
    return all(map(is_punctuation, ta.keys(*h.ta))) and all(map(is_punctuation, tb.keys(*h.tb)))


def whitespace_before(tok: Tokens, j: int) -> tuple[int, int]:
    """Span of the whitespace between token ``j - 1`` and token ``j``."""
    start = tok.ends[j - 1] if j > 0 else 0
    end = tok.starts[j] if j < len(tok) else len(tok.text)
    return start, end


def placeholder(tok: Tokens, j: int) -> tuple[int, int] | None:
    """The run of three or more spaces (no line break) before token ``j``, if there is one."""
    s, e = whitespace_before(tok, j)
    if e - s < 3:
        return None
    m = _PLACEHOLDER_RE.search(tok.text, s, e)
    return m.span() if m else None


def make_hunks(ta: Tokens, tb: Tokens, i0, i1, j0, j1, ids=None) -> list[Hunk]:
    """Kind, spans and placeholder of one non-equal stretch (see the module's rule cascade);
    hunk ids are drawn from ``ids``."""
    ids = ids if ids is not None else count()
    if i0 == i1 or j0 == j1:
        return _one_sided_hunks(ta, tb, i0, i1, j0, j1, ids)
    paired = pair_lines(ta, tb, i0, i1, j0, j1)
    if paired:
        return [h for a0, a1, b0, b1 in paired for h in make_hunks(ta, tb, a0, a1, b0, b1, ids)]
    long_edit = cleanup.LONG_EDIT
    if max(i1 - i0, j1 - j0) >= long_edit:
        na, nb = word_count(ta, i0, i1), word_count(tb, j0, j1)
        if nb >= 3 * na + long_edit or na >= 3 * nb + long_edit:
            return _split_passage(ta, tb, i0, i1, j0, j1, ids)
    peeled = _peel_punctuation(ta, tb, i0, i1, j0, j1)
    if peeled:
        hunks = []
        for a0, a1, b0, b1 in peeled:  # each part is smaller than the stretch
            hunks.extend(make_hunks(ta, tb, a0, a1, b0, b1, ids))
        return hunks
    a_units = word_starts(ta, i0, i1)
    b_units = word_starts(tb, j0, j1)
    split = None
    if len(a_units) >= len(b_units):
        split = _split_at_placeholder(ta, tb, i0, i1, j0, j1, a_units, len(b_units))
    if len(b_units) >= len(a_units):  # the mirror image, so that align(b, a) mirrors align(a, b)
        mirror = _split_at_placeholder(tb, ta, j0, j1, i0, i1, b_units, len(a_units),
                                       mirrored=True)
        # as many words on both sides, compounds at placeholders both ways: neither is chosen,
        # so that the choice does not depend on which side is the original
        split = None if split and mirror else split or mirror
    if split:
        return [h for a0, a1, b0, b1 in split for h in make_hunks(ta, tb, a0, a1, b0, b1, ids)]
    inner = None
    for j in range(j0 + 1, j1):
        inner = inner or placeholder(tb, j)
    inner_a = any(placeholder(ta, i) for i in range(i0 + 1, i1))
    if len(a_units) == len(b_units) > 1 and not inner and not inner_a:
        pairs = near_miss_words(ta, tb, a_units + [i1], b_units + [j1])
        if pairs:  # each word on its own, its punctuation peeled
            return [h for a0, a1, b0, b1 in pairs for h in make_hunks(ta, tb, a0, a1, b0, b1, ids)]
    return [Hunk(next(ids), SUBSTITUTED, ta.span(i0, i1), tb.span(j0, j1), (i0, i1), (j0, j1),
                 inner)]


def pair_lines(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    """A stretch of several lines is cut where its lines pair up by their characters: each line
    pairs with the alike line of the other side (``Morning Chronicle Office`` with the OCR's
    ``Mornlng Chron1cle Ofiice``, not with the ``— — —`` of debris before it), in order, the
    pairing of greatest total similarity (a small dynamic programme over lines, rapidfuzz's
    ``ratio`` of their keys). Returns the token ranges of the parts (paired lines, and the
    unpaired lines between two pairings as one part), or None when no line pairs or the stretch
    is one line a side (or too many lines to compare: more than ``LINE_CELLS`` pairs)."""
    # most stretches are within one line on both sides: one search per side says so
    if not (_LINE_BREAK_RE.search(ta.text, ta.starts[i0], ta.ends[i1 - 1])
            or _LINE_BREAK_RE.search(tb.text, tb.starts[j0], tb.ends[j1 - 1])):
        return None
    a_cuts, b_cuts = _lines(ta, i0, i1), _lines(tb, j0, j1)
    na, nb = len(a_cuts) - 1, len(b_cuts) - 1
    if max(na, nb) < 2 or na * nb > LINE_CELLS:
        return None
    a_lines = [" ".join(ta.keys(a_cuts[x], a_cuts[x + 1], folded=True)) for x in range(na)]
    b_lines = [" ".join(tb.keys(b_cuts[y], b_cuts[y + 1], folded=True)) for y in range(nb)]
    sim = [[fuzz.ratio(p, q) / 100 for q in b_lines] for p in a_lines]
    best = [[0.0] * (nb + 1) for _ in range(na + 1)]
    for x in range(1, na + 1):
        for y in range(1, nb + 1):
            v = max(best[x - 1][y], best[x][y - 1])
            s = sim[x - 1][y - 1]
            if s >= LINE_ALIKE:
                v = max(v, best[x - 1][y - 1] + s)
            best[x][y] = v
    pairs = []
    x, y = na, nb
    while x and y:
        s = sim[x - 1][y - 1]
        if s >= LINE_ALIKE and best[x][y] == best[x - 1][y - 1] + s:
            pairs.append((x - 1, y - 1))
            x, y = x - 1, y - 1
        elif best[x][y] == best[x - 1][y]:
            x -= 1
        else:
            y -= 1
    if not pairs:
        return None
    parts = []
    px = py = 0
    for x, y in reversed(pairs):
        if x > px or y > py:
            parts.append((a_cuts[px], a_cuts[x], b_cuts[py], b_cuts[y]))
        parts.append((a_cuts[x], a_cuts[x + 1], b_cuts[y], b_cuts[y + 1]))
        px, py = x + 1, y + 1
    if px < na or py < nb:
        parts.append((a_cuts[px], i1, b_cuts[py], j1))
    return parts


def _lines(tok: Tokens, i0: int, i1: int) -> list[int]:
    """Token indices where the lines of tokens ``i0..i1`` start, and ``i1``."""
    text, starts, ends = tok.text, tok.starts, tok.ends
    cuts = [i0]
    for i in range(i0 + 1, i1):
        if _LINE_BREAK_RE.search(text, ends[i - 1], starts[i]):
            cuts.append(i)
    cuts.append(i1)
    return cuts


def _peel_punctuation(ta: Tokens, tb: Tokens, i0, i1, j0, j1):
    """The stretch cut into punctuation before the words, the words, punctuation after them
    (token ranges; parts empty on both sides, or that differ in nothing but ignored
    punctuation, left out), or None when there is no punctuation to peel or no word left on
    one side. Keys are case-folded: case rows were split off before."""
    keys = ta.vocab.keys
    if not (is_punctuation(keys[ta.ids[i0]]) or is_punctuation(keys[ta.ids[i1 - 1]])
            or is_punctuation(keys[tb.ids[j0]]) or is_punctuation(keys[tb.ids[j1 - 1]])):
        return None  # the common case, decided from the four end tokens
    a_keys = ta.keys(i0, i1, folded=True)
    b_keys = tb.keys(j0, j1, folded=True)
    la, lb = _punctuation_run(a_keys), _punctuation_run(b_keys)
    if la == len(a_keys) or lb == len(b_keys):
        return None
    ra, rb = _punctuation_run(a_keys[::-1]), _punctuation_run(b_keys[::-1])
    if not (la or lb or ra or rb):
        return None
    # Punctuation written onto a word (``Mr.``, ``G.``) belongs to it when the word is swapped
    # for an unrelated one (``Mr.`` -> ``Russian``), and is peeled only from a misspelt word
    # (``dure.`` -> ``dur``); punctuation standing apart is always peeled.
    a_core = "".join(a_keys[la : len(a_keys) - ra])
    b_core = "".join(b_keys[lb : len(b_keys) - rb])
    if Levenshtein.normalized_similarity(a_core, b_core) < NEAR_MISS:
        if _glued(ta, i0 + la) or _glued(tb, j0 + lb):
            la = lb = 0
        if _glued(ta, i1 - ra) or _glued(tb, j1 - rb):
            ra = rb = 0
        if not (la or lb or ra or rb):
            return None
    parts = []
    for a0, a1, b0, b1, punct in ((i0, i0 + la, j0, j0 + lb, True),
                                  (i0 + la, i1 - ra, j0 + lb, j1 - rb, False),
                                  (i1 - ra, i1, j1 - rb, j1, True)):
        if a0 == a1 and b0 == b1:
            continue
        if punct and "".join(ta.keys(a0, a1)) == "".join(tb.keys(b0, b1)):
            continue  # ignored punctuation (empty keys) on both sides
        parts.append((a0, a1, b0, b1))
    return parts


def _glued(tok: Tokens, i: int) -> bool:
    """Whether tokens ``i - 1`` and ``i`` touch (no whitespace between them)."""
    return 0 < i < len(tok) and tok.ends[i - 1] == tok.starts[i]


def _punctuation_run(keys: list[str]) -> int:
    n = 0
    for k in keys:
        if not is_punctuation(k):
            break
        n += 1
    return n


def _split_at_placeholder(ta, tb, i0, i1, j0, j1, a_units, n_b_units, mirrored=False):
    """More words on side a and a placeholder on side b at one end of the stretch: the extra
    words went missing at the placeholder, the rest is substituted (``Su-24 attack`` ->
    ``   Russian``). As many words on both sides: a hyphenated compound at the placeholder's end
    went missing there (``an advanced air-defense`` -> ``the Russian pilot    ``: the compound's
    own placeholder is after the stretch). Returns the token ranges of the parts, or None.
    ``mirrored``: the sides were exchanged by the caller, and the parts are given back in the
    caller's order."""
    extra = len(a_units) - n_b_units
    before = placeholder(tb, j0)
    after = placeholder(tb, j1) if j1 < len(tb) else None
    bounds = a_units + [i1]
    if before and (extra or _is_compound(ta, bounds[0], bounds[1])):
        cut = bounds[max(extra, 1)]
        parts = [(i0, cut, j0, j0), (cut, i1, j0, j1)]
    elif after and (extra or _is_compound(ta, bounds[-2], bounds[-1])):
        cut = bounds[len(a_units) - max(extra, 1)]
        parts = [(i0, cut, j0, j1), (cut, i1, j1, j1)]
    else:
        return None
    if mirrored:
        return [(b0, b1, a0, a1) for a0, a1, b0, b1 in parts]
    return parts


def _is_compound(tok: Tokens, u0: int, u1: int) -> bool:
    """Whether the unit of tokens ``u0..u1`` is a hyphenated compound (``air-defense``)."""
    keys = tok.keys(u0 + 1, u1 - 1)
    return "-" in keys


def near_miss_words(ta: Tokens, tb: Tokens, a_cuts, b_cuts):
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


def _split_passage(ta: Tokens, tb: Tokens, i0, i1, j0, j1, ids):
    """A short phrase against a long passage is a passage inserted (or deleted) next to a
    substituted phrase, not one giant substitution. The short side is cut at its line break
    (a paragraph inserted between paragraphs), each part pairs with as many units at its end
    of the long side, and what is left of the long side is the inserted or missing passage."""
    # the long side is the one of more words (tokens can say otherwise: `a-b-c-d-e` is nine
    # tokens and one word), so that the mirrored pair is split the mirrored way
    na, nb = word_count(ta, i0, i1), word_count(tb, j0, j1)
    swapped = na > nb
    if swapped:  # work as if the long side were b
        ta, tb, i0, i1, j0, j1, nb = tb, ta, j0, j1, i0, i1, na
    cut = i1
    for i in range(i1 - 1, i0, -1):
        if "\n" in ta.text[ta.ends[i - 1] : ta.starts[i]] or "\r" in ta.text[
                ta.ends[i - 1] : ta.starts[i]]:
            cut = i
            break
    n_head = word_count(ta, i0, cut)
    n_tail = word_count(ta, cut, i1)
    # the long side's units: its words (found from either end, never listed: it can be
    # millions), or its tokens when it is one run without spaces
    if n_head + n_tail >= nb:
        head_end, tail_start = j0 + (cut - i0), j1 - (i1 - cut)
    else:
        head_end = nth_word_start(tb, j0, j1, n_head) if n_head else j0
        tail_start = nth_word_start(tb, j0, j1, -n_tail) if n_tail else j1
    # substituted head, the passage, substituted tail (empty ones dropped)
    parts = [(a0, a1, b0, b1) for a0, a1, b0, b1 in (
        (i0, cut, j0, head_end), (cut, cut, head_end, tail_start), (cut, i1, tail_start, j1))
        if a0 < a1 or b0 < b1]
    if swapped:
        return [_plain_hunk(tb, ta, b0, b1, a0, a1, ids) for a0, a1, b0, b1 in parts]
    return [_plain_hunk(ta, tb, a0, a1, b0, b1, ids) for a0, a1, b0, b1 in parts]


def _one_sided_hunks(ta: Tokens, tb: Tokens, i0, i1, j0, j1, ids) -> list[Hunk]:
    """A missing (or inserted) stretch; when it stands for a removed compound (a placeholder
    where it went missing), the punctuation written onto the compound is a hunk of its own
    (``S-400,`` -> ``   ``: ``S-400`` missing at the placeholder, and the ``,``)."""
    gap = placeholder(tb, j0) if i0 < i1 else placeholder(ta, i0)
    if gap:
        tok, k0, k1 = (ta, i0, i1) if i0 < i1 else (tb, j0, j1)
        keys = tok.keys(k0, k1, folded=True)
        lead, trail = _punctuation_run(keys), _punctuation_run(keys[::-1])
        if lead < len(keys) and (lead or trail):
            cuts = sorted({k0, k0 + lead, k1 - trail, k1})
            hunks = []
            for c0, c1 in zip(cuts, cuts[1:], strict=False):
                h = (_plain_hunk(ta, tb, c0, c1, j0, j1, ids) if i0 < i1
                     else _plain_hunk(ta, tb, i0, i1, c0, c1, ids))
                if c0 >= k0 + lead and c1 <= k1 - trail:
                    hunks.append(h)
                    continue
                # the punctuation: beside the placeholder, which stands for the compound alone
                point = gap[0] if c0 < k0 + lead else gap[1]
                hunks.append(replace(h, b=(point, point), gap=None) if i0 < i1
                             else replace(h, a=(point, point)))
            return hunks
    return [_plain_hunk(ta, tb, i0, i1, j0, j1, ids, gap)]


_LOOK = object()  # ``_plain_hunk``'s placeholder not yet looked up


def _plain_hunk(ta: Tokens, tb: Tokens, i0, i1, j0, j1, ids, gap=_LOOK) -> Hunk:
    """One hunk whose kind follows from which side is empty; a missing one points at the spot
    in the corrupted text, its placeholder run of spaces when there is one (``gap``, when the
    caller has looked it up already)."""
    if i0 == i1:  # the mirror image of a missing hunk: at the original's placeholder
        if gap is _LOOK:
            gap = placeholder(ta, i0)
        point = gap[0] if gap else ta.span(i0, i0)[0]
        return Hunk(next(ids), INSERTED, (point, point), tb.span(j0, j1), (i0, i0), (j0, j1))
    if j0 == j1:
        if gap is _LOOK:
            gap = placeholder(tb, j0)
        point = gap[0] if gap else whitespace_before(tb, j0)[0]
        return Hunk(next(ids), MISSING, ta.span(i0, i1), (point, point), (i0, i1), (j0, j0), gap)
    return Hunk(next(ids), SUBSTITUTED, ta.span(i0, i1), tb.span(j0, j1), (i0, i1), (j0, j1))
