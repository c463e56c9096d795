"""WER, CER, counts by type and confusion tables read off the alignment.

Literal pairs with hand-computed figures; jiwer (a dev dependency) as the slow, obviously
correct reference where both texts are tokenized alike; confusions on a literal OCR-like pair.
"""

from __future__ import annotations

from collections import Counter

import jiwer
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer import measures
from viewer.align import align
from viewer.hunk_types import hunk_types
from viewer.kinds import TYPES
from viewer.measures import confusions, counts_by_type, error_rates, sum_confusions
from viewer.words import is_word_start, word_keys


def rates(a: str, b: str, **options) -> dict:
    return error_rates(align(a, b, **options))


# --- literal figures ----------------------------------------------------------------------------


def test_hand_computed_wer_and_cer():
    r = rates("the cat sat on the mat", "the cat sit on mat")
    # sat -> sit (S), the dropped (D): 2 of 6 words; a -> i and "the": 4 of 17 letters
    assert r["words"] == {"original": 6, "corrupted": 5, "substitutions": 1, "deletions": 1,
                          "insertions": 0, "errors": 2}
    assert r["wer"] == round(2 / 6, 6)
    assert r["characters"] == {"original": 17, "errors": 4}
    assert r["cer"] == round(4 / 17, 6)


def test_denominator_is_the_original():
    # two inserted words over the original's two words, not over the corrupted side's four
    # (catches dividing by the corrupted text's words, or by both sides')
    r = rates("a b", "a b c d")
    assert r["wer"] == 1.0 and r["cer"] == 1.0


def test_what_the_alignment_calls_equal_never_counts():
    # re-tokenization (catches re-aligning the words of each text with jiwer's split)
    assert rates("Turkey’s army", "Turkey ’s army")["wer"] == 0.0
    # typography folded by default, case with Ignore case
    assert rates("“Yes,” she said", '"Yes," she said')["cer"] == 0.0
    assert rates("THE CAT", "the cat")["wer"] == 1.0
    assert rates("THE CAT", "the cat", ignore_case=True)["wer"] == 0.0


def test_words_are_whitespace_separated():
    # the hunk is the comma alone, but the word S-400, became S-400: one substitution of two
    # words (catches counting tokens: that would be one deletion of five tokens)
    r = rates("S-400, missiles", "S-400 missiles")
    assert (r["wer"], r["words"]["substitutions"]) == (0.5, 1)
    assert r["cer"] == round(1 / 14, 6)
    # two hunks inside one word are one word error (don -> it and t -> s around the ')
    assert rates("don't go", "it's go")["words"]["errors"] == 1


def test_neighbouring_hunks_measured_together():
    # the aligner matches "d": three missing, three inserted words, 6 edits hunk by hunk; the
    # minimal edit distance is 4 substitutions (catches summing hunk by hunk)
    r = rates("w1 w2 w3 d", "d x1 x2 x3")
    assert r["words"]["errors"] == 4 and r["wer"] == 1.0
    assert r["characters"]["errors"] == 5  # d, w->x three times, d: as jiwer on w1w2w3d


def test_empty_original():
    assert rates("", "x")["wer"] is None and rates("", "x")["cer"] is None
    assert rates("", "")["words"]["errors"] == 0


def test_cer_leaves_out_spaces_unlike_jiwer():
    # jiwer.cer counts the space as a character of the reference: 1 of 5; we count 1 of 4
    assert jiwer.cer("ab cd", "ab ce") == pytest.approx(1 / 5)
    assert rates("ab cd", "ab ce")["cer"] == 0.25


# --- jiwer as the reference ----------------------------------------------------------------------

# A made-up LibriSpeech-style reference and hypothesis: lowercase, no punctuation but the
# apostrophe, single spaces.
ASR_REF = ("he hoped there would be stew for dinner turnips and carrots and bruised potatoes "
           "and fat mutton pieces to be ladled out in thick peppered flour fattened sauce "
           "stuff it into you his belly counselled him after early nightfall the yellow lamps "
           "would light up here and there the squalid quarter of the brothels")
ASR_HYP = ("he hoped there would be a stew for dinner turnips and carrots and bruised "
           "potatoes and fat mutton pieces to be ladled out in a thick pepper flower fat and "
           "sauce stuff it into you his belly counsel him after early nightfall the yellow "
           "lamps would light up here and there the squalid quarter of the brothel's")


