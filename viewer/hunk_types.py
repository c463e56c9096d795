"""What kind of corruption each difference is: one ordered rule cascade (ERRANT's classifier
style), each rule with a one-line example.

Kind says *where* (which side has text); type says *what happened*. The rules read the hunk's
comparison keys, so whatever the options fold (case with Ignore case, typography unless
Strict typography) can never decide a type. The first rule that holds wins; the order settles
every conflict, and ``tests/test_hunk_types.py`` has one literal pair per conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import regex
from rapidfuzz.distance import Levenshtein

# One home for the threshold: the aligner splits a word-for-word substitution into one hunk
# per misspelt word when every pair is this alike, so a hunk it made that way is a spelling.
from .align import Alignment, Hunk, collector_paused
from .align.classify import NEAR_MISS
from .kinds import CASE, COPY, MOVE, PASSAGE, PUNCTUATION, SPELLING, TYPOGRAPHY, WORD
from .tokens import Tokens, id_pieces, make_key_function
from .words import word_count, word_keys

# "A dozen words or more" (issue 10's definition of a passage: an inserted paragraph, a
# dropped sentence); the example pair's inserted quotation is 29 words, its longest phrase
# swap 7.
PASSAGE_WORDS = 12
# Lopsided: the long side has at least this many times the short side's words (the factor the
# aligner's passage split uses, ``3 * na + LONG_EDIT``).
LOPSIDED = 3

_PUNCTUATION_RE = regex.compile(r"[\p{P}\p{S}]+")


def hunk_types(al: Alignment, provenance: Mapping[int, str] | None = None) -> list[str]:
    """The type of every hunk of ``al``, in order. ``provenance`` maps hunk ids to ``copy`` or
    ``move`` where the provenance module found the text's source. Linear in the hunks' tokens."""
    default_key = _default_key_function(al)
    verdicts = provenance or {}
    with collector_paused():
        if default_key is not None:
            return [_cascade(al, h, verdicts.get(h.id), default_key) for h in al.hunks]
        return [_one_sided_type(al, h, verdicts.get(h.id))
                if h.ta[0] == h.ta[1] or h.tb[0] == h.tb[1]
                else _cascade(al, h, verdicts.get(h.id), None) for h in al.hunks]


def hunk_type(al: Alignment, h: Hunk, provenance: str | None = None) -> str:
    """The type of one hunk of ``al`` (see ``hunk_types``), through the whole cascade."""
    return _cascade(al, h, provenance, _default_key_function(al))


def _one_sided_type(al: Alignment, h: Hunk, provenance: str | None) -> str:
    """``_cascade`` for a missing or inserted hunk without Strict typography (most hunks):
    only rules 3, 4 and 6 can hold (1 needs Strict typography, 2 letters on both sides, 5 as
    many words on both sides, and 6's short side is empty)."""
    tok, (i0, i1) = (al.b, h.tb) if h.ta[0] == h.ta[1] else (al.a, h.ta)
    if _letters_within(tok, (i0, i1), 0) is not None:  # no letter at all
        return PUNCTUATION
    if provenance in (COPY, MOVE):
        return provenance
    # a word is at least one token: fewer tokens than a passage's words need no counting
    return (PASSAGE if i1 - i0 >= PASSAGE_WORDS and word_count(tok, i0, i1) >= PASSAGE_WORDS
            else WORD)


def _cascade(al: Alignment, h: Hunk, provenance: str | None, default_key) -> str:
    a_letters, b_letters = _both_letters(al, h)
    # 1. typography, Strict typography only: “ → "  ﬁne → fine  (the default folding hides it;
    #    before case, because casefold() also unfolds ligatures)
    if default_key is not None and (_keys(al.a, h.ta, default_key)
                                    == _keys(al.b, h.tb, default_key)):
        return TYPOGRAPHY
    # 2. case: FUND → fund  Fund, → fund  (the letters, punctuation aside, differ only in case:
    #    a word's case wins over a mark beside it; Ignore case leaves the comma, Ignore
    #    punctuation the case. Rules 2 and 3 are disjoint: 3 needs the letters equal)
    if (a_letters and b_letters is not None and a_letters != b_letters
            and a_letters.casefold() == b_letters.casefold()):
        return CASE
    # 3. punctuation: , → (nothing)  ; → .  S-400, → S-400  (only punctuation or symbols differ;
    #    a line of dashes is debris, not a passage)
    if a_letters == b_letters:
        return PUNCTUATION
    # 4. provenance (decided elsewhere): the text is copied from, or moved to, another place
    #    (a moved sentence is a move, whatever its length or spelling)
    if provenance in (COPY, MOVE):
        return provenance
    # (counted first: the words themselves, a string each, only when the counts are equal)
    n_a, n_b = word_count(al.a, *h.ta), word_count(al.b, *h.tb)
    # 5. spelling: tbe → the  Gryphon → Gryphen  (word for word, each pair a near miss)
    if n_a == n_b and all(
            Levenshtein.normalized_similarity(x.casefold(), y.casefold()) >= NEAR_MISS
            for x, y in zip(word_keys(al.a, *h.ta), word_keys(al.b, *h.tb), strict=True)):
        return SPELLING
    # 6. passage: a dozen words or more on one side, a third of that or less on the other
    #    (an inserted paragraph, a dropped sentence)
    long, short = max(n_a, n_b), min(n_a, n_b)
    if long >= PASSAGE_WORDS and short * LOPSIDED <= long:
        return PASSAGE
    # 7. word: Islamic State → United States  (anything else: words replaced, dropped, added)
    return WORD


def _both_letters(al: Alignment, h: Hunk) -> tuple[str, str | None]:
    """The letters (``_letters``) of the keys of side a and side b; None for the side with more
    tokens when it has more than three times the other's letters: then the two can be neither
    equal nor equal but for case (case folding makes a character at most three), and a
    ten-million-token side is read one chunk, not joined whole."""
    sides = [(al.a, h.ta), (al.b, h.tb)]
    a_short = h.ta[1] - h.ta[0] <= h.tb[1] - h.tb[0]
    short_side, long_side = sides if a_short else sides[::-1]
    short = _letters_within(*short_side)
    long = _letters_within(*long_side, 3 * len(short))
    if long is None:
        return short, None  # the other side's letters never compared
    return (short, long) if a_short else (long, short)


# Tokens whose keys are joined at once when a side's letters are read.
LETTER_CHUNK = 1 << 14


def _letters_within(tok: Tokens, span: tuple[int, int], limit: int | None = None) -> str | None:
    """``_letters`` of the keys of tokens ``span`` joined; None as soon as there are more than
    ``limit`` letters (read ``LETTER_CHUNK`` tokens at a time: a long side is not joined whole
    only to learn that)."""
    keys, ids = tok.vocab.keys, tok.ids
    i0, i1 = span
    if i1 - i0 <= LETTER_CHUNK:  # most hunks: one piece
        letters = _letters("".join(map(keys.__getitem__, ids[i0:i1])))
        return None if limit is not None and len(letters) > limit else letters
    pieces, n = [], 0
    for piece_ids in id_pieces(ids, i0, i1, LETTER_CHUNK):
        piece = _letters("".join(map(keys.__getitem__, piece_ids)))
        n += len(piece)
        if limit is not None and n > limit:
            return None
        pieces.append(piece)
    return "".join(pieces)


def _letters(text: str) -> str:
    """``text`` without its punctuation and symbols (most hunks are words: no regex needed)."""
    return text if text.isalnum() else _PUNCTUATION_RE.sub("", text)


def _default_key_function(al: Alignment):
    """With Strict typography, the key function the default options would use (same case and
    historical options), to see what the default folding would have hidden; otherwise None."""
    if not al.options.strict_typography:
        return None
    return make_key_function(replace(al.options.keys, strict_typography=False))


def _keys(tok: Tokens, span: tuple[int, int], key) -> str:
    return "".join(key(tok.token_text(i)) for i in range(*span))
