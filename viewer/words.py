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


def word_count(tok: Tokens) -> int:
    """Words in the whole text (the same count as ``len(tok.text.split())``), at numpy speed."""
    n = len(tok)
    if n == 0:
        return 0
    starts = np.frombuffer(tok.starts, dtype=np.int64)
    ends = np.frombuffer(tok.ends, dtype=np.int64)
    return 1 + int(np.count_nonzero(starts[1:] > ends[:-1]))