def test_asr_pair_equals_jiwer():
    r = rates(ASR_REF, ASR_HYP)
    assert r["wer"] == round(jiwer.wer(ASR_REF, ASR_HYP), 6)
    out = jiwer.process_words(ASR_REF, ASR_HYP)
    assert r["words"]["errors"] == out.substitutions + out.deletions + out.insertions


def test_respacing_is_not_an_error_unlike_jiwer():
    # the aligner calls a word split in two re-tokenization; jiwer counts two word errors
    assert rates("after early nightfall", "after early night fall")["wer"] == 0.0
    assert jiwer.wer("after early nightfall", "after early night fall") == pytest.approx(2 / 3)


def test_all_caps_hypothesis_with_ignore_case_equals_jiwer_on_lowercase():
    r = rates(ASR_REF, ASR_HYP.upper(), ignore_case=True)
    assert r["wer"] == round(jiwer.wer(ASR_REF, ASR_HYP), 6)


# Words of one length, plus two with an apostrophe (three tokens, one word): no concatenation of
# words spells another, so no stretch is re-tokenization that jiwer would count.
VOCAB = ["the", "cat", "sat", "mat", "dog", "ran", "far", "and", "was", "don't", "it's"]
EDITS = st.lists(st.tuples(st.sampled_from("sdi"), st.integers(0, 10_000),
                           st.sampled_from(VOCAB)), max_size=12)


def corrupt(words: list[str], edits) -> list[str]:
    out = list(words)
    for op, pos, w in edits:
        if op == "i":
            out.insert(pos % (len(out) + 1), w)
        elif out and op == "s":
            out[pos % len(out)] = w
        elif out:
            del out[pos % len(out)]
    return out


def check_against_jiwer(ref: list[str], hyp: list[str]):
    a, b = " ".join(ref), " ".join(hyp)
    r = rates(a, b)
    words = jiwer.process_words(a, b)
    assert r["words"]["errors"] == words.substitutions + words.deletions + words.insertions
    assert r["wer"] == round(jiwer.wer(a, b), 6)
    # CER: jiwer on the texts without spaces (ours never counts whitespace)
    chars = jiwer.process_characters("".join(ref), "".join(hyp) or " ")
    assert r["characters"]["errors"] == chars.substitutions + chars.deletions + chars.insertions


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=40), EDITS)
def test_wer_and_cer_equal_jiwer(ref, edits):
    check_against_jiwer(ref, corrupt(ref, edits))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB[:2]), min_size=1, max_size=30), EDITS)
def test_wer_equals_jiwer_on_repetitive_text(ref, edits):
    # two words only: equal runs repeat, and the optimal edit script crosses them
    check_against_jiwer(ref, corrupt(ref, [(op, p, VOCAB[p % 2]) for op, p, _ in edits]))


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 40))
def test_wer_equals_jiwer_on_long_pairs(rng, n_edits):
    # 600 words a side: past the aligner's exact-LCS size, into its anchored path
    ref = [rng.choice(VOCAB) + rng.choice("abcdefgh") for _ in range(600)]
    edits = [(rng.choice("sdi"), rng.randrange(10_000), rng.choice(ref))
             for _ in range(n_edits)]
    check_against_jiwer(ref, corrupt(ref, edits))


# --- counts by type ---------------------------------------------------------------------------


def test_counts_by_type():
    al = align("The FUND grew, and tbe cat sat.", "The fund grew and the cat sat.")
    counts = counts_by_type(al, hunk_types(al))
    assert tuple(counts["hunks"]) == TYPES
    assert {t: n for t, n in counts["hunks"].items() if n} == {
        "case": 1, "punctuation": 1, "spelling": 1}
    assert counts["tokens"]["original"]["punctuation"] == 1
    assert counts["tokens"]["corrupted"]["punctuation"] == 0
    with pytest.raises(ValueError):
        counts_by_type(al, ["case"])  # one type per hunk
    with pytest.raises(ValueError):
        counts_by_type(al, ["case", "case", "typo"])


# --- confusions -----------------------------------------------------------------------------------

OCR_A = "the modern barn is there and the barn"
OCR_B = "tbe modem bam is tbere and a bam"


