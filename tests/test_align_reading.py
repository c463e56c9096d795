"""Hunks read the way a reader would call the corruption (issue 10): a matched word is never
inside a difference, a swapped phrase that starts with the word it replaced is one swap, and a
removed compound's placeholder takes the compound alone, before or after the stretch."""

from __future__ import annotations

from viewer.align import align


def diffs(a, b):
    al = align(a, b)
    return [(h.kind, *al.hunk_texts(h)) for h in al.hunks]


def around(al, text):
    """The hunks of the example pair next to the one whose original text is ``text``."""
    return [(h.kind, *al.hunk_texts(h)) for h in al.hunks
            if text in al.hunk_texts(h)[0] or text in al.hunk_texts(h)[1]]


def test_a_word_kept_between_an_insertion_and_a_passage_is_not_marked():
    # `Islamic` is unchanged; the swapped-in mention runs up to it, the rest after it
    a = "to combat the Islamic State in Syria today"
    b = "to combat the United States Islamic the Kurdish forces known as the Y. P. G. Syria today"
    assert diffs(a, b) == [
        ("inserted", "", "United States"),
        ("substituted", "State in", "the Kurdish forces known as the Y. P. G.")]


def test_a_swapped_phrase_starting_with_the_word_it_follows_is_one_swap():
    a = "the most effective fighters in the campaign against"
    b = "the most effective the United States campaign against"
    assert diffs(a, b) == [("substituted", "fighters in the", "the United States")]
    # one word dropped and one added beside `the` stay what they are
    assert diffs("most effective fighters the campaign", "most effective the new campaign") == [
        ("missing", "fighters", ""), ("inserted", "", "new")]


def test_a_removed_compound_leaves_its_punctuation_as_a_hunk_of_its_own():
    a = "by deploying the S-400, an advanced air-defense system, at Latakia"
    b = "by deploying the    the Russian pilot    system , at Latakia"
    assert diffs(a, b) == [
        ("missing", "S-400", ""), ("missing", ",", ""),
        ("substituted", "an advanced", "the Russian pilot"), ("missing", "air-defense", "")]
    al = align(a, b)
    s400, comma, _, defense = al.hunks
    assert s400.gap == (16, 20) and comma.gap is None and comma.b == (20, 20)
    assert defense.gap == (37, 41)  # the placeholder after the stretch
    # swapping the sides mirrors it: the same hunks, inserted at the original's placeholders
    back = align(b, a)
    assert [(h.kind, h.ta, h.tb) for h in back.hunks] == [
        ({"missing": "inserted"}.get(h.kind, h.kind), h.tb, h.ta) for h in al.hunks]
    assert back.hunks[0].a == (16, 16) and back.hunks[1].a == (20, 20)


def test_the_example_pair_reads_right(example):
    assert ("inserted", "", "United States") in around(example, "United States")
    assert ("substituted", "State in", "the Kurdish forces known as the Y. P. G.") in around(
        example, "Kurdish forces known")
    assert ("substituted", "fighters in the", "the United States") in around(example, "fighters")
    assert around(example, "S-400") == [("missing", "S-400", "")]
    assert ("missing", "air-defense", "") in around(example, "air-defense")
