"""The aligner against slow references and known edits (hypothesis properties).

What the fast aligner must match, stage by stage:

- the diff stage (``blocks.matching_blocks``) on the exact path finds a longest common
  subsequence of the token keys: exactly ``lcs_length`` matched tokens;
- on the anchored path (gaps above ``ANCHOR_CELLS`` are cut at unique tokens first, patience
  diff) it gives up optimality: its blocks are still a common subsequence, never longer;
- ``refine`` only turns non-equal rows into equal ones and ``shift_edits`` is lossless, so
  after them each side has at least LCS matched tokens;
- ``merge_short_equalities`` unmatches exactly one token per merge, and a merge needs a passage
  (at least ``LONG_EDIT`` tokens on one side) in the merged row plus one more non-equal row
  (at least one token) and the absorbed token itself (one on each side). A merged row of ``u``
  unmatched tokens (both sides) made of ``r`` rows therefore has
  ``u >= LONG_EDIT + (r - 1) + 2 (r - 1)``, i.e. it absorbed ``r - 1 <= (u - LONG_EDIT) / 3``
  tokens. Summed: matched >= LCS - max(0, (U - LONG_EDIT) // 3), U the unmatched tokens of
  both sides. ``test_a_merge_costs_one_matched_token`` is the literal case where it is tight;
- with fewer than ``LONG_EDIT`` tokens a side no merge can happen, and when every token is a
  single letter the refinement cannot match what the LCS left (two rows between LCS blocks
  share no token): matched == LCS exactly on both sides.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reference import gold_pair, is_common_subsequence, lcs_length
from viewer.align import align, blocks

IDS = st.lists(st.integers(0, 4), max_size=14)


@contextlib.contextmanager
def thresholds(**values):
    """The diff stage's thresholds lowered for the duration (hypothesis runs many examples
    inside one test, so pytest's function-scoped monkeypatch fixture does not fit)."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in values.items():
            mp.setattr(blocks, name, value)
        yield


def diff(a, b):
    bounded: list = []
    found = blocks.matching_blocks(list(a), list(b), bounded, float("inf"))
    return found, bounded


def matched(al):
    """Matched tokens of each side: those inside no hunk."""
    return (len(al.a) - sum(h.ta[1] - h.ta[0] for h in al.hunks),
            len(al.b) - sum(h.tb[1] - h.tb[0] for h in al.hunks))


def swap_merges(al):
    """Stretches that a token matched by chance between a deletion and an insertion was joined
    into (``fighters in the`` -> ``the United States``): the same token ends one side and
    starts the other. Each costs one matched token against the LCS."""
    n = 0
    groups = []  # hunks touching one another (classify may cut the merged stretch again)
    for h in al.hunks:
        if groups and groups[-1][1] == h.ta[0] and groups[-1][3] == h.tb[0]:
            groups[-1][1], groups[-1][3] = h.ta[1], h.tb[1]
        else:
            groups.append([*h.ta, *h.tb])
    for a0, a1, b0, b1 in groups:
        a, b = al.a.keys(a0, a1), al.b.keys(b0, b1)
        n += bool(a and b) and (a[-1] == b[0] or a[0] == b[-1])
    return n


# --- the diff stage against the reference LCS ------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(IDS, IDS)
def test_exact_diff_matches_as_many_tokens_as_the_lcs(a, b):
    found, bounded = diff(a, b)
    assert is_common_subsequence(found, a, b)
    assert sum(n for _, _, n in found) == lcs_length(a, b)
    assert bounded == []


@settings(max_examples=400, deadline=None)
@given(IDS, IDS)
def test_anchored_diff_is_a_common_subsequence_never_longer_than_the_lcs(a, b):
    with thresholds(ANCHOR_CELLS=0):
        found, _ = diff(a, b)
    assert is_common_subsequence(found, a, b)
    assert sum(n for _, _, n in found) <= lcs_length(a, b)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30, unique=True),
       st.lists(st.integers(0, 40), max_size=30, unique=True))
def test_anchored_diff_on_unique_tokens_is_optimal(a, b):
    # every shared token is unique on both sides: the patience chain is a longest common
    # subsequence
    with thresholds(ANCHOR_CELLS=0):
        found, _ = diff(a, b)
    assert sum(n for _, _, n in found) == lcs_length(a, b)


@settings(max_examples=200, deadline=None)
@given(IDS, IDS)
def test_bounded_diff_still_tiles_with_a_common_subsequence(a, b):
    # nothing may be aligned exactly: whatever is not prefix, suffix or anchor is bounded
    with thresholds(ANCHOR_CELLS=0, EXACT_CELLS=0):
        found, bounded = diff(a, b)
    assert is_common_subsequence(found, a, b)
    for a0, a1, b0, b1 in bounded:
        assert 0 <= a0 < a1 <= len(a) and 0 <= b0 < b1 <= len(b)
        assert not any(a0 <= i < a1 for i, _, n in found for i in range(i, i + n))


# --- the full aligner against the reference LCS ----------------------------------------------

LETTERS = st.lists(st.sampled_from("abcd."), max_size=7).map(" ".join)
WORDS = st.lists(st.sampled_from(["a", "b", "ab", "c", ".", "cab", "the"]), max_size=40).map(
    " ".join)


def matched_against_lcs(a: str, b: str) -> tuple[int, int, int, int, int]:
    """``(matched original tokens, matched corrupted tokens, LCS of the key ids, tokens the
    swap merges gave up, unmatched tokens of both sides)`` of the full aligner on a and b."""
    al = align(a, b)
    m_a, m_b = matched(al)
    return m_a, m_b, lcs_length(al.a.ids, al.b.ids), swap_merges(al), len(al.a) - m_a + len(
        al.b) - m_b