def test_confusions_of_an_ocr_like_pair():
    table = confusions(align(OCR_A, OCR_B))
    assert table["substitutions"] == [["barn", "bam", 2], ["modern", "modem", 1],
                                      ["the", "a", 1], ["the", "tbe", 1], ["there", "tbere", 1]]
    # rn read as m in modern and twice in barn; h read as b twice; the -> a is no near miss,
    # so it gives no letter confusions (catches aligning the letters of unrelated words)
    assert table["characters"] == [["rn", "m", 3], ["h", "b", 2]]
    assert table["deletions"] == [] and table["insertions"] == []


def test_confusions_deletions_insertions_and_top():
    table = confusions(align("a cat and a dog and a cow", "cat and dog and cow too"), top=1)
    assert table["deletions"] == [["a", 3]]
    assert table["insertions"] == [["too", 1]]
    assert all(len(v) <= 1 for v in table.values())


def test_confusions_summed_over_pairs():
    one = confusions(align(OCR_A, OCR_B), top=None)
    two = confusions(align("the barn", "tbe bam x"), top=None)
    total = sum_confusions([one, two])
    assert ["barn", "bam", 3] in total["substitutions"]
    assert total["characters"][:2] == [["rn", "m", 4], ["h", "b", 3]]
    assert total["insertions"] == [["x", 1]]
    assert sum_confusions([one]) == confusions(align(OCR_A, OCR_B))


# --- the array computations against plain loops -----------------------------------------------


def word_windows_loop(al):
    """The hunks widened to whole words on both sides, one token at a time on both (what
    ``measures._word_windows`` computes in arrays). A walk stops at a boundary on both sides or
    at its limit on either side (the window before, the next hunk, a text's end); one that
    stops at a limit but no boundary leaves its window open: at a text's start or end the
    window runs to both starts or ends, between hunks it takes in the next hunk."""
    def cut(i, j):
        return is_word_start(al.a, i) and is_word_start(al.b, j)

    windows = []
    left_open = False
    for k, h in enumerate(al.hunks):
        lo_i, lo_j = (windows[-1][1], windows[-1][3]) if windows else (0, 0)
        i, j = h.ta[0], h.tb[0]
        while i > lo_i and j > lo_j and not cut(i, j):
            i, j = i - 1, j - 1
        hi_i, hi_j = ((al.hunks[k + 1].ta[0], al.hunks[k + 1].tb[0]) if k + 1 < len(al.hunks)
                      else (len(al.a), len(al.b)))
        i1, j1 = h.ta[1], h.tb[1]
        while i1 < hi_i and j1 < hi_j and not cut(i1, j1):
            i1, j1 = i1 + 1, j1 + 1
        if not windows and not cut(i, j):
            i, j = 0, 0
        if k + 1 == len(al.hunks) and not cut(i1, j1):
            i1, j1 = len(al.a), len(al.b)
        if windows and (i == lo_i or j == lo_j) and (left_open or not cut(i, j)):
            windows[-1][1], windows[-1][3] = i1, j1
        else:
            windows.append([i, i1, j, j1])
        left_open = not cut(i1, j1)
    return windows


def crossable(run, shift):
    """Whether ``run`` (token ids) nearly repeats with a period within ``shift``: compared with
    itself shifted by up to ``min(shift, MAX_SHIFT)``, at most ``2 * shift`` mismatches."""
    for delta in range(1, min(shift, measures.MAX_SHIFT) + 1):
        if delta >= len(run) or sum(x != y for x, y in zip(run[delta:], run, strict=False)) \
                <= 2 * shift:
            return True
    return False


# joined tokens (``x,`` ``don't`` ``e-f``), words split or joined: windows of several tokens
PIECES = ["a", "b", "ab", "x,", "(y)", "don't", "e-f", "-", "-", "-", "G"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.lists(st.sampled_from(PIECES),
                                                                 max_size=60),
       st.integers(0, 3), st.integers(0, 3), st.sampled_from([0, 10**9]))
def test_word_windows_and_crossable_runs_equal_plain_loops(a, b, join_a, join_b, few_ids):
    a_text = " ".join(a).replace(" ", "", join_a)
    b_text = " ".join(b).replace(" ", "", join_b)
    al = align(a_text, b_text)
    windows = measures._word_windows(al)
    assert windows == word_windows_loop(al)
    with pytest.MonkeyPatch.context() as mp:  # the run's ids read off the list, or an array
        mp.setattr(measures, "_FEW_IDS", few_ids)
        least = measures._least_mismatches(rows(windows), al.a)
    for k in range(1, len(windows)):
        run = al.a.ids[windows[k - 1][1]:windows[k][0]]
        if measures.NEAR_GAP < len(run) <= measures.MAX_GAP:
            for shift in range(1, 12):
                assert (least[k][min(shift, measures.MAX_SHIFT) - 1] <= 2 * shift) == \
                    crossable(run, shift)
        else:
            assert k not in least


