"""Where a difference's corrupted text occurs in the original (a mention swapped in from
elsewhere in the article): a search over the original's folded token keys. No HTML here
(``detail.render_sources`` draws the result). This belongs with the provenance index when that
module lands."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..align import Alignment, Hunk
from ..stats import line_starts

# A corrupted text longer than this many tokens is a passage, not a swapped mention: not searched.
MAX_SOURCE_TOKENS = 200


@dataclass(frozen=True)
class Source:
    """One place in the original where a hunk's corrupted text occurs."""

    start: int
    end: int
    line: int
    before: str
    match: str
    after: str
    token: int


class FoldIndex:
    """The original's tokens as case- and typography-folded key ids, for ``find_sources``.
    Built once per alignment (about a second for a million tokens)."""

    def __init__(self, al: Alignment):
        import numpy as np

        from ..tokens import KeyOptions, make_key_function

        fold = make_key_function(KeyOptions(ignore_case=True, strict_typography=False))
        ids: dict[str, int] = {}
        self.id_map = np.fromiter(
            (ids.setdefault(fold(k), len(ids)) for k in al.a.vocab.keys), dtype=np.int64)
        self.a_ids = self.id_map[np.asarray(al.a.ids, dtype=np.int64)] if len(al.a) else \
            np.zeros(0, dtype=np.int64)
        self.line_starts = line_starts(al.a_text)


def find_sources(al: Alignment, h: Hunk, index: FoldIndex | None = None, limit: int = 12,
                 context: int = 50) -> tuple[list[Source], int]:
    """Where the hunk's corrupted text occurs in the original, compared token by token ignoring
    case, typography and spacing (``the Turks`` swapped in from another sentence). Returns up
    to ``limit`` places, nearest to the hunk first, and how many there are in all."""
    import numpy as np

    tb0, tb1 = h.tb
    if tb1 <= tb0 or tb1 - tb0 > MAX_SOURCE_TOKENS:
        return [], 0
    index = index or FoldIndex(al)
    b_ids = al.b.ids
    target = index.id_map[np.asarray(b_ids[tb0:tb1], dtype=np.int64)]
    a_ids = index.a_ids
    m = len(target)
    if m == 0 or len(a_ids) < m:
        return [], 0
    cands = np.flatnonzero(a_ids[: len(a_ids) - m + 1] == target[0])
    for o in range(1, m):
        if not len(cands):
            break
        cands = cands[a_ids[cands + o] == target[o]]
    total = len(cands)
    if not total:
        return [], 0
    here = h.ta[0]
    order = np.argsort(np.abs(cands - here), kind="stable")[:limit]
    out = []
    A, text = al.a, al.a_text
    for c in sorted(int(x) for x in cands[order]):
        s, e = A.starts[c], A.ends[c + m - 1]
        b = max(0, s - context)
        f = min(len(text), e + context)
        # keep the context on the match's own line
        nl = max(text.rfind("\n", b, s), text.rfind("\r", b, s))
        if nl >= 0:
            b = nl + 1
        for ch in "\r\n":
            k = text.find(ch, e, f)
            if k >= 0:
                f = k
        line = bisect.bisect_right(index.line_starts, s)
        out.append(Source(s, e, line, text[b:s], text[s:e], text[e:f], c))
    return out, total