@settings(max_examples=300, deadline=None)
@given(LETTERS, LETTERS)
def test_short_single_letter_texts_match_exactly_the_lcs_but_for_swaps(a, b):
    m_a, m_b, lcs, swaps, _ = matched_against_lcs(a, b)
    assert m_a == m_b and lcs - swaps <= m_a <= lcs


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS)
def test_matched_tokens_lose_at_most_what_passage_merges_justify(a, b):
    m_a, m_b, lcs, swaps, unmatched = matched_against_lcs(a, b)
    allowance = max(0, (unmatched - 8) // 3) + swaps  # LONG_EDIT = 8
    assert m_a >= lcs - allowance and m_b >= lcs - allowance


def test_a_merge_costs_one_matched_token():
    # `beta` against eight new words is a passage; the `.` matched between it and the
    # substitution `gamma`/`X` is a chance match and joins them: 2 matched tokens, LCS 3
    a = "Alpha beta . gamma delta"
    b = "Alpha p1 p2 p3 p4 p5 p6 p7 p8 . X delta"
    al = align(a, b)
    assert lcs_length(al.a.ids, al.b.ids) == 3
    assert matched(al) == (2, 2)
    assert [(h.kind, *al.hunk_texts(h)) for h in al.hunks] == [
        ("substituted", "beta . gamma", "p1 p2 p3 p4 p5 p6 p7 p8 . X")]
    # the bound of the module docstring is tight here: U = 3 + 10, (13 - 8) // 3 = 1


# --- known edits as ground truth -------------------------------------------------------------


def expected_hunks(golds):
    kinds = {(False, True): "missing", (True, False): "inserted", (False, False): "substituted"}
    return [(kinds[(g.a0 == g.a1, g.b0 == g.b1)], (g.a0, g.a1), (g.b0, g.b1)) for g in golds]


def check_gold(a_text, b_text, golds):
    al = align(a_text, b_text)
    # every gold edit is exactly one hunk of the right kind, and there is no other hunk: an
    # aligner that reports one hunk from the first to the last difference, or that smears a hunk
    # into the words around it, fails here
    assert [(h.kind, h.ta, h.tb) for h in al.hunks] == expected_hunks(golds)
    return al


@settings(max_examples=300, deadline=None)
@given(gold_pair())
def test_hunks_are_the_known_edits(pair):
    check_gold(*pair)


@settings(max_examples=200, deadline=None)
@given(gold_pair())
def test_hunks_are_the_known_edits_on_the_anchored_path(pair):
    with thresholds(ANCHOR_CELLS=0):
        check_gold(*pair)


@settings(max_examples=200, deadline=None)
@given(gold_pair())
def test_hunks_are_the_known_edits_when_nothing_is_aligned_exactly(pair):
    # every gap that anchors cannot cut becomes a bounded block: here exactly the replacements
    with thresholds(ANCHOR_CELLS=0, EXACT_CELLS=0):
        al = check_gold(*pair)
    replaced = [(g.a0, g.a1, g.b0, g.b1) for g in pair[2] if g.a0 < g.a1 and g.b0 < g.b1]
    assert list(al.bounded) == replaced


@settings(max_examples=100, deadline=None)
@given(gold_pair(max_words=400))
def test_long_pairs_with_a_tiny_anchor_threshold(pair):
    # long enough for unique runs of several tokens and many nested gaps
    with thresholds(ANCHOR_CELLS=16):
        check_gold(*pair)


# --- swapping the sides mirrors the hunks ----------------------------------------------------

MIRROR = {"missing": "inserted", "inserted": "missing", "substituted": "substituted"}
SWAP_WORDS = st.sampled_from(["the", "The", "cat", "sat", "on", "a", "mat", ",", ".", "U.S.",
                              "a-b-c-d-e-f", "x-y", "\n", "   ", "ab", "c", "abc", "tbe", "sot"])


def mirrored(al):
    return [(MIRROR[h.kind], h.tb, h.ta) for h in al.hunks]


def plain(al):
    return [(h.kind, h.ta, h.tb) for h in al.hunks]


@settings(max_examples=300, deadline=None)
@given(st.lists(SWAP_WORDS, max_size=60).map(" ".join),
       st.lists(SWAP_WORDS, max_size=60).map(" ".join), st.sampled_from([250_000, 16, 0]))
def test_swapping_the_sides_mirrors_the_hunks(a, b, anchor_cells):
    # ties between equally long common subsequences, placeholders (three spaces) on either
    # side, passages of one long hyphenated word, on the exact and the anchored path
    with thresholds(ANCHOR_CELLS=anchor_cells):
        assert plain(align(b, a)) == mirrored(align(a, b))


def test_swapping_the_example_pair_mirrors_every_hunk(example):
    back = align(example.b_text, example.a_text)
    assert len(back.hunks) == len(example.hunks) == 82
    assert plain(back) == mirrored(example)


def test_equally_good_matches_are_chosen_the_same_way_both_ways():
    # `States and Turkey have come` against `States have Turkey`: `Turkey` or `have` can be
    # matched (one token either way); both directions must pick the same one
    a, b = "States and Turkey have come under", "States have Turkey under"
    assert plain(align(b, a)) == mirrored(align(a, b))


def test_a_re_tokenized_match_beside_a_passage_is_mirrored():
    # `abc` = `ab c` (two tokens on one side) between an inserted passage and another edit
    # was joined one way round only (the one-token test looked at one side)
    a, b = "abc", "the the the the the the the the ab c the"
    assert plain(align(b, a)) == mirrored(align(a, b))
