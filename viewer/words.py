"""Words of a tokenized text: the whitespace-separated units its tokens form.

A token is a run of word characters or one punctuation mark (``tokens.py``), so ``don't`` is
three tokens and ``S-400,`` four; people (and jiwer, sclite) count words between spaces, so
``don't`` and ``S-400,`` are one word each. A word's key is its tokens' comparison keys joined,
so what the options fold (typography, case) folds inside words too.
"""

from __future__ import annotations

import numpy as np

from .tokens import Tokens


def is_word_start(tok: Tokens, i: int) -> bool:
    """Whether a word starts at token ``i`` (the ends of the text count as word boundaries)."""
    return i <= 0 or i >= len(tok) or tok.starts[i] > tok.ends[i - 1]


def word_starts(tok: Tokens, i0: int, i1: int) -> list[int]:
    """Token indices in ``i0..i1`` where a word starts; ``i0`` always counts."""
    if i1 <= i0:
        return []
    starts, ends = tok.starts, tok.ends
    return [i0] + [i for i in range(i0 + 1, i1) if starts[i] > ends[i - 1]]


def word_keys(tok: Tokens, i0: int, i1: int) -> list[str]:
    """The comparison keys of the words among tokens ``i0..i1``, a word cut at the range's
    edges counting as the part inside."""
    if i1 - i0 <= 1:
        return tok.keys(i0, i1)
    keys = tok.keys(i0, i1)
    # Most text folds to itself: then the words are the raw text's, split at C speed. (A key is
    # its own token folded and folding never moves characters between tokens, so equal joins
    # mean every key equals its token.)
    words = tok.text[tok.starts[i0] : tok.ends[i1 - 1]].split()
    if "".join(words) == "".join(keys):
        return words
    cuts = word_starts(tok, i0, i1) + [i1]
    return ["".join(keys[c0 - i0 : c1 - i0]) for c0, c1 in zip(cuts, cuts[1:], strict=False)]


def word_count(tok: Tokens, i0: int = 0, i1: int | None = None) -> int:
    """Words among tokens ``i0..i1`` (``len(word_starts(tok, i0, i1))``; over the whole text
    the same count as ``len(tok.text.split())``), at numpy speed and without a list: a
    ten-million-token hunk's word starts as Python ints would take 0.4 GB."""
    i1 = len(tok) if i1 is None else i1
    if i1 <= i0:
        return 0
    if i1 - i0 <= _SHORT:  # most hunks: a loop is cheaper than making arrays
        starts, ends = tok.starts, tok.ends
        return 1 + len([i for i in range(i0 + 1, i1) if starts[i] > ends[i - 1]])
    starts, ends = _offsets(tok)
    return 1 + int(np.count_nonzero(starts[i0 + 1 : i1] > ends[i0 : i1 - 1]))


def nth_word_start(tok: Tokens, i0: int, i1: int, rank: int) -> int:
    """``word_starts(tok, i0, i1)[rank]`` (a negative rank counts from the end) without the
    list: windows of growing size are scanned from that end until the word is reached, so the
    cost follows the rank, not the range (a ten-million-token passage's word starts as Python
    ints would take 0.3 GB to read two of them). IndexError past either end."""
    step = 1 if rank >= 0 else -1
    left = rank - 1 if rank >= 0 else -rank - 1  # word starts to pass after i0's (or to it)
    if rank == 0 and i1 > i0:
        return i0
    starts, ends = _offsets(tok)
    lo, hi, size = i0 + 1, i1, _SHORT
    while lo < hi:
        w0, w1 = (lo, min(lo + size, hi)) if step == 1 else (max(lo, hi - size), hi)
        cut = np.flatnonzero(starts[w0:w1] > ends[w0 - 1 : w1 - 1])
        if left < len(cut):
            return w0 + int(cut[left] if step == 1 else cut[len(cut) - 1 - left])
        left -= len(cut)
        lo, hi, size = (w1, hi, 2 * size) if step == 1 else (lo, w0, 2 * size)
    if step == -1 and left == 0 and i1 > i0:  # the first word, which starts at i0
        return i0
    raise IndexError("word rank out of range")


def word_boundaries(tok: Tokens) -> np.ndarray:
    """``cut[i]``: whether a word starts at token ``i``, for ``i`` in ``0..len(tok)`` (the ends
    of the text count as boundaries): ``is_word_start`` for every token at once."""
    n = len(tok)
    cut = np.ones(n + 1, dtype=bool)
    if n > 1:
        starts, ends = _offsets(tok)
        cut[1:n] = starts[1:] > ends[:-1]
    return cut


def word_key_pieces(tok: Tokens, i0: int, i1: int, tokens: int = 1 << 16):
    """``word_keys(tok, i0, i1)`` a piece of about ``tokens`` tokens at a time, each piece cut
    where a word starts (so the pieces joined are exactly ``word_keys``): a ten-million-token
    hunk's words, a string each, would take 0.6 GB at once."""
    while i0 < i1:
        cut = min(i0 + tokens, i1)
        while cut < i1 and not is_word_start(tok, cut):
            cut += 1
        yield word_keys(tok, i0, cut)
        i0 = cut


def shared_word_keys(tok: Tokens, i0: int, i1: int) -> list[str]:
    """``word_keys(tok, i0, i1)`` with each distinct word one shared string: 8 bytes a word
    (a list slot) instead of a string each, for a long range (a hunk of millions of words
    repeats a vocabulary of thousands)."""
    shared: dict[str, str] = {}
    out: list[str] = []
    for piece in word_key_pieces(tok, i0, i1):
        out.extend(map(shared.setdefault, piece, piece))
    return out


# Ranges up to this many tokens are counted in a Python loop.
_SHORT = 64


def _offsets(tok: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """The tokens' start and end offsets as numpy views (no copy)."""
    return (np.frombuffer(tok.starts, dtype=tok.starts.typecode),
            np.frombuffer(tok.ends, dtype=tok.ends.typecode))
