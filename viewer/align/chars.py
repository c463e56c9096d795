"""Character-level differences inside a hunk, never cutting a grapheme cluster."""

from __future__ import annotations

import re

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
        return Levenshtein.opcodes(a_text, b_text).as_list()
    oa, ob = [0], [0]
    for clusters, offsets in ((ca, oa), (cb, ob)):
        for c in clusters:
            offsets.append(offsets[-1] + len(c))
    return [(tag, oa[i0], oa[i1], ob[j0], ob[j1])
            for tag, i0, i1, j0, j1 in Levenshtein.opcodes(ca, cb)]


def changed_ranges(a_text: str, b_text: str, a_offset: int = 0,
                   b_offset: int = 0) -> tuple[list[list[int]], list[list[int]]]:
    """The ranges ``[start, end]`` of each text (offsets into it, plus ``a_offset`` /
    ``b_offset``) that ``char_opcodes`` does not call equal, neighbouring ranges joined:
    ``tbe`` / ``the`` gives ``[[1, 2]]`` twice."""
    if _single_code_points(a_text) and _single_code_points(b_text):
        # the common case: rapidfuzz's opcodes as plain tuples (``Opcodes.as_list``; its
        # ``Editops.as_list`` costs ten times the edit distance itself)
        ops = Levenshtein.opcodes(a_text, b_text).as_list()
    else:
        ops = char_opcodes(a_text, b_text)
    a_ranges: list[list[int]] = []
    b_ranges: list[list[int]] = []
    for tag, a0, a1, b0, b1 in ops:
        if tag != "equal":
            _extend(a_ranges, a0 + a_offset, a1 + a_offset)
            _extend(b_ranges, b0 + b_offset, b1 + b_offset)
    return a_ranges, b_ranges


# CRLF, or a character that may join a grapheme cluster: outside Latin-1, Latin Extended, IPA,
# spacing modifier letters (below the combining marks at U+0300) and the dashes, quotes and
# signs of general punctuation (not its joiners U+200C/U+200D)
_MAY_JOIN_RE = re.compile("\r\n|[^\x00-\u02ff\u2010-\u2027\u2030-\u205e]")


def _single_code_points(text: str) -> bool:
    """Whether every code point of ``text`` is a grapheme cluster of its own."""
    return not _MAY_JOIN_RE.search(text)


def _extend(ranges: list[list[int]], start: int, end: int) -> None:
    if start == end:
        return
    if ranges and ranges[-1][1] == start:
        ranges[-1][1] = end
    else:
        ranges.append([start, end])
