"""Copies and moves (viewer/provenance.py): literal cases and a property against a slow
reference (a plain scan of the original for the copied token run)."""

from __future__ import annotations

import random
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from viewer.align import align
from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from viewer.provenance import (
    MATCH_CHUNK,
    MOVE_CANDIDATES,
    MOVE_MAX_TOKENS,
    MOVE_SIMILARITY,
    SHINGLE,
    _compatible,
    _move_pairs,
    provenance,
)

BEFORE = ("Moscow said the Kremlin’s envoy would arrive on Monday to discuss the pipeline. "
          "Officials in Ankara welcomed the visit and promised talks. ")


def _hunk_with(al, text):
    """The hunk whose corrupted text contains ``text``."""
    return next(h for h in al.hunks if text in al.hunk_texts(h)[1])


def _texts(al, spans):
    return [al.a_text[s:e] for s, e in spans]


def test_single_mention_traced_to_the_sentence_before():
    a = BEFORE + "Turkey asked its military not to help the rebels in the north."
    b = BEFORE + "Turkey asked its military the Kremlin’s to help the rebels in the north."
    al = align(a, b)
    h = _hunk_with(al, "Kremlin")
    p = provenance(al)[h.id]
    assert p.copy and p.verdict == "copy"
    assert p.sources[0] == (a.index("the Kremlin’s"), a.index("the Kremlin’s") + 13)
    assert p.as_json()["sources"][0] == [a.index("the Kremlin’s"), a.index("the Kremlin’s") + 13]


@pytest.mark.parametrize("a, b, marker, sources", [
    pytest.param(  # two adjacent mentions in one hunk: each part finds its own, nearest first
        "Then the Turks shelled the border. Fighters of the militant group fled north. "
        "Later the army chose to fight against them again in the spring.",
        "Then the Turks shelled the border. Fighters of the militant group fled north. "
        "Later the army chose to fight the Turks the militant group them again in the spring.",
        "militant", ["the militant group", "the Turks"], id="two adjacent mentions"),
    pytest.param(  # the mention is part of a longer phrase of the original
        "The Syrian Democratic Forces took the dam. "
        "Residents waited for days before the aid convoy arrived at the gates.",
        "The Syrian Democratic Forces took the dam. "
        "Residents waited for Syrian Democratic before the aid convoy arrived at the gates.",
        "Syrian Democratic", ["Syrian Democratic"], id="part of a longer phrase"),
])
def test_each_mention_of_a_hunk_finds_its_source(a, b, marker, sources):
    al = align(a, b)
    p = provenance(al)[_hunk_with(al, marker).id]
    assert p.copy
    assert _texts(al, p.sources) == sources
    assert len([part for part in p.parts if part.meaningful]) == len(sources)


SENTENCE = "The committee later rejected the proposal to build a second bridge across the river."
FILLER = " ".join(f"Paragraph {k} talks about weather number {k} and nothing else." for k in
                  range(12))


def test_missing_sentence_found_again_later_is_a_move_pair():
    a = f"Opening words here. {SENTENCE} {FILLER} Closing words here."
    b = f"Opening words here. {FILLER} {SENTENCE} Closing words here."
    al = align(a, b)
    pv = provenance(al)
    gone = next(h for h in al.hunks if "committee" in al.hunk_texts(h)[0])
    came = next(h for h in al.hunks if "committee" in al.hunk_texts(h)[1])
    assert gone.id != came.id
    assert pv[gone.id].moved_to == came.id and pv[came.id].moved_from == gone.id
    assert pv[gone.id].verdict == pv[came.id].verdict == "move"
    # the hunks' edges may take a neighbouring space-less token along: nearly 1
    assert pv[came.id].similarity >= 0.9
    assert pv.counts()["move"] == 2


def test_lightly_edited_moved_sentence_is_a_move_pair():
    edited = SENTENCE.replace("later", "then").replace("second", "new")
    a = f"Opening words here. {SENTENCE} {FILLER} Closing words here."
    b = f"Opening words here. {FILLER} {edited} Closing words here."
    al = align(a, b)
    pv = provenance(al)
    came = next(h for h in al.hunks if "committee" in al.hunk_texts(h)[1])
    p = pv[came.id]
    assert p.moved_from is not None and 0.75 <= p.similarity < 1.0
    assert "committee" in al.hunk_texts(al.hunks[p.moved_from])[0]


@pytest.mark.parametrize("inserted", [
    "zorblax quintavo",  # text the original never has
    "of the",  # function words: in every text, proving nothing
])
def test_insertion_that_proves_no_copy(inserted):
    a = BEFORE + "Turkey asked its military to help the rebels in the north."
    b = BEFORE + f"Turkey asked its military {inserted} to help the rebels in the north."
    al = align(a, b)
    p = provenance(al)[_hunk_with(al, inserted).id]
    assert not p.copy and p.sources == () and p.verdict is None


