"""Copies and moves (viewer/provenance.py): literal cases and a property against a slow
reference (a plain scan of the original for the copied token run)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import align
from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from viewer.provenance import provenance

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
