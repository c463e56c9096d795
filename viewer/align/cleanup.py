"""Stage 3, the reader's view of a hunk: edits are slid across equal runs where that loses
nothing (``fight [+the Turks] the militant`` rather than ``fight [-against] the [+Turks the]``),
and a single token matched between two edits, one of them a passage, joins them.
"""

from __future__ import annotations

from ..tokens import Tokens, id_array, is_punctuation
from ..words import word_count
from .edits import Edit, normalize_edits

# An edit of at least this many words (and tokens) on one side is a passage (an inserted
# paragraph), not a phrase. The quality benchmark swaps, deletes and inserts 1-3 words and inserts
# paragraphs of a sentence or two. On `benchmarks/quality.py --pairs 100 --seed 0` (issue 9):
# 4 gives F1 0.9991, 6 gives 0.9993, 8, 12 and 16 give 0.9995 (1.003, 1.003, 1.002 hunks per
# edit): below 8, phrases of mention swaps start being treated as passages; 8 is the smallest
# value at the plateau, so the shortest inserted sentences still count as passages.
LONG_EDIT = 8
# A token of at most this many characters matched between two edits can be a chance match
# (``.``, ``,``, ``the``, ``of``, ``and``); a longer one is a word the reader sees unchanged.
CHANCE_CHARS = 3


def cleanup(rows: list[Edit], ta: Tokens, tb: Tokens) -> list[Edit]:
    rows = shift_edits(rows, ta.ids, tb.ids)
    rows = prefer_balanced_matches(rows, ta.ids, tb.ids, lambda: (id_array(ta), id_array(tb)))
    return merge_short_equalities(rows, ta, tb)


# Stretches up to this many tokens a side are searched for another single match (the phrase
# swaps of the quality benchmark are 1-3 words a side).
BALANCE_TOKENS = 6


def prefer_balanced_matches(rows: list[Edit], a_ids, b_ids, id_arrays=None) -> list[Edit]:
    """Of equally good readings of a short stretch ``edit, one matched token, edit``, prefer
    the one matching the token whose count is the same in both texts: a token the corrupted
    text holds more often than the original (a mention copied in elsewhere) was more likely
    added here too. ``States [and -> have] Turkey [-have come]`` becomes ``States [-and
    Turkey] have [come -> Turkey]`` when the corruption copied ``Turkey`` in six times and
    ``have`` keeps its count. The count difference is the same seen from either side, so the
    mirror image makes the mirror choice; a tie keeps the diff's reading. ``id_arrays()``:
    both sides' ids as arrays to count them (``tokens.id_array``), when there are such."""
    counts = None
    for k in range(1, len(rows) - 1):
        prev, row, nxt = rows[k - 1], rows[k], rows[k + 1]
        if (not row.equal or prev.equal or nxt.equal or prev.case or nxt.case
                or row.i1 - row.i0 != 1 or row.j1 - row.j0 != 1
                or nxt.i1 - prev.i0 > BALANCE_TOKENS or nxt.j1 - prev.j0 > BALANCE_TOKENS):
            continue
        if counts is None:  # counted once, only for a pair that has such a stretch
            counts = _surplus(*(id_arrays() if id_arrays else (a_ids, b_ids)))
        surplus = counts.__getitem__
        here = surplus(a_ids[row.i0])
        # another single match leaving an edit on each side: the same number of hunks
        options = [(surplus(a_ids[i]), i, j) for i in range(prev.i0, nxt.i1)
                   for j in range(prev.j0, nxt.j1)
                   if a_ids[i] == b_ids[j] and (i, j) != (row.i0, row.j0)
                   and (i > prev.i0 or j > prev.j0) and (i + 1 < nxt.i1 or j + 1 < nxt.j1)]
        if not options:
            continue
        best = min(options)
        if best[0] >= here or sum(1 for o in options if o[0] == best[0]) > 1:
            continue  # no better, or no single better reading
        _, i, j = best
        prev.i1, prev.j1 = i, j
        row.i0, row.i1, row.j0, row.j1 = i, i + 1, j, j + 1
        nxt.i0, nxt.j0 = i + 1, j + 1
    return rows