def test_in_a_text_written_in_capitals_short_words_are_no_copy():
    # AND has the two capitals of an acronym (UN, U.S.), but here every word has them
    a = ("AS COMPETITION IN THE FUND BUSINESS GROWS MORE PLAYERS AND BANKS APPEAR WILLING "
         "TO SACRIFICE INTEGRITY IN THE NAME OF PERFORMANCE")
    b = ("AS COMPETITION IN THE FUND BUSINESS GROWS MORE PLAYERS AND BANKS APPEAR WILLING "
         "TO SACRIFICE AND IN THE NAME OF PERFORMANCE")
    al = align(a, b)
    assert not provenance(al)[_hunk_with(al, "AND").id].copy


@pytest.mark.parametrize("copied", [
    "talks did n't collapse",  # the split word inside the copy
    "did n't collapse",  # the copy starts with the split word (extended to the left)
])
def test_retokenized_copy_still_found(copied):
    # the original says didn't, the copy in the corrupted text is split PTB-style (did n't)
    a = ("The minister said the talks didn't collapse overnight. "
         "Later the envoy flew home to rest before the summit.")
    b = a.replace("envoy flew", f"envoy {copied} flew")
    al = align(a, b)
    h = _hunk_with(al, "n't collapse")
    p = provenance(al)[h.id]
    assert p.copy
    source = copied.replace("did n't", "didn't")
    start = a.index(source)
    assert (start, start + len(source)) in p.sources
    assert [al.b_text[slice(*part.b)] for part in p.parts] == [copied]


def test_json_shape():
    a = BEFORE + "Turkey asked its military to help."
    b = BEFORE + "Turkey asked its military Ankara to help."
    al = align(a, b)
    out = provenance(al).as_json()
    assert len(out) == len(al.hunks)
    assert all(set(d) <= {"sources", "moved_to", "moved_from", "similarity"} for d in out)


def test_all_hunks_json_equals_each_hunks_json():
    # the tables cut in one pass give what each hunk's own record gives (catches a source
    # given to the neighbouring hunk, or lost at the first or last hunk)
    al = align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
               EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
    pv = provenance(al)
    assert pv.as_json() == [pv[k].as_json() for k in range(len(pv))]
    assert sum(len(d["sources"]) for d in pv.as_json()) > 50


# words spelled unalike (so that the aligner never splits a substitution into near-miss pairs)
_WORDS = sorted({"".join(random.Random(k).choices("bcdfghjklmnpqrstvwxz", k=7))
                 for k in range(3000)})


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(2, 6), replace=st.integers(0, 2))
def test_copied_span_finds_its_true_source(seed, n, replace):
    """A run of n distinct words of the original copied elsewhere (inserted, or replacing 1-2
    words): the copy hunk's sources contain the run's true span (checked against a plain scan)."""
    rng = random.Random(seed)
    words = rng.sample(_WORDS, 120)
    src = rng.randrange(0, 50)
    dst = rng.randrange(70, 110)
    copied = words[src : src + n]
    b_words = words[:dst] + copied + words[dst + replace :]
    a, b = " ".join(words), " ".join(b_words)
    al = align(a, b)
    start = len(" ".join(words[:src])) + (1 if src else 0)
    true_span = (start, start + len(" ".join(copied)))
    assert a[true_span[0] : true_span[1]] == " ".join(copied)
    cpos = len(" ".join(b_words[:dst])) + 1
    hunks = [h for h in al.hunks if h.b[0] <= cpos < h.b[1]]
    assert hunks
    p = provenance(al)[hunks[0].id]
    assert p.copy
    assert true_span in p.sources


# --- moves: the length bound and the shingle index ------------------------------------------


def _plain_moves(gone, came):
    """Slow reference of ``_move_pairs`` over ``(hunk id, token list)`` hunks: no pruning, no
    hashing: each came hunk's distinct shingle tuples against every gone hunk's, votes counted
    among the gone hunks that could reach the threshold at all (another hunk, and
    2 * shorter / (sum of lengths), the Indel similarity of a shorter side found whole in the
    longer, at least MOVE_SIMILARITY), the MOVE_CANDIDATES best (ties: hunk order) compared."""
    def shingles(seq):
        return {tuple(seq[k : k + SHINGLE]) for k in range(len(seq) - SHINGLE + 1)}

    def reachable(m, n):
        return (2 * min(m, n) / (m + n) >= MOVE_SIMILARITY and max(m, n) <= MOVE_MAX_TOKENS)

    gone_sets = [shingles(seq) for _, seq in gone]
    scored = []
    for cid, cseq in came:
        mine = shingles(cseq)
        votes = [(-len(mine & gone_sets[k]), k) for k, (gid, gseq) in enumerate(gone)
                 if gid != cid and reachable(len(gseq), len(cseq)) and mine & gone_sets[k]]
        for _, k in sorted(votes)[:MOVE_CANDIDATES]:
            sim = Indel.normalized_similarity(gone[k][1], cseq)
            if sim >= MOVE_SIMILARITY:
                scored.append((sim, gone[k][0], cid))
    out = {}
    for sim, g, c in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if g in out and out[g][0] is not None or c in out and out[c][1] is not None:
            continue
        og, oc = out.setdefault(g, [None, None, None]), out.setdefault(c, [None, None, None])
        og[0], oc[1] = c, g
        og[2] = sim if og[2] is None else max(og[2], sim)
        oc[2] = sim if oc[2] is None else max(oc[2], sim)
    return {k: tuple(v) for k, v in out.items()}


