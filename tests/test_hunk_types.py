"""The type cascade: one tiny pair per type and per conflict between two rules.

Most cases measure the cascade alone, on one hunk covering both whole texts (the aligner's
hunking is tested in test_align.py), so each row says exactly which rule must win. The comment
on a conflict row names the broken cascade it catches.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer import hunk_types as hunk_types_module
from viewer.align import Alignment, AlignOptions, Hunk, align
from viewer.hunk_types import hunk_type, hunk_types
from viewer.kinds import INSERTED, MISSING, QUIET_TYPES, SUBSTITUTED, TYPE_TABLE, TYPES
from viewer.tokens import Vocabulary, tokenize


def one_hunk(a_text: str, b_text: str, **options) -> tuple[Alignment, Hunk]:
    """An alignment of the two texts with one hunk covering all of both."""
    opts = AlignOptions(**options)
    vocab = Vocabulary(opts.keys)
    ta, tb = tokenize(a_text, vocab), tokenize(b_text, vocab)
    kind = MISSING if not len(tb) else INSERTED if not len(ta) else SUBSTITUTED
    h = Hunk(0, kind, ta.span(0, len(ta)), tb.span(0, len(tb)), (0, len(ta)), (0, len(tb)))
    return Alignment(ta, tb, (h,), opts), h


def words(n: int, stem: str = "word") -> str:
    return " ".join(f"{stem}{chr(97 + k % 26)}{k}" for k in range(n))


TWELVE = words(12)

CASES = [
    # (original, corrupted, options, type)
    ("FUND", "fund", {}, "case"),
    ("STRASSE", "straße", {}, "case"),  # casefold: ß is ss
    (",", "", {}, "punctuation"),
    (";", ".", {}, "punctuation"),
    ("S-400,", "S-400", {}, "punctuation"),  # only punctuation differs
    ("“", "'", {}, "punctuation"),  # the default folding gives " against ': a real change
    ("“", '"', {"strict_typography": True}, "typography"),
    ("ﬁne", "fine", {"strict_typography": True}, "typography"),
    ("tbe", "the", {}, "spelling"),
    ("Gryphon", "Gryphen", {}, "spelling"),
    ("tbe qnick", "the quick", {}, "spelling"),  # word for word, each a near miss
    ("of", "or", {}, "spelling"),  # similarity exactly NEAR_MISS (0.5) counts: >=, not >
    ("a", "I", {}, "word"),
    ("Islamic State", "United States", {}, "word"),  # one pair is not a near miss
    ("", TWELVE, {}, "passage"),
    (TWELVE, "", {}, "passage"),
    (TWELVE, "just four short words", {}, "passage"),  # 4 * 3 <= 12: lopsided
    (TWELVE, "now five short words here", {}, "word"),  # 5 * 3 > 12: a long substitution
    ("", words(11), {}, "word"),  # eleven words are not a dozen
    ("the", "", {}, "word"),
    # conflicts: the first rule that holds wins
    # case and punctuation together are case (the word's case changed; Ignore case leaves the
    # comma, Ignore punctuation the case): a case rule comparing whole strings instead of the
    # letters, or a punctuation rule comparing casefolded letters, fails here
    ("Fund,", "fund", {}, "case"),
    # typography before case: casefold() unfolds ligatures, so case first says "case" here
    ("ﬁne", "FINE", {"strict_typography": True, "ignore_case": True}, "typography"),
    # ...but typography is only what the default folding hides: case stays case under strict
    ("“Fund”", '"fund"', {"strict_typography": True}, "case"),
    # typography before punctuation: both sides are punctuation only, strict shows typography
    ("”", '"', {"strict_typography": True}, "typography"),
    # punctuation before passage: a line of dashes is debris, not a dropped sentence
    ("— " * 14, "", {}, "punctuation"),
    # case before passage and spelling: a whole document in capitals is one case hunk
    (TWELVE.upper(), TWELVE, {}, "case"),
    # spelling compares case-insensitively: a capital plus a misspelling is still a near miss
    ("Tbe", "the", {}, "spelling"),
    # spelling before passage (equal word counts are never lopsided, so no conflict) and
    # before word: twelve near misses stay spelling
    (words(12, "gryphon"), words(12, "gryphen"), {}, "spelling"),
]


@pytest.mark.parametrize(("a_text", "b_text", "options", "expected"), CASES)
def test_cascade(a_text, b_text, options, expected):
    al, h = one_hunk(a_text, b_text, **options)
    assert hunk_type(al, h) == expected


def test_typography_needs_strict():
    # without Strict typography the aligner folds “ and " alike: no hunk at all
    assert align("say “hi”", 'say "hi"').hunks == ()
    al = align("say “hi”", 'say "hi"', strict_typography=True)
    assert hunk_types(al) == ["typography", "typography"]


@pytest.mark.parametrize(("a_text", "b_text", "verdict", "expected"), [
    ("", "the Kremlin", "copy", "copy"),
    (TWELVE, "", "move", "move"),  # a moved sentence is a move, not a passage
    ("the army", "the navy", "copy", "copy"),  # before spelling and word too
    # the quiet rules come first: a case change with a stray provenance verdict is a case
    # change (a cascade with the provenance slot first fails here)
    ("FUND", "fund", "copy", "case"),
    (",", "", "move", "punctuation"),
    # anything but copy/move is no verdict
    ("the army", "the navy", "unknown", "word"),
])
def test_provenance_slot(a_text, b_text, verdict, expected):
    al, h = one_hunk(a_text, b_text)
    assert hunk_type(al, h, verdict) == expected
    assert hunk_types(al, {h.id: verdict}) == [expected]


def test_types_of_an_aligned_pair():
    al = align("The FUND grew, and tbe cat sat.", "The fund grew and the cat sat.")
    pairs = [(al.hunk_texts(h), t) for h, t in zip(al.hunks, hunk_types(al), strict=True)]
    assert pairs == [(("FUND", "fund"), "case"), ((",", ""), "punctuation"),
                     (("tbe", "the"), "spelling")]


def test_options_decide_what_is_left_to_type():
    # with Ignore case the case change is no hunk; the comma beside it is punctuation
    al = align("The Fund, grew", "The fund grew", ignore_case=True)
    assert [(al.hunk_texts(h), t) for h, t in zip(al.hunks, hunk_types(al), strict=True)] == [
        ((",", ""), "punctuation")]


def test_one_type_per_hunk_in_order():
    al = align("a b c d e f", "a X c d e")
    assert len(hunk_types(al)) == len(al.hunks)
    assert hunk_types(align("same text", "same text")) == []


def test_type_table():
    assert TYPES == ("case", "punctuation", "typography", "copy", "move", "spelling",
                     "passage", "word")
    assert {"case", "punctuation", "typography"} == QUIET_TYPES
    for name, t in TYPE_TABLE.items():
        assert t.name == name and t.label and 0 < len(t.legend.split()) <= 8


def test_the_alignment_carries_types_with_the_provenance_verdicts():
    # a mention copied from the sentence before is `copy` (the provenance slot), a sentence
    # moved to the end is `move` on both sides, a case change stays `case`
    al = align("Officials in the Kremlin said so. The army will help.",
               "Officials in the Kremlin said so. The army the Kremlin will HELP.")
    assert [(al.hunk_texts(h), t) for h, t in zip(al.hunks, al.types, strict=True)] == [
        (("", "the Kremlin"), "copy"), (("help", "HELP"), "case")]
    assert al.types is al.types  # computed once, kept by the alignment
    moved = "Nobody in the capital expected the vote to pass at all today."
    al = align(f"{moved} The army will help. The navy stays home.",
               f"The army will help. The navy stays home. {moved}")
    assert sorted(al.types) == ["move", "move"]


# missing and inserted words, punctuation, case, long passages; copy/move verdicts at random
TYPE_PIECES = ["the", "The", "tbe", "cat", ",", ".", "--", "S-400,", "don't", "FUND", "fund"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TYPE_PIECES), max_size=30),
       st.lists(st.sampled_from(TYPE_PIECES), max_size=30),
       st.sampled_from([{}, {"ignore_case": True}, {"ignore_punctuation": True}]),
       st.lists(st.sampled_from([None, "copy", "move"]), max_size=30))
def test_one_sided_shortcut_equals_the_whole_cascade(a, b, options, verdicts):
    # hunk_types takes a shortcut for missing and inserted hunks; hunk_type runs every rule
    al = align(" ".join(a), " ".join(b), **options)
    given_verdicts = dict(enumerate(verdicts))
    assert hunk_types(al, given_verdicts) == [
        hunk_type(al, h, given_verdicts.get(h.id)) for h in al.hunks]


def test_one_sided_passage_and_word():
    al = align("a b", "a " + "x " * 12 + "b")
    assert hunk_types(al) == ["passage"]
    al = align("a b", "a " + "x " * 11 + "b")
    assert hunk_types(al) == ["word"]


def test_a_passage_is_counted_in_words_not_tokens():
    # 18 tokens but 6 words (x-y is three tokens, one word): a word, not a passage
    assert hunk_types(align("a b", "a " + "x-y " * 6 + "b")) == ["word"]
    # words of 79 tokens each (past the numpy count's threshold): 11 is a word, 12 a passage
    long_word = "-".join(["x"] * 40) + " "
    assert hunk_types(align("a b", "a " + long_word * 11 + "b")) == ["word"]
    assert hunk_types(align("a b", "a " + long_word * 12 + "b")) == ["passage"]


@pytest.mark.parametrize(("a_text", "b_text", "options", "expected"), CASES)
def test_cascade_reading_letters_a_chunk_at_a_time(monkeypatch, a_text, b_text, options,
                                                   expected):
    # a long side's letters are read LETTER_CHUNK tokens at a time: a piece lost or doubled
    # between chunks, or a side given up too soon, changes some row's type
    monkeypatch.setattr(hunk_types_module, "LETTER_CHUNK", 1)
    al, h = one_hunk(a_text, b_text, **options)
    assert hunk_type(al, h) == expected


@pytest.mark.parametrize(("a_text", "b_text", "expected"), [
    # the long side's letters are more than three times the short side's: no case or
    # punctuation rule can hold, and the long side is not read to its end
    ("FUND", "fund fund fund fund", "word"),
    ("FUND", "fund " * 20, "passage"),
    ("fund " * 20, "FUND", "passage"),
    # case folding can make one letter more (ß is ss): a bound of as many letters as the
    # short side's would call this a word
    ("ß", "SS", "case"),
    (", . ;", "fund " * 20, "passage"),  # no letters on the short side
])
def test_lopsided_substitutions(a_text, b_text, expected):
    al, h = one_hunk(a_text, b_text)
    assert hunk_type(al, h) == expected
    assert hunk_types(al) == [expected]