def shift_edits(rows: list[Edit], a_ids, b_ids) -> list[Edit]:
    """Slide one-sided edits across a neighbouring equal run when the edit repeats it, so the
    edit joins the edit on the other side of that run (diff-match-patch's lossless shift, on
    tokens): ``=the +Turks +the`` after ``-against`` becomes ``-against +the +Turks =the``.
    One linear pass per round; a round that shifts nothing ends it."""
    for _ in range(4):
        shifted = False
        for k in range(1, len(rows) - 1):
            prev, cur, nxt = rows[k - 1], rows[k], rows[k + 1]
            if cur.equal or not (prev.equal and nxt.equal) or prev.i0 == prev.i1:
                continue
            if cur.i0 == cur.i1:  # insertion: its tokens live on side b
                seq, s0, s1, p0, n0 = b_ids, cur.j0, cur.j1, prev.j0, nxt.j0
            elif cur.j0 == cur.j1:  # deletion: side a
                seq, s0, s1, p0, n0 = a_ids, cur.i0, cur.i1, prev.i0, nxt.i0
            else:
                continue
            plen = s0 - p0
            nlen = nxt.i1 - nxt.i0
            # Sliding the edit one token left is lossless when its last token repeats the one
            # before it; across the whole previous equality when every step is, which is one
            # slice comparison (the slices overlap when the equality is longer than the edit: a
            # dash dropped from a long rule of dashes slides all the way). Then it joins the
            # edit before that equality. Equalities re-tokenized differently on the two sides
            # (``U. S.`` / ``U.S.``) are not slid across.
            if (k >= 2 and seq[s0 - 1] == seq[s1 - 1]  # the first step, before the slices
                    and prev.i1 - prev.i0 == prev.j1 - prev.j0
                    and seq[p0:s0] == seq[s1 - plen : s1]):
                _shift(prev, cur, nxt, -plen)
                shifted = True
            # the same to the right, onto the edit after the next equality
            elif (k + 2 < len(rows) and seq[s0] == seq[n0] and nlen == nxt.j1 - nxt.j0
                    and seq[s0 : s0 + nlen] == seq[n0 : n0 + nlen]):
                _shift(prev, cur, nxt, nlen)
                shifted = True
        if not shifted:
            break
        rows = normalize_edits(rows)
    return rows


def _surplus(a_ids, b_ids) -> list[int]:
    """``|count in a - count in b|`` of every key id (numpy: a million tokens a side in
    milliseconds, where a ``Counter`` takes a tenth of a second)."""
    import numpy as np

    a = np.asarray(a_ids, dtype=np.int64)
    b = np.asarray(b_ids, dtype=np.int64)
    size = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    return np.abs(np.bincount(a, minlength=size) - np.bincount(b, minlength=size)).tolist()


def _shift(prev: Edit, cur: Edit, nxt: Edit, by: int):
    """Move the edit ``cur`` by ``by`` tokens; the equal runs around it shrink and grow."""
    prev.i1 += by
    prev.j1 += by
    cur.i0 += by
    cur.i1 += by
    cur.j0 += by
    cur.j1 += by
    nxt.i0 += by
    nxt.j0 += by


