"""Slow, obviously correct references for the aligner's properties, and a generator of edited
pairs whose edits are known.

``lcs_length`` is the textbook O(n*m) dynamic programme: the most tokens two sequences can
match in order. ``gold_pair`` builds an original of distinct words and a copy edited at known
places with words that occur nowhere in the original, so every edit is unambiguous: each gold
token must be inside a hunk, and each matched token of the original must stay matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st


def lcs_length(a, b) -> int:
    """Length of a longest common subsequence of ``a`` and ``b`` (one row of the table kept)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(prev[j] + 1 if x == y else max(prev[j + 1], row[j]))
        prev = row
    return prev[-1]


def is_common_subsequence(blocks, a, b) -> bool:
    """``blocks`` (``(i, j, n)`` equal runs) are equal, in order and non-overlapping."""
    i = j = 0
    for bi, bj, n in blocks:
        if bi < i or bj < j or n <= 0 or list(a[bi : bi + n]) != list(b[bj : bj + n]):
            return False
        i, j = bi + n, bj + n
    return i <= len(a) and j <= len(b)


# Original words: four lowercase letters from a-m, all of one length, so that no word is the
# concatenation of others (re-tokenization can never explain a gold edit away). Edit words use
# only n-z: they share no letter with the original, so no near-miss rule or character
# alignment can tie them to it.
_ORIGINAL_LETTERS = "abcdefghijklm"
_EDIT_LETTERS = "nopqrstuvwxyz"


def _word(n: int, letters: str) -> str:
    out = []
    for _ in range(4):
        n, r = divmod(n, len(letters))
        out.append(letters[r])
    return "".join(out)


@dataclass(frozen=True)
class Gold:
    """One known edit: original words ``a0..a1`` replaced by corrupted words ``b0..b1`` (token
    indices; words are single tokens here)."""

    a0: int
    a1: int
    b0: int
    b1: int


@st.composite
def gold_pair(draw, max_words: int = 60):
    """``(a_text, b_text, golds)``: distinct original words, edited at known places by deleting
    1-3 words, inserting 1-3 (or a passage of 8-12) new words, or replacing 1-3 words by 1-3 new
    ones. Edits are kept at least two kept words apart, so each is its own hunk."""
    n = draw(st.integers(0, max_words))
    a = [_word(k, _ORIGINAL_LETTERS) for k in range(n)]
    fresh = iter(range(10**6))
    b: list[str] = []
    golds: list[Gold] = []
    i = 0
    while i < n:
        op = draw(st.sampled_from(["keep"] * 6 + ["delete", "insert", "replace", "passage"]))
        gap_ok = not golds or (i - golds[-1].a1 >= 2 and len(b) - golds[-1].b1 >= 2)
        if op == "keep" or not gap_ok:
            b.append(a[i])
            i += 1
            continue
        width = draw(st.integers(1, 3))
        if op == "delete":
            width = min(width, n - i)
            golds.append(Gold(i, i + width, len(b), len(b)))
            i += width
        elif op in ("insert", "passage"):
            k = draw(st.integers(8, 12)) if op == "passage" else width
            new = [_word(next(fresh), _EDIT_LETTERS) for _ in range(k)]
            golds.append(Gold(i, i, len(b), len(b) + len(new)))
            b.extend(new)
        else:
            width = min(width, n - i)
            new = [_word(next(fresh), _EDIT_LETTERS) for _ in range(draw(st.integers(1, 3)))]
            golds.append(Gold(i, i + width, len(b), len(b) + len(new)))
            b.extend(new)
            i += width
    return " ".join(a), " ".join(b), golds
