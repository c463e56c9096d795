"""Each stage of the aligner alone, on tiny literal inputs (diff-match-patch's test style).

Edit rows are written out by hand: ``E(equal, i0, i1, j0, j1)`` over the token indices shown in
each test's comment. Kinds are literal strings, never the code's constants.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import Hunk, align, blocks, char_opcodes
from viewer.align.blocks import _ngram_hashes, _positions_among, _unique_id_pairs, _unique_pairs
from viewer.align.classify import classify
from viewer.align.cleanup import merge_short_equalities, prefer_balanced_matches, shift_edits
from viewer.align.edits import Edit as E
from viewer.align.edits import edits_from_blocks, normalize_edits
from viewer.align.refine import refine
from viewer.tokens import Vocabulary, tokenize_pair


def toks(a: str, b: str):
    return tokenize_pair(a, b, Vocabulary())


def described(hunks, ta, tb):
    return [(h.kind, ta.text[h.a[0] : h.a[1]], tb.text[h.b[0] : h.b[1]]) for h in hunks]


# --- edit rows -----------------------------------------------------------------------------


def test_edits_from_blocks_fill_the_gaps():
    assert edits_from_blocks([(0, 0, 1), (2, 1, 2)], 5, 3) == [
        E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 1), E(True, 2, 4, 1, 3), E(False, 4, 5, 3, 3)]
    assert edits_from_blocks([], 0, 0) == []


def test_normalize_drops_empty_rows_and_merges_neighbours_of_one_kind():
    rows = [E(True, 0, 1, 0, 1), E(True, 1, 1, 1, 1), E(False, 1, 2, 1, 1),
            E(False, 2, 2, 1, 3), E(True, 2, 3, 3, 4)]
    assert normalize_edits(rows) == [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 3),
                                     E(True, 2, 3, 3, 4)]


# --- refine: re-tokenization inside a non-equal stretch --------------------------------------


def test_refine_letter_spaced_word_is_equal():
    # a: Mr . C O O K E said (8 tokens); b: Mr . COOKE said (4)
    ta, tb = toks("Mr. C O O K E said", "Mr. COOKE said")
    rows = [E(True, 0, 2, 0, 2), E(False, 2, 7, 2, 3), E(True, 7, 8, 3, 4)]
    assert refine(rows, ta, tb) == [E(True, 0, 8, 0, 4)]


def test_refine_keeps_the_real_change_beside_a_split_word():
    # a: WALLA CK went; b: WALLACK left
    ta, tb = toks("WALLA CK went", "WALLACK left")
    assert refine([E(False, 0, 3, 0, 2)], ta, tb) == [E(True, 0, 2, 0, 1), E(False, 2, 3, 1, 2)]


def test_refine_leaves_one_token_against_one_token():
    ta, tb = toks("ab", "ba")
    assert refine([E(False, 0, 1, 0, 1)], ta, tb) == [E(False, 0, 1, 0, 1)]


@pytest.mark.parametrize("a, b, equal", [
    ("C O O K E", "COOKE", True),  # the same letters, read a piece at a time
    ("C O O K X", "COOKE", False),  # differs at the last letter
    ("C O O K", "COOKE", False),  # one side's letters a prefix of the other's
])
def test_refine_compares_a_long_stretch_in_pieces(monkeypatch, a, b, equal):
    # the long-stretch path (more tokens a side than REFINE_CHARS), in pieces of 2 tokens:
    # the verdict is the whole joined keys', not a piece's
    from viewer.align import refine as refine_module

    monkeypatch.setattr(refine_module, "REFINE_CHARS", 2)
    monkeypatch.setattr(refine_module._joined_keys, "__defaults__", (2,))
    ta, tb = toks(a, b)
    rows = refine([E(False, 0, len(ta), 0, len(tb))], ta, tb)
    assert rows == [E(equal, 0, len(ta), 0, len(tb))]
    assert rows[0].folded == equal


def test_refine_needs_token_boundaries_on_both_sides():
    # `ab cx` against `a bcy`: `abc` agree, but no token boundary inside lines up on both sides
    # (`ab c` against `a bc`, all letters agreeing, would be re-spacing: equal)
    ta, tb = toks("ab cx", "a bcy")
    assert refine([E(False, 0, 2, 0, 2)], ta, tb) == [E(False, 0, 2, 0, 2)]


# --- shift: lossless sliding of one-sided edits ----------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "rows", "shifted"),
    [
        # the edit after the equal `the` repeats it: slide left, joining `-against`
        # =fight -against =the +[Turks the] =militant  ->  =fight ~[against / the Turks] =the ..
        ("fight against the militant", "fight the Turks the militant",
         [(1, 0, 1, 0, 1), (0, 1, 2, 1, 1), (1, 2, 3, 1, 2), (0, 3, 3, 2, 4), (1, 3, 4, 4, 5)],
         [(1, 0, 1, 0, 1), (0, 1, 2, 1, 3), (1, 2, 4, 3, 5)]),
        # the edit before the equal `q` starts with it: slide right, joining `-s`
        # =p +[q r] =q -s =t  ->  =p q ~[s / r q] =t
        ("p q s t", "p q r q t",
         [(1, 0, 1, 0, 1), (0, 1, 1, 1, 3), (1, 1, 2, 3, 4), (0, 2, 3, 4, 4), (1, 3, 4, 4, 5)],
         [(1, 0, 2, 0, 2), (0, 2, 3, 2, 4), (1, 3, 4, 4, 5)]),
    ],
)
def test_shift_joins_the_edit_across_a_repeated_equality(a, b, rows, shifted):
    ta, tb = toks(a, b)
    assert shift_edits([E(bool(r[0]), *r[1:]) for r in rows], ta.ids, tb.ids) == [
        E(bool(r[0]), *r[1:]) for r in shifted]


def test_a_dash_dropped_from_a_long_rule_slides_across_it_onto_the_edit_before():
    # =a~c then a rule of four dashes on one side, three on the other: the diff drops the last
    # dash; every one-token step left is lossless (a dash for a dash), so it slides across the
    # three-dash equality, longer than the edit, and joins the substitution before it
    ta, tb = toks("a - - - - b", "c - - - b")
    rows = [E(False, 0, 1, 0, 1), E(True, 1, 4, 1, 4), E(False, 4, 5, 4, 4), E(True, 5, 6, 4, 5)]
    assert shift_edits(rows, ta.ids, tb.ids) == [E(False, 0, 2, 0, 1), E(True, 2, 6, 1, 5)]


def test_a_step_that_would_change_the_text_stops_the_slide():
    # `- x -`: sliding the last dash left would pass it over `x`
    ta, tb = toks("a - x - - b", "c - x - b")
    rows = [E(False, 0, 1, 0, 1), E(True, 1, 4, 1, 4), E(False, 4, 5, 4, 4), E(True, 5, 6, 4, 5)]
    assert shift_edits([E(r.equal, r.i0, r.i1, r.j0, r.j1) for r in rows], ta.ids,
                       tb.ids) == rows


def test_shift_leaves_an_edit_that_repeats_nothing():
    ta, tb = toks("a b x c", "a b c")
    rows = [E(True, 0, 2, 0, 2), E(False, 2, 3, 2, 2), E(True, 3, 4, 2, 3)]
    assert shift_edits([E(r.equal, r.i0, r.i1, r.j0, r.j1) for r in rows], ta.ids,
                       tb.ids) == rows


def test_shift_does_not_move_a_substitution():
    ta, tb = toks("a b x b", "a b y b")
    rows = [E(True, 0, 2, 0, 2), E(False, 2, 3, 2, 3), E(True, 3, 4, 3, 4)]
    assert shift_edits(list(rows), ta.ids, tb.ids) == rows


# --- merge short equalities: a chance match inside a passage ---------------------------------

PASSAGE_A = "Alpha beta . gamma delta"  # Alpha beta . gamma delta: 5 tokens


def passage_b(n: int) -> str:
    return "Alpha " + " ".join(f"p{k}" for k in range(n)) + " . X delta"


# ids: 0 States, 1 and, 2 Turkey, 3 have, 4 come, 5 under
#   a: States and Turkey have come under      (Turkey once)
#   b: States have Turkey under Turkey Turkey (Turkey thrice: copied in twice elsewhere)
BALANCE_A = [0, 1, 2, 3, 4, 5]
BALANCE_B = [0, 3, 2, 5, 2, 2]


def test_the_match_goes_to_the_token_both_texts_hold_as_often():
    # [and -> have] Turkey [-have come] becomes [-and Turkey] have [come -> Turkey]
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 2), E(True, 2, 3, 2, 3),
            E(False, 3, 5, 3, 3), E(True, 5, 6, 3, 4), E(False, 6, 6, 4, 6)]
    assert prefer_balanced_matches(rows, BALANCE_A, BALANCE_B) == [
        E(True, 0, 1, 0, 1), E(False, 1, 3, 1, 1), E(True, 3, 4, 1, 2),
        E(False, 4, 5, 2, 3), E(True, 5, 6, 3, 4), E(False, 6, 6, 4, 6)]


def test_a_balanced_match_or_a_tie_stays():
    # Turkey as often in both texts: have and Turkey are equally good, the diff's choice stays
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 2), E(True, 2, 3, 2, 3),
            E(False, 3, 5, 3, 3), E(True, 5, 6, 3, 4)]
    same = [E(r.equal, r.i0, r.i1, r.j0, r.j1) for r in rows]
    assert prefer_balanced_matches(rows, BALANCE_A, [0, 3, 2, 5]) == same


def test_balanced_matches_in_the_aligner_mirror():
    a = "States and Turkey have come under x y"
    b = "States have Turkey under x Turkey y Turkey"
    assert described(align(a, b).hunks, *toks(a, b))[:2] == [
        ("missing", "and Turkey", ""), ("substituted", "come", "Turkey")]
    back = align(b, a)
    assert [(h.kind, h.tb, h.ta) for h in back.hunks] == [
        ({"missing": "inserted", "inserted": "missing"}.get(h.kind, h.kind), h.ta, h.tb)
        for h in align(a, b).hunks]


def test_one_token_between_a_passage_and_an_edit_joins_them():
    # b: Alpha p0..p7 . X delta (12 tokens); `beta` against eight words is a passage
    ta, tb = toks(PASSAGE_A, passage_b(8))
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 9), E(True, 2, 3, 9, 10),
            E(False, 3, 4, 10, 11), E(True, 4, 5, 11, 12)]
    assert merge_short_equalities(rows, ta, tb) == [
        E(True, 0, 1, 0, 1), E(False, 1, 4, 1, 11), E(True, 4, 5, 11, 12)]


def test_seven_words_are_no_passage():
    ta, tb = toks(PASSAGE_A, passage_b(7))
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 8), E(True, 2, 3, 8, 9),
            E(False, 3, 4, 9, 10), E(True, 4, 5, 10, 11)]
    assert merge_short_equalities(list(rows), ta, tb) == rows


def test_two_matched_tokens_beside_a_passage_stay_matched():
    ta, tb = toks("Alpha beta . . gamma delta", "Alpha " + " ".join(
        f"p{k}" for k in range(8)) + " . . X delta")
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 9), E(True, 2, 4, 9, 11),
            E(False, 4, 5, 11, 12), E(True, 5, 6, 12, 13)]
    assert merge_short_equalities(list(rows), ta, tb) == rows


def test_a_letter_spaced_passage_is_words_not_tokens():
    # eight tokens but two words (`C O O K E` is not how words are counted: whitespace units)
    ta, tb = toks("Alpha beta . gamma delta", "Alpha a-b-c-d-e x . X delta")
    rows = [E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 11), E(True, 2, 3, 11, 12),
            E(False, 3, 4, 12, 13), E(True, 4, 5, 13, 14)]
    assert merge_short_equalities(list(rows), ta, tb) == rows


# --- classify: kinds, placeholders, passages, near misses ------------------------------------


@pytest.mark.parametrize(("spaces", "gap"), [(2, None), (3, (9, 12)), (4, (9, 13))])
def test_placeholder_needs_three_spaces(spaces, gap):
    # a: a budding Russian - Turkish partnership; b: a budding<spaces>partnership
    ta, tb = toks("a budding Russian-Turkish partnership", "a budding" + " " * spaces
                  + "partnership")
    (h,) = classify([E(True, 0, 2, 0, 2), E(False, 2, 5, 2, 2), E(True, 5, 6, 2, 3)], ta, tb)
    assert (h.kind, h.ta, h.tb, h.gap) == ("missing", (2, 5), (2, 2), gap)
    assert h.b == (9, 9)  # where the text went missing: after `budding`


def test_a_line_break_is_no_placeholder():
    ta, tb = toks("a budding Russian-Turkish partnership", "a budding \n\n partnership")
    (h,) = classify([E(True, 0, 2, 0, 2), E(False, 2, 5, 2, 2), E(True, 5, 6, 2, 3)], ta, tb)
    assert h.kind == "missing" and h.gap is None


def test_extra_words_at_a_placeholder_are_missing_the_rest_substituted():
    # a: the Su - 24 attack was; b: the    Russian was
    ta, tb = toks("the Su-24 attack was", "the    Russian was")
    hunks = classify([E(True, 0, 1, 0, 1), E(False, 1, 5, 1, 2), E(True, 5, 6, 2, 3)], ta, tb)
    assert described(hunks, ta, tb) == [("missing", "Su-24", ""),
                                        ("substituted", "attack", "Russian")]
    assert hunks[0].gap == (3, 7) and [h.id for h in hunks] == [0, 1]


def test_alike_words_are_one_hunk_each_and_agreeing_words_none():
    ta, tb = toks("tbe cat sat", "the cat sot")
    hunks = classify([E(False, 0, 3, 0, 3)], ta, tb)
    assert described(hunks, ta, tb) == [("substituted", "tbe", "the"),
                                        ("substituted", "sat", "sot")]


def test_a_swapped_phrase_stays_one_hunk():
    # `United`/`Islamic` are not alike (similarity below NEAR_MISS)
    ta, tb = toks("United States", "Islamic State")
    assert described(classify([E(False, 0, 2, 0, 2)], ta, tb), ta, tb) == [
        ("substituted", "United States", "Islamic State")]


def test_a_passage_beside_a_short_phrase_is_split():
    # `x` against `y` followed by ten new words: `y` substituted, the rest inserted
    long = "y " + " ".join(f"n{k}" for k in range(10))
    ta, tb = toks("a x b", "a " + long + " b")
    hunks = classify([E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 12), E(True, 2, 3, 12, 13)],
                     ta, tb)
    assert described(hunks, ta, tb) == [
        ("substituted", "x", "y"), ("inserted", "", " ".join(f"n{k}" for k in range(10)))]


def test_one_sided_rows_are_missing_and_inserted():
    ta, tb = toks("a b c", "a c d")
    hunks = classify([E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 1), E(True, 2, 3, 1, 2),
                      E(False, 3, 3, 2, 3)], ta, tb)
    assert [(h.kind, h.ta, h.tb, h.a, h.b) for h in hunks] == [
        ("missing", (1, 2), (1, 1), (2, 3), (1, 1)),
        ("inserted", (3, 3), (2, 3), (5, 5), (4, 5))]


# --- Hunk refuses a kind that disagrees with its empty side ----------------------------------


@pytest.mark.parametrize(
    ("kind", "a", "b", "ta", "tb", "ok"),
    [
        ("missing", (0, 3), (4, 4), (0, 1), (2, 2), True),
        ("inserted", (4, 4), (0, 3), (2, 2), (0, 1), True),
        ("substituted", (0, 3), (0, 3), (0, 1), (0, 1), True),
        ("inserted", (0, 3), (4, 4), (0, 1), (2, 2), False),  # text only in the original
        ("substituted", (0, 3), (4, 4), (0, 1), (2, 2), False),
        ("missing", (4, 4), (0, 3), (2, 2), (0, 1), False),
        ("substituted", (4, 4), (0, 3), (2, 2), (0, 1), False),
        ("missing", (0, 3), (0, 3), (0, 1), (0, 1), False),
        ("inserted", (0, 3), (0, 3), (0, 1), (0, 1), False),
        ("missing", (0, 0), (0, 0), (0, 0), (0, 0), False),  # nothing on either side
        ("missing", (0, 3), (4, 5), (0, 1), (2, 2), False),  # empty tokens, non-empty span
        ("gone", (0, 3), (4, 4), (0, 1), (2, 2), False),
    ],
)
def test_hunk_kind_agrees_with_its_empty_side(kind, a, b, ta, tb, ok):
    if ok:
        assert Hunk(0, kind, a, b, ta, tb).kind == kind
    else:
        with pytest.raises(ValueError):
            Hunk(0, kind, a, b, ta, tb)


# --- character opcodes -----------------------------------------------------------------------


def test_char_opcodes_plain_text():
    assert char_opcodes("the", "tbe") == [
        ("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2), ("equal", 2, 3, 2, 3)]
    assert char_opcodes("", "ab") == [("insert", 0, 0, 0, 2)]


def test_char_opcodes_never_cut_a_grapheme_cluster():
    family_girl, family_boy = "\U0001F468\u200d\U0001F469\u200d\U0001F467", \
        "\U0001F468\u200d\U0001F469\u200d\U0001F466"
    assert char_opcodes(family_girl, family_boy) == [("replace", 0, 5, 0, 5)]
    # `e` + combining acute is one letter of two code points, changed as a whole
    assert char_opcodes("cafe\u0301s", "cafes") == [
        ("equal", 0, 3, 0, 3), ("replace", 3, 5, 3, 4), ("equal", 5, 6, 4, 5)]
    # CRLF is one cluster
    assert char_opcodes("a\r\nb", "a\nb") == [
        ("equal", 0, 1, 0, 1), ("replace", 1, 3, 1, 2), ("equal", 3, 4, 2, 3)]


def test_alignment_char_opcodes_reads_the_hunk_texts():
    al = align("I saw the cat.", "I saw tbe cat.")
    (h,) = al.hunks
    assert al.char_opcodes(h) == char_opcodes("the", "tbe")


def test_placeholder_in_the_original_mirrors_the_corrupted_case():
    # the Su-24 case with the sides exchanged: the extra word inserted at the placeholder
    ta, tb = toks("the    Russian was", "the Su-24 attack was")
    hunks = classify([E(True, 0, 1, 0, 1), E(False, 1, 2, 1, 5), E(True, 2, 3, 5, 6)], ta, tb)
    assert [(h.kind, h.ta, h.tb, h.a, h.gap) for h in hunks] == [
        ("inserted", (1, 1), (1, 4), (3, 3), None), ("substituted", (1, 2), (4, 5), (7, 14), None)]


@pytest.mark.parametrize(("a", "b", "n"), [
    ("tlie arid", "the and", 2),  # similarity exactly 0.5: still one misspelt word each
    ("tlie cat", "the dog", 1),  # `cat`/`dog` 0.0: one swapped phrase
])
def test_near_miss_boundary(a, b, n):
    ta, tb = toks(a, b)
    assert len(classify([E(False, 0, 2, 0, 2)], ta, tb)) == n


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=40), st.lists(st.integers(0, 12), max_size=40))
def test_unique_id_pairs_are_the_ids_once_on_each_side(a, b):
    # counted in a table, sorted before: both must give every id occurring exactly once on
    # each side, as (position in a, position in b), in order of a (a wrong count, or a
    # position looked up on the wrong side, pairs the wrong tokens)
    expected = [(i, b.index(x)) for i, x in enumerate(a) if a.count(x) == 1 and b.count(x) == 1]
    sa, sb = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    assert _unique_id_pairs(sa, sb) == expected
    assert _unique_pairs(sa, sb) == expected
    for dtype in (np.int64, np.int32):  # the diff's arrays are int32
        sa, sb = np.array(a, dtype=dtype), np.array(b, dtype=dtype)
        assert _unique_id_pairs(sa, sb) == expected


def test_unique_id_pairs_in_pieces(monkeypatch):
    # counted and looked up 2 ids at a time: pieces cut between an id's occurrences
    monkeypatch.setattr(blocks, "_PIECE", 2)
    a = np.array([3, 1, 4, 1, 5, 9, 2], dtype=np.int32)
    b = np.array([2, 7, 1, 8, 5, 3, 3], dtype=np.int32)
    assert _unique_id_pairs(a, b) == [(4, 4), (6, 0)]  # 5 and 2; 1 and 3 twice on a side


def test_positions_among_reads_the_array_in_pieces():
    h = np.array([5, 1, 7, 5, 9, 1, 8], dtype=np.int64)
    for piece in (1, 2, 3, 100):  # pieces that cut between and across matches give one answer
        assert _positions_among(h, 1, np.array([1, 5]), piece).tolist() == [0, 1, 3, 5]
        # runs of 2: (1, 7) at 1 and (9, 1) at 4, hashed across the pieces' edges
        pairs = _ngram_hashes(np.array([1, 7, 9, 1]), 2)[[0, 2]]
        assert _positions_among(h, 2, np.sort(pairs), piece).tolist() == [1, 4]
    assert _positions_among(h, 1, np.array([], dtype=np.int64)).tolist() == []
    assert _positions_among(h, 1, np.array([10])).tolist() == []  # above every value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=3, max_size=40),
       st.lists(st.integers(0, 3), min_size=3, max_size=40),
       st.sampled_from([2, 3]), st.sampled_from([1, 2, 5, 1 << 18]))
def test_unique_pairs_are_the_runs_once_on_each_side(a, b, n, piece):
    # the reference: runs of n ids as tuples, counted on each side (small ids: the hashes of
    # runs of 2 and 3 never wrap, so equal hashes are equal runs), read in pieces of any size;
    # the diff asks only for runs no longer than either side
    from viewer.align import blocks

    runs_a = [tuple(a[i : i + n]) for i in range(len(a) - n + 1)]
    runs_b = [tuple(b[j : j + n]) for j in range(len(b) - n + 1)]
    expected = [(i, runs_b.index(r)) for i, r in enumerate(runs_a)
                if runs_a.count(r) == 1 and runs_b.count(r) == 1]
    sa, sb = np.array(a, dtype=np.int32), np.array(b, dtype=np.int32)
    defaults = blocks._positions_among.__defaults__
    blocks._positions_among.__defaults__ = (piece,)
    try:
        assert _unique_pairs(sa, sb, n) == expected
    finally:
        blocks._positions_among.__defaults__ = defaults