def merge_short_equalities(rows: list[Edit], ta: Tokens, tb: Tokens) -> list[Edit]:
    """A token matched between two edits by chance joins them into one stretch, which
    ``classify`` later cuts properly:

    - a word capitalized on one side only (``the`` / ``The``) beside an added or dropped
      phrase: a mention swapped in in its raw form (``the`` -> ``The Holy Spirit``, ``the
      United States`` -> ``Russia The Russians``); a word in capitals (``FRIDAY`` / ``friday``,
      an ASR transcript) stays a case difference of its own, whatever is around it;
    - a short token (``.``, ``the``: ``CHANCE_CHARS``) between two edits, one of them long:
      a ``.`` of an inserted paragraph matched to a ``.`` of the original; a longer word is a
      real match the passage runs up to (``the [+United States] Islamic [State in -> the
      Kurdish forces known as …]``);
    - a short word between a deletion and an insertion of two words or more each: a swapped
      phrase that starts or ends with it (``fighters in the`` -> ``the United States``, not
      ``-fighters in =the +United States``).

    Between two short substitutions a matched token stays matched: ``The [deepening] ties
    [threaten]`` is two substitutions, and the benchmark's precision drops when they are
    joined."""
    out = []
    k = 0
    n = len(rows)
    while k < n:
        row = rows[k]
        if not (row.case or (row.equal and row.i1 - row.i0 == 1 == row.j1 - row.j0)):
            out.append(row)  # the common case: nothing to join
            k += 1
            continue
        nxt = rows[k + 1] if k + 1 < n else None
        prev = out[-1] if out else None
        if (row.equal and nxt is not None
                and prev is not None and not prev.equal and not nxt.equal
                and not prev.case and not nxt.case and _chance_match(row, prev, nxt, ta, tb)):
            prev.i1, prev.j1 = nxt.i1, nxt.j1
            k += 2
            continue
        if row.case and _capitalized(row, ta, tb):
            # `the` -> `The` beside an added or dropped phrase: a mention swapped in in its raw
            # form (``the`` -> ``The Holy Spirit``), one swap
            if prev is not None and not prev.equal and not prev.case and _one_sided(prev):
                prev.i1, prev.j1 = row.i1, row.j1
                k += 1
                continue
            if nxt is not None and not nxt.equal and not nxt.case and _one_sided(nxt):
                row.i1, row.j1, row.case = nxt.i1, nxt.j1, False
                out.append(row)
                k += 2
                continue
        out.append(row)
        k += 1
    return normalize_edits(out)


def _capitalized(row: Edit, ta: Tokens, tb: Tokens) -> bool:
    """Whether a case row is one word whose sides differ in the case of the first letter only
    (``the`` / ``The``, not ``THE`` / ``the``)."""
    if row.i1 - row.i0 != 1:
        return False
    a, b = ta.keys(row.i0, row.i1)[0], tb.keys(row.j0, row.j1)[0]
    return a[1:] == b[1:] and a[:1] != b[:1]


def _chance_match(row: Edit, prev: Edit, nxt: Edit, ta: Tokens, tb: Tokens) -> bool:
    """Whether ``row``, between the edits ``prev`` and ``nxt``, is a chance match (see
    ``merge_short_equalities``)."""
    # one token on both sides (`abc` matched to a re-tokenized `ab c` is no chance match, and
    # a test on one side only would treat the pair differently from its mirror image)
    if row.i1 - row.i0 != 1 or row.j1 - row.j0 != 1:
        return False
    key = ta.vocab.keys[ta.ids[row.i0]]
    if len(key) > CHANCE_CHARS:
        return False
    if is_passage(prev, ta, tb) or is_passage(nxt, ta, tb):
        return True
    # a swapped phrase begins or ends with a word, not with punctuation (which ``classify``
    # would peel off again)
    # and phrases of two words or more: a word dropped and a word added beside one matched
    # word is as likely as a swap
    if is_punctuation(key):
        return False
    if prev.i0 == prev.i1 and nxt.j0 == nxt.j1:
        return word_count(tb, prev.j0, prev.j1) >= 2 and word_count(ta, nxt.i0, nxt.i1) >= 2
    if prev.j0 == prev.j1 and nxt.i0 == nxt.i1:
        return word_count(ta, prev.i0, prev.i1) >= 2 and word_count(tb, nxt.j0, nxt.j1) >= 2
    return False


def _one_sided(row: Edit) -> bool:
    return row.i0 == row.i1 or row.j0 == row.j1


def is_passage(row: Edit, ta: Tokens, tb: Tokens) -> bool:
    """At least ``LONG_EDIT`` words on one side (words, not tokens: OCR'd Fraktur with one
    token per ligature is still a short edit)."""
    return (
        (row.i1 - row.i0 >= LONG_EDIT and word_count(ta, row.i0, row.i1) >= LONG_EDIT)
        or (row.j1 - row.j0 >= LONG_EDIT and word_count(tb, row.j0, row.j1) >= LONG_EDIT)
    )
