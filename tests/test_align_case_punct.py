"""Case and punctuation never derail the alignment (issue 10): words differing only in case
still pair up, punctuation is its own difference, and either can be ignored."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import align
from viewer.tokens import is_punctuation


def diffs(a, b, **options):
    al = align(a, b, **options)
    return [(h.kind, *al.hunk_texts(h)) for h in al.hunks]


def test_capitals_against_lowercase_are_one_case_hunk_per_word_not_one_big_hunk():
    # NIST SCTK style: an ALL-CAPS hypothesis against a lowercase reference with one real error
    got = diffs("the fund rose two percent", "THE FUND FELL TWO PERCENT")
    assert got == [("substituted", "the", "THE"), ("substituted", "fund", "FUND"),
                   ("substituted", "rose", "FELL"), ("substituted", "two", "TWO"),
                   ("substituted", "percent", "PERCENT")]
    assert diffs("the fund rose two percent", "THE FUND FELL TWO PERCENT", ignore_case=True) == [
        ("substituted", "rose", "FELL")]


def test_case_hunks_are_one_per_word_even_when_a_word_is_several_tokens():
    # the final period is the same on both sides: not part of the difference
    assert diffs("the U.S. army", "the u.s. army") == [("substituted", "U.S", "u.s")]


def test_a_case_match_inside_a_swapped_phrase_joins_the_swap():
    # `The` of the swapped-in mention is not the original's `the`
    assert diffs("and the United States said", "and Russia The Russians said") == [
        ("substituted", "the United States", "Russia The Russians")]


def test_punctuation_is_its_own_hunk_beside_a_misspelt_word():
    assert diffs("c'est dure. moi, oui", "c'est dur moins oui") == [
        ("substituted", "dure", "dur"), ("missing", ".", ""),
        ("substituted", "moi", "moins"), ("missing", ",", "")]


def test_punctuation_standing_apart_is_peeled_from_a_word_swap():
    assert diffs("in Aleppo . Then", "in Homs Then") == [
        ("substituted", "Aleppo", "Homs"), ("missing", ".", "")]


def test_punctuation_written_onto_a_swapped_word_stays_with_it():
    # `Mr.` swapped for `Russian`: the period is part of the abbreviation, not a lost stop
    assert diffs("said Mr. Putin", "said Russian Putin") == [("substituted", "Mr.", "Russian")]


def test_ignore_punctuation_leaves_only_word_differences():
    a, b = "Well, c'est dure. moi, oui; non!", "Well c'est dur moins oui. non"
    assert diffs(a, b, ignore_punctuation=True) == [
        ("substituted", "dure", "dur"), ("substituted", "moi", "moins")]
    assert ("missing", ",", "") in diffs(a, b)


def test_penn_treebank_escapes_are_no_difference():
    assert diffs('He said (twice) "no"', "He said -LRB- twice -RRB- ``no''") == []
    assert diffs("a [b] {c}", "a -lsb- b -rsb- -LCB- c -RCB-") == []


def test_a_one_character_change_in_unsegmented_chinese_is_one_character():
    assert diffs("我们今天去北京。", "我们明天去北京。") == [("substituted", "今", "明")]
    assert diffs("สวัสดีครับ", "สวัสดีค่ะ")[0][0] == "substituted"


def test_the_command_line_and_the_corpus_summary_pass_ignore_punctuation_on(tmp_path):
    from tests.test_cli import run_cli
    from viewer.corpus.schema import PairInput, PairOptions
    from viewer.corpus.summary import summarize_pair

    a, b = "Yes, we can.", "Yes we can"
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    counts = []
    for flags in ((), ("--ignore-punctuation",)):
        code, out, err = run_cli("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                                 "--json", *flags)
        assert code == 0, err
        counts.append(len(json.loads(out)["hunks"]))
    assert counts == [2, 0]
    pair = PairInput(0, "p", a, b)
    assert summarize_pair(pair)["hunks_total"] == 2
    assert summarize_pair(pair, PairOptions(ignore_punctuation=True))["hunks_total"] == 0


def test_debris_lines_do_not_steal_the_pairing_of_a_garbled_line():
    # OCR of a newspaper: rules of dashes around the garbled heading; the heading pairs with its
    # garbled self, letter errors word by word, and the debris lines are inserted
    a = "Some news here.\nMorning Chronicle Office\nLondon, May 3.\n"
    b = ("Some news here.\n— — — — — — — — — — — —\n— — — — — — — — — — — —\n"
         "Mornlng Chron1cle Ofiice\n— — — — — — — — — — —\nLondon, May 3.\n")
    rule = " ".join("—" * 12)
    assert diffs(a, b) == [
        ("inserted", "", f"{rule}\n{rule}"),
        ("substituted", "Morning", "Mornlng"), ("substituted", "Chronicle", "Chron1cle"),
        ("substituted", "Office", "Ofiice"),
        ("inserted", "", " ".join("—" * 11))]


def test_several_garbled_lines_pair_in_order_around_debris():
    a = "News.\nMorning Chronicle Office\nSaturday Edition\nLondon.\n"
    b = "News.\n— — — —\nMornlng Chron1cle Ofiice\n— — —\nSaturdav Editlon\nLondon.\n"
    assert diffs(a, b) == [
        ("inserted", "", "— — — —"),
        ("substituted", "Morning", "Mornlng"), ("substituted", "Chronicle", "Chron1cle"),
        ("substituted", "Office", "Ofiice"),
        ("inserted", "", "— — —"),
        ("substituted", "Saturday", "Saturdav"), ("substituted", "Edition", "Editlon")]


def test_a_capitalized_word_beside_an_added_phrase_is_part_of_the_swap():
    # a mention swapped in in its raw form: not `the` -> `The` plus `Holy Spirit` inserted
    assert diffs("secretions from the parental units", "secretions from The Holy Spirit parental"
                 " units") == [("substituted", "the", "The Holy Spirit")]
    # in capitals (an ASR hypothesis) the word stays a case difference of its own
    assert diffs("from the units", "FROM THE BIG UNITS")[1:3] == [
        ("substituted", "the", "THE"), ("inserted", "", "BIG")]


PUNCTUATED = st.lists(st.sampled_from(["the", "cat", "Cat", "dure", "dur", ",", ".", ";", "[[",
                                       "]]", "{{", "|", "-", "S-400,", "x"]),
                      max_size=30).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(PUNCTUATED, PUNCTUATED)
def test_ignoring_punctuation_only_leaves_out_hunks_of_punctuation(a, b):
    # the text aligns the same (punctuation still pairs up: markup-heavy text is not derailed);
    # exactly the hunks made only of punctuation go, and the rest are numbered from 0
    every = align(a, b)
    kept = align(a, b, ignore_punctuation=True)
    words = [(h.kind, h.ta, h.tb) for h in every.hunks
             if not all(map(is_punctuation, every.a.keys(*h.ta) + every.b.keys(*h.tb)))]
    assert [(h.kind, h.ta, h.tb) for h in kept.hunks] == words
    assert [h.id for h in kept.hunks] == list(range(len(kept.hunks)))


def test_words_in_capitals_between_changes_stay_case_differences():
    # an ASR hypothesis in capitals with real errors all around: each matched word is a case
    # hunk of its own, never joined into its neighbours' changes one after another
    got = diffs("someone at industry titan fidelity investments decided last friday",
                "SOME ON THE INDUSTRY TIGHTEN FIDELITY INVESTMENTS DECIDED LAST FRIDAY")
    assert ("substituted", "industry", "INDUSTRY") in got
    assert ("substituted", "fidelity", "FIDELITY") in got and len(got) == 8