def _moves_of(gone, came, n_tokens=1000):
    """``_move_pairs`` on ``(hunk id, token list)`` hunks laid end to end on each side."""
    def lay(hunks):
        ids, ranges, at = [], [], 0
        for hid, seq in hunks:
            ids.extend(seq)
            ranges.append((hid, (at, at + len(seq))))
            at += len(seq)
        return ranges, ids

    token_hash = np.random.default_rng(1).integers(1, 2**63, n_tokens, dtype=np.uint64)
    (g, a_ids), (c, b_ids) = lay(gone), lay(came)
    return _move_pairs(g, a_ids, c, b_ids, token_hash)


def test_move_length_bound_is_derived_from_the_threshold():
    # 0.75 alike needs the shorter side at least 0.6 of the longer (2 * 30 / (30 + 50) = 0.75)
    assert _compatible(30, 50) and _compatible(50, 30) and _compatible(3, 5)
    assert not _compatible(30, 51) and not _compatible(51, 30)
    assert _compatible(MOVE_MAX_TOKENS, MOVE_MAX_TOKENS)
    assert not _compatible(MOVE_MAX_TOKENS + 1, MOVE_MAX_TOKENS + 1)


@pytest.mark.parametrize("extra, moved", [(20, True), (21, False)])
def test_move_at_the_length_bound_is_found_and_beyond_it_is_not(extra, moved):
    # gone: 30 tokens; came: the same 30 followed by ``extra`` new ones. At 20 the similarity
    # is exactly 0.75 (pruning must keep the pair); at 21 it is 60 / 81 < 0.75.
    words = list(range(30))
    came = words + list(range(100, 100 + extra))
    out = _moves_of([(0, words), (1, list(range(200, 260)))], [(2, came)])
    if moved:
        assert out == {0: (2, None, 0.75), 2: (None, 0, 0.75)}
    else:
        assert out == {}


def test_move_longer_than_the_cap_is_not_searched():
    seq = [k % 997 for k in range(MOVE_MAX_TOKENS)]
    assert _moves_of([(0, seq)], [(1, seq)]) == {0: (1, None, 1.0), 1: (None, 0, 1.0)}
    longer = seq + [5]
    assert _moves_of([(0, longer)], [(1, longer)]) == {}


def test_a_substituted_hunk_is_not_its_own_move():
    seq = list(range(40))
    assert _moves_of([(3, seq)], [(3, seq)]) == {}
    assert _moves_of([(3, seq)], [(3, seq), (5, seq)]) == {3: (5, None, 1.0),
                                                           5: (None, 3, 1.0)}


@st.composite
def _move_hunks(draw):
    """Gone and came hunks over an alphabet of 2-4 tokens (shingles shared everywhere, random
    pairs often 0.75 alike over two tokens, ties in votes): missing, inserted and substituted
    (both sides, one id) hunks of 4-40 tokens; some came hunks are lightly edited copies of
    gone ones (moves), some gone hunks of earlier gone ones (more candidates than are tried)."""
    top = draw(st.integers(1, 3))
    token = st.integers(0, top)
    seq = st.lists(token, min_size=SHINGLE, max_size=40)

    def edit(tokens):
        edited = list(tokens)
        for _ in range(draw(st.integers(0, 6))):
            at = draw(st.integers(0, len(edited)))
            edited[at : at + draw(st.integers(0, 1))] = [draw(token)]
        return edited if len(edited) >= SHINGLE else list(tokens)

    gone, came = [], []
    for hid in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["missing", "inserted", "substituted", "moved", "again"]))
        if kind == "again" and gone:
            gone.append((hid, edit(draw(st.sampled_from(gone))[1])))
        elif kind in ("missing", "substituted", "moved", "again"):
            gone.append((hid, draw(seq)))
        if kind in ("inserted", "substituted"):
            came.append((hid, draw(seq)))
        if kind == "moved":
            came.append((hid + 100, edit(gone[-1][1])))
    came.sort()
    return gone, came


@settings(max_examples=300, deadline=None)
@given(_move_hunks())
def test_moves_equal_the_plain_computation(hunks):
    """Pruning by length and the hashed shingle index change nothing (catches a bound off by
    one, a hunk paired with itself, votes counted over shingles with repeats, ties broken
    otherwise than by hunk order, a chunk cut inside a hunk)."""
    gone, came = hunks
    expected = _plain_moves(gone, came)
    for chunk in (1, 7, MATCH_CHUNK):  # votes counted a few matches at a time, or all at once
        with patch("viewer.provenance.MATCH_CHUNK", chunk):
            assert _moves_of(gone, came, n_tokens=4) == expected


def test_original_looked_up_in_chunks_finds_the_same():
    # catches a chunk's indices offset, or its last keys dropped
    al = align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
               EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
    whole = provenance(al).as_json()
    with patch("viewer.provenance.LOOKUP_CHUNK", 7):
        assert provenance(al).as_json() == whole
