"""Stage 2, re-tokenization: a non-equal stretch whose two sides spell the same characters once
whitespace is gone (``C O O K E`` vs ``COOKE``, ``WALLA CK`` vs ``WALLACK``) is re-tokenization,
not corruption. A character-level alignment inside the stretch finds such equal runs that start
and end on token boundaries on both sides. Like the diff, this compares case-folded keys;
``split_case`` then reports, inside the equal rows, the tokens whose case differs.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from ..tokens import Tokens
from .edits import Edit, normalize_edits

# Character-level refinement of one non-equal stretch (re-tokenization inside words) only up to
# this many characters a side: Indel.opcodes on 4k x 4k characters takes ~1 ms, and a stretch
# that long is a passage, which refinement cannot turn equal anyway. On `benchmarks/quality.py
# --pairs 100 --seed 0` the values 40, 400, 4,000 and 40,000 all give F1 0.9995 and 1.003 hunks
# per edit (issue 9): the benchmark's re-tokenized words are short; the bound is for cost.
REFINE_CHARS = 4_000
_SPACE_RE = re.compile(r"\s")


def refine(rows: list[Edit], ta: Tokens, tb: Tokens) -> list[Edit]:
    out = []
    for row in rows:
        # one token against one token has no token boundary inside to re-align on
        if (row.equal or row.i0 == row.i1 or row.j0 == row.j1
                or (row.i1 - row.i0 == 1 and row.j1 - row.j0 == 1)):
            out.append(row)
            continue
        out.extend(refine_stretch(ta, tb, row.i0, row.i1, row.j0, row.j1))
    return normalize_edits(out)


def refine_stretch(ta: Tokens, tb: Tokens, i0: int, i1: int, j0: int, j1: int) -> list[Edit]:
    """Rows tiling the stretch: equal where both sides spell the same keys between token
    boundaries that a character alignment puts at the same place."""
    if max(i1 - i0, j1 - j0) > REFINE_CHARS:
        # most likely a passage (the rest of a long original against a short corrupted text):
        # its keys are compared and measured a piece at a time, never held whole (as ids, keys
        # and the joined string, a ten-million-token side took 0.3 GB at once)
        if _same_text(_joined_keys(ta, i0, i1), _joined_keys(tb, j0, j1)):
            return [Edit(True, i0, i1, j0, j1, folded=True)]
        if (_longer_than(REFINE_CHARS, _joined_keys(ta, i0, i1))
                or _longer_than(REFINE_CHARS, _joined_keys(tb, j0, j1))):
            return [Edit(False, i0, i1, j0, j1)]
    a_keys = ta.keys(i0, i1, folded=True)
    b_keys = tb.keys(j0, j1, folded=True)
    a_str = "".join(a_keys)
    b_str = "".join(b_keys)
    if a_str == b_str:
        return [Edit(True, i0, i1, j0, j1, folded=True)]
    if len(a_str) > REFINE_CHARS or len(b_str) > REFINE_CHARS:
        return [Edit(False, i0, i1, j0, j1)]
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
        rows.append(Edit(eq, i0 + a_bound[x0], i0 + a_bound[x1],
                         j0 + b_bound[y0], j0 + b_bound[y1], folded=eq))
    return rows


def _joined_keys(tok: Tokens, i0: int, i1: int, tokens: int = 1 << 14):
    """``"".join(tok.keys(i0, i1, folded=True))`` a piece of ``tokens`` tokens at a time."""
    for c in range(i0, i1, tokens):
        yield "".join(tok.keys(c, min(c + tokens, i1), folded=True))


def _same_text(a_pieces, b_pieces) -> bool:
    """Whether two streams of strings join to the same string, read as far as they agree."""
    a_pieces, b_pieces = iter(a_pieces), iter(b_pieces)
    a = b = ""
    while True:
        while not a and (a := next(a_pieces, None)) == "":
            pass
        while not b and (b := next(b_pieces, None)) == "":
            pass
        if a is None or b is None:
            return a is b
        n = min(len(a), len(b))
        if a[:n] != b[:n]:
            return False
        a, b = a[n:], b[n:]


def _longer_than(limit: int, pieces) -> bool:
    """Whether a stream of strings joins to more than ``limit`` characters."""
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > limit:
            return True
    return False


def _boundaries(keys):
    bound = {0: 0}
    pos = 0
    for n, k in enumerate(keys, 1):
        pos += len(k)
        bound[pos] = n  # empty keys map several tokens to one position; keep the last
    return bound


def split_case(rows: list[Edit], ta: Tokens, tb: Tokens) -> list[Edit]:
    """Equal rows matched on case-folded keys (``folded``); where the exact keys differ (``FUND`` vs
    ``fund``) the tokens become non-equal rows of their own, so the case difference is reported
    without breaking the alignment around it. Nothing to do when case is ignored."""
    if not ta.vocab.cased_ids():
        return rows
    a_ids, b_ids, keys = ta.ids, tb.ids, ta.vocab.keys
    out = []
    for row in rows:
        i0, i1, j0, j1 = row.i0, row.i1, row.j0, row.j1
        if not row.folded or a_ids[i0:i1] == b_ids[j0:j1]:
            out.append(row)
        elif i1 - i0 != j1 - j0:  # re-tokenized: the row is one unit
            same = "".join(keys[k] for k in a_ids[i0:i1]) == "".join(keys[k] for k in b_ids[j0:j1])
            row.equal, row.case = same, not same
            out.append(row)
        else:  # one case row per word (``U.S.`` is one word on both sides)
            last = None  # the row's latest case row and its index in ``out``
            for d in range(i1 - i0):
                i, j = i0 + d, j0 + d
                if a_ids[i] == b_ids[j]:
                    out.append(Edit(True, i, i + 1, j, j + 1))
                elif last and _one_word(ta, last[0].i0, i) and _one_word(tb, last[0].j0, j):
                    del out[last[1] + 1 :]
                    last[0].i1, last[0].j1 = i + 1, j + 1
                else:
                    out.append(Edit(False, i, i + 1, j, j + 1, case=True))
                    last = out[-1], len(out) - 1
    return normalize_edits(out)


def _one_word(tok: Tokens, i: int, k: int) -> bool:
    """Whether tokens ``i..k`` (inclusive) touch one another: no whitespace between them."""
    return not _SPACE_RE.search(tok.text, tok.starts[i], tok.ends[k])
