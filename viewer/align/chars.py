"""Character-level differences inside a hunk, never cutting a grapheme cluster."""

from __future__ import annotations

import regex
from rapidfuzz.distance import Levenshtein

_CLUSTER_RE = regex.compile(r"\X", regex.DOTALL)


def char_opcodes(a_text: str, b_text: str) -> list[tuple[str, int, int, int, int]]:
    """Edit operations ``(tag, a0, a1, b0, b1)`` turning ``a_text`` into ``b_text`` (offsets
    into each), the way ``Levenshtein.opcodes`` gives them, except that no operation starts or
    ends inside a grapheme cluster: ``👨‍👩‍👧`` against ``👨‍👩‍👦`` is one changed emoji (not a
    changed last code point after an equal ``👨‍👩‍``), ``é`` written as ``e`` + U+0301 stays one
    letter, and so does CRLF. Text where every cluster is one code point (almost all text) is
    compared code point by code point; otherwise cluster by cluster."""
    ca = _CLUSTER_RE.findall(a_text)
    cb = _CLUSTER_RE.findall(b_text)
    if len(ca) == len(a_text) and len(cb) == len(b_text):
        return [tuple(op) for op in Levenshtein.opcodes(a_text, b_text)]
    oa, ob = [0], [0]
    for clusters, offsets in ((ca, oa), (cb, ob)):
        for c in clusters:
            offsets.append(offsets[-1] + len(c))
    return [(tag, oa[i0], oa[i1], ob[j0], ob[j1])
            for tag, i0, i1, j0, j1 in Levenshtein.opcodes(ca, cb)]