def rows(windows):
    """Windows as the array ``_measure`` hands on (one row of four a window)."""
    return np.array(windows, dtype=np.int64).reshape(-1, 4)


def test_dash_runs_are_crossable():
    # ten dashes between two edits: a run repeating with period 1, crossed at no cost
    al = align("x " + "- " * 10 + "y", "x z " + "- " * 10)
    windows = measures._word_windows(al)
    assert measures._least_mismatches(rows(windows), al.a) == {
        1: [0] * measures.MAX_SHIFT}


def measure_loop(al):
    """Every window's words built and counted, one-sided windows too (what ``measures._measure``
    does before it reads one-sided windows off prefix sums): (substitutions, deletions,
    insertions, unpaired, character errors)."""
    subs, dels, ins = Counter(), Counter(), Counter()
    unpaired = [0, 0, 0]
    char_errors = 0
    windows = measures._word_windows(al)
    for run in measures._group(windows, rows(windows), al.a):
        parts = [measures._window_words(al, *w) for w in run]
        char_parts = [("".join(x), "".join(y)) for x, y in parts]
        i0, i1, j0, j1 = run[0][0], run[-1][1], run[0][2], run[-1][3]
        char_apart = sum(measures._distance(x, y) for x, y in char_parts)
        word_apart = sum(measures._distance(x, y) for x, y in parts)
        whole = measures._window_words(al, i0, i1, j0, j1)
        if len(run) > 1:
            char_apart = min(char_apart, measures._distance("".join(whole[0]),
                                                            "".join(whole[1])))
            if measures._distance(*whole) < word_apart:
                parts = [whole]
        char_errors += char_apart
        for a_words, b_words in parts:
            measures._count_word_edits(a_words, b_words, subs, dels, ins, unpaired)
    return subs, dels, ins, unpaired, char_errors


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["a", "b"] * 3), max_size=60),
       EDITS, st.integers(0, 3), st.integers(0, 3), st.integers(1, 5))
def test_error_counts_equal_the_plain_loop(a, edits, join_a, join_b, chunk):
    # one-sided windows counted from prefix sums (summed in chunks of any size), their words
    # listed only for the confusions
    b = corrupt(a, [(op, p, PIECES[p % len(PIECES)]) for op, p, _ in edits])
    al = align(" ".join(a).replace(" ", "", join_a), " ".join(b).replace(" ", "", join_b))
    subs, dels, ins, unpaired, char_errors = measure_loop(al)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(measures, "_CHUNK", chunk)
        r = error_rates(al)
    assert r["characters"]["original"] == len("".join(al.a.keys(0, len(al.a))))
    assert r["characters"]["errors"] == char_errors
    assert [r["words"][k] for k in ("substitutions", "deletions", "insertions")] == [
        sum(subs.values()) + unpaired[0], sum(dels.values()) + unpaired[1],
        sum(ins.values()) + unpaired[2]]
    table = confusions(al, top=None)
    assert table["deletions"] == measures._table(subs, dels, ins, Counter(), None)["deletions"]
    assert table["insertions"] == measures._table(subs, dels, ins, Counter(), None)[
        "insertions"]
    assert table["substitutions"] == measures._table(subs, dels, ins, Counter(), None)[
        "substitutions"]


def test_a_window_stops_at_the_end_of_a_re_tokenized_side():
    # after the hunk `a a` -> `-`, the equal text `a x ,` is `ax ,` in the corrupted text: one
    # token fewer there, so a walk of a token a side a step ran past the corrupted text's end
    # (found by hypothesis in test_error_counts_equal_the_plain_loop)
    r = error_rates(align("a a a a x,", "a-ax,"))
    # five original words against one: one substituted, four deleted
    assert r["words"] == {"original": 5, "corrupted": 1, "substitutions": 1, "deletions": 4,
                          "insertions": 0, "errors": 5}
    # the walk meets the corrupted text's end inside the word `ax,`: the window runs to both
    # ends, so the characters are `aaaax,` against `a-ax,`, one `a` -> `-` and one `a` deleted
    # (their whole Levenshtein distance; a window cut at the corrupted end counted 3)
    assert r["characters"] == {"original": 6, "errors": 2}


def both_ways(a_text: str, b_text: str) -> tuple:
    """Error rates and confusions with every window side's words a string each (plain
    ``word_keys``), then with long sides' words shared (``LONG_SIDE`` 1: every side of more
    than one token takes that path); fresh alignments, as both are cached per alignment."""
    out = []
    for long_side in (10**9, 1):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(measures, "LONG_SIDE", long_side)
            al = align(a_text, b_text)
            out.append((error_rates(al), confusions(al, top=None)))
    return tuple(out)


def test_a_long_missing_passage_with_a_tail_edit():
    # the upload benchmark's shape: a long missing passage, then an edit at the texts' end in
    # the same run of windows, measured as a whole (the corrupted z is paired with a word
    # inside the passage rather than counted as one more insertion)
    a = "the cat sat " + " ".join(f"w{k % 7}" for k in range(300)) + " end"
    b = "the cat sat w3 z"
    plain, shared = both_ways(a, b)
    assert plain == shared
    rates, table = plain
    assert rates["words"]["original"] == 304 and rates["words"]["corrupted"] == 5
    assert rates["words"]["errors"] == 300  # at least 304 - 5, and w3 is kept


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["a", "b"] * 3), max_size=60),
       EDITS, st.integers(0, 3), st.integers(0, 3))
def test_shared_word_strings_change_no_count(a, edits, join_a, join_b):
    b = corrupt(a, [(op, p, PIECES[p % len(PIECES)]) for op, p, _ in edits])
    plain, shared = both_ways(" ".join(a).replace(" ", "", join_a),
                              " ".join(b).replace(" ", "", join_b))
    assert plain == shared


# --- windows with a side too long to list (``_ThinWindow``) ----------------------------------


def levenshtein_table(x, y) -> int:
    """The textbook O(len(x)·len(y)) edit distance (one row of the table kept)."""
    prev = list(range(len(y) + 1))
    for i, u in enumerate(x, 1):
        row = [i]
        for j, v in enumerate(y, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (u != v)))
        prev = row
    return prev[-1]


def thin_script(long, short, piece=3):
    """``_thin_columns`` and ``_thin_pairs`` on two word lists, the long one read in pieces of
    ``piece`` words: (distance, pairs)."""
    pieces = [long[k:k + piece] for k in range(0, len(long), piece)]
    counts = Counter()
    columns = measures._thin_columns(len(long), short,
                                     measures._occurrences(pieces, short, counts))
    assert counts == Counter(long)
    return (len(long) + len(short) - int(columns[-1][1][-1]),
            measures._thin_pairs(len(long), columns))


def apply_pairs(long, short, pairs):
    """The script a pairing stands for, applied to ``long``: the unpaired long words deleted,
    the unpaired short words inserted in order, each paired long word replaced by its short
    word when they differ; (the result, the count of edits)."""
    out, edits = [], 0
    i = j = 0
    for pi, pj in [*pairs, (len(long), len(short))]:
        edits += (pi - i) + (pj - j)  # long[i:pi] deleted, short[j:pj] inserted
        out.extend(short[j:pj])
        if pi < len(long):
            edits += long[pi] != short[pj]
            out.append(short[pj])
        i, j = pi + 1, pj + 1
    return out, edits


def test_thin_distances_by_hand():
    # c a against a b c: every script has 3 edits (a b -> c a, c deleted; or a b deleted, a
    # inserted after c)
    assert thin_script(list("abc"), list("ca"))[0] == 3
    # two equal words kept, the other four deleted
    long = "the cat sat on the mat".split()
    assert thin_script(long, ["cat", "mat"]) == (4, [(1, 0), (5, 1)])
    # nothing in common: one substitution, two deletions
    assert thin_script(list("xyz"), ["q"])[0] == 3
    # nothing short: all deleted; nothing long: all inserted; a long side shorter than the short
    assert thin_script(list("xyz"), []) == (3, [])
    assert thin_script([], list("ab")) == (2, [])
    assert thin_script(["b"], list("abc")) == (2, [(0, 1)])
    # a repeated word: the walk back deletes long words back to where the count last rose, so
    # the first "a" is the one kept
    assert thin_script(list("aaab"), list("ab")) == (2, [(0, 0), (3, 1)])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=25), st.lists(st.sampled_from("abcde"),
                                                                 max_size=8),
       st.integers(1, 5))
def test_thin_script_is_minimal(long, short, piece):
    # the distance is the table's, and the pairing is a script of that many edits turning the
    # long side into the short one (pairs in order on both sides, each index in range), read
    # in any piece size; swapped, the long side shorter than the short one (n < m) too
    for x, y in ((long, short), (short, long)):
        distance, pairs = thin_script(x, y, piece)
        assert distance == levenshtein_table(x, y)
        assert all(0 <= i < len(x) and 0 <= j < len(y) for i, j in pairs)
        assert all(i1 < i2 and j1 < j2
                   for (i1, j1), (i2, j2) in zip(pairs, pairs[1:], strict=False))
        assert apply_pairs(x, y, pairs) == (y, distance)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.data(),
       st.integers(1, 4))
def test_words_at_are_the_listed_words(pieces, data, chunk):
    # any range of tokens (cut inside a word too), any words of it, counted in chunks of any
    # size: the words word_keys lists there
    tok = align(" ".join(pieces), "").a
    i0 = data.draw(st.integers(0, len(tok) - 1))
    i1 = data.draw(st.integers(i0 + 1, len(tok)))
    listed = word_keys(tok, i0, i1)
    indices = sorted(data.draw(st.sets(st.integers(0, len(listed) - 1))))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(measures, "_CHUNK", chunk)
        assert measures._words_at(tok, i0, i1, indices) == [listed[k] for k in indices]


def listed_and_thin(a_text: str, b_text: str, **patches) -> tuple:
    """Error rates and confusions with every window listed, then with every window read as a
    thin one (``THIN_WORDS`` 0); fresh alignments, as both are cached per alignment."""
    out = []
    for thin_words in (10**9, 0):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(measures, "THIN_WORDS", thin_words)
            for name, value in patches.items():
                mp.setattr(measures, name, value)
            al = align(a_text, b_text)
            out.append((error_rates(al), confusions(al, top=None)))
    return tuple(out)


def kept_words(text: str, table: dict, side: int) -> Counter:
    """A side's words less those the confusion table edits (on single-spaced text, what is
    left is what both sides keep)."""
    out = Counter(text.split())
    out.subtract({w: n for w, n in table["deletions" if side == 0 else "insertions"]})
    for x, y, n in table["substitutions"]:
        out[(x, y)[side]] -= n
    return +out


def test_a_long_missing_passage_read_thin():
    # the upload benchmark's shape, both ways round: the long side (a, then b) read in pieces
    a = "the cat sat " + " ".join(f"w{k % 7}" for k in range(300)) + " end"
    b = "the cat sat w3 z"
    for x, y in ((a, b), (b, a)):
        (listed, _), (thin, table) = listed_and_thin(x, y)
        assert thin == listed
        assert thin["words"]["errors"] == 300  # as the listed window's, by hand above
        assert kept_words(x, table, 0) == kept_words(y, table, 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCAB[:4] + ["x,", "e-f"]), max_size=50), EDITS,
       st.booleans())
def test_thin_windows_measure_as_listed_ones(a, edits, swap):
    # the same edit counts (the split into substitutions, deletions and insertions may differ
    # between equally short scripts) and character errors; the confusion tables add up to the
    # counts, and what they leave of each side is the same words
    b = corrupt(a, edits)
    x, y = (" ".join(b), " ".join(a)) if swap else (" ".join(a), " ".join(b))
    (listed, _), (thin, table) = listed_and_thin(x, y)
    assert thin["characters"] == listed["characters"]
    assert thin["words"]["errors"] == listed["words"]["errors"]
    words = thin["words"]
    assert words["deletions"] - words["insertions"] == words["original"] - words["corrupted"]
    for part, key in (("substitutions", "substitutions"), ("deletions", "deletions"),
                      ("insertions", "insertions")):
        assert sum(row[-1] for row in table[part]) == words[key]
    assert kept_words(x, table, 0) == kept_words(y, table, 1)


def test_thin_windows_too_large_to_pair_count_as_listed_ones():
    # past MAX_CELLS neither kind pairs words: both count the longer side's words (words) and
    # characters as the distance, the thin one without joining or listing them
    a = "p q " + " ".join(f"w{k % 5}" for k in range(40)) + " r s"
    b = "p q x y r s"
    for x, y in ((a, b), (b, a)):
        listed, thin = listed_and_thin(x, y, MAX_CELLS=20)
        assert thin == listed
        assert thin[0]["words"]["errors"] == 40  # 2 substitutions, 38 deletions
