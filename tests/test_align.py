"""The aligner: literal cases from the example pair, small literal cases, and properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import align


def texts(al):
    return [(h.kind, *al.hunk_texts(h)) for h in al.hunks]


def find(al, a_text=None, b_text=None):
    """Hunks whose original (and/or corrupted) text is exactly the given one."""
    return [
        h for h in al.hunks
        if (a_text is None or al.hunk_texts(h)[0] == a_text)
        and (b_text is None or al.hunk_texts(h)[1] == b_text)
    ]


# --- the example pair ---------------------------------------------------------------------


def test_retokenization_never_shows(example):
    for _, a_txt, b_txt in texts(example):
        # `Turkey ’s`, `Y. P. G.`, `U. S.`, `they ’ve` and straightened quotes are no hunk
        assert a_txt.replace(" ", "") != b_txt.replace(" ", "")
    for word in ("Turkey’s", "Y.P.G.", "they’ve", "“This", "“stab"):
        offset = example.a_text.index(word)
        assert not any(h.a[0] <= offset < h.a[1] for h in example.hunks), word


def test_compound_removed_is_missing_at_the_placeholder(example):
    (h,) = find(example, "Russian-Turkish")
    assert h.kind == "missing"
    assert h.gap is not None
    run = example.b_text[h.gap[0] : h.gap[1]]
    assert len(run) >= 3 and not run.strip()
    assert example.b_text[h.gap[0] - len("budding") : h.gap[1] + 1] == "budding" + run + "p"
    assert h.b[0] == h.b[1] == h.gap[0]
    for compound in ("self-declared", "F-16", "cease-fire", "al-Assad"):
        (h,) = find(example, compound)
        assert h.kind == "missing" and h.gap, compound


def test_mention_swap_is_one_substitution(example):
    # `fight against the militant group` vs `fight the Turks the militant group`
    (h,) = find(example, "against", "the Turks")
    assert h.kind == "substituted"
    (h,) = find(example, "might", "the Kremlin’s")
    assert h.kind == "substituted"


def test_inserted_paragraph_is_one_inserted_hunk(example):
    hunks = [h for h in example.hunks if "rapprochement" in example.hunk_texts(h)[1]]
    assert len(hunks) == 1
    (h,) = hunks
    assert h.kind == "inserted"
    b_txt = example.hunk_texts(h)[1]
    assert b_txt.startswith("The") and "inexplicably is not providing" in b_txt
    assert h.a[0] == h.a[1]
    # its neighbours are the small substitutions around it, not smeared into it
    before, after = example.hunks[h.id - 1], example.hunks[h.id + 1]
    assert example.hunk_texts(after) == ("President-elect Donald J", "the U. S")
    assert len(example.hunk_texts(before)[1]) < 20


def test_trailing_debris_is_inserted(example):
    last = example.hunks[-1]
    assert last.kind == "inserted"
    assert example.hunk_texts(last)[1] == "the   coalition"


def test_example_counts(example):
    kinds = [h.kind for h in example.hunks]
    assert 60 <= len(kinds) <= 90
    assert {"missing", "substituted", "inserted"} <= set(kinds)


def test_character_level_differences_inside_a_substitution():
    al = align("I saw the cat.", "I saw tbe cat.")
    (h,) = al.hunks
    assert al.hunk_texts(h) == ("the", "tbe")
    assert al.char_opcodes(h) == [
        ("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2), ("equal", 2, 3, 2, 3)]


# --- literal cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Turkey’s offensive", "Turkey ’s offensive"),
        ("the Y.P.G. said", "the Y. P. G. said"),
        ("he didn't go", "he did n't go"),
        ("“quoted” and ‘single’", '"quoted" and \'single\''),
        ("a cease-fire — now", "a cease–fire - now"),
        ("caf\u00e9 cr\u00e8me", unicodedata.normalize("NFD", "caf\u00e9 cr\u00e8me")),
        ("one\ntwo\r\nthree", "one   two three"),
        ("Mr. C O O K E said", "Mr. COOKE said"),
        ("Mr. WALLA CK said", "Mr. WALLACK said"),
        ("the ﬁne print", "the fine print"),
        ("wait…", "wait..."),
    ],
)
def test_not_corruption(a, b):
    assert align(a, b).hunks == ()
    assert align(b, a).hunks == ()


def test_ignore_case_option():
    assert len(align("The Cat", "the cat").hunks) == 2  # each misspelt word its own hunk
    assert align("The Cat", "the cat", ignore_case=True).hunks == ()


def test_strict_typography_option():
    assert align("it’s", "it's").hunks == ()
    (h,) = align("it’s", "it's", strict_typography=True).hunks
    assert h.kind == "substituted"


def test_one_letter_ocr_error_is_that_word_only():
    al = align("Der Mann ſah das Haus und ging", "Der Mann ſah das Hans und ging")
    assert texts(al) == [("substituted", "Haus", "Hans")]


def test_ocr_misreadings_in_a_row_are_one_hunk_per_word():
    al = align("Sie hatten den Schreiber gesehen", "Sie hattcn dcn Schrciber gesehen")
    assert texts(al) == [("substituted", "hatten", "hattcn"), ("substituted", "den", "dcn"),
                         ("substituted", "Schreiber", "Schrciber")]
    # a swapped phrase of unrelated words stays one hunk
    al = align("the United States said", "the Islamic State said")
    assert texts(al) == [("substituted", "United States", "Islamic State")]


def test_private_use_letters_stay_inside_their_word():
    al = align("Inquitin gelaen wurde", "Inquiſitin gelaſſen wurde")
    assert [h.kind for h in al.hunks] == ["substituted", "substituted"]
    assert al.hunk_texts(al.hunks[0]) == ("Inquitin", "Inquiſitin")


def test_retokenized_word_next_to_real_change():
    al = align("Mr. WALLA CK went home", "Mr. WALLACK want home")
    assert texts(al) == [("substituted", "went", "want")]


def test_missing_without_placeholder_points_after_previous_token():
    al = align("one two three four", "one two four")
    (h,) = al.hunks
    assert (h.kind, al.hunk_texts(h)) == ("missing", ("three", ""))
    assert h.b == (7, 7) and h.gap is None


def test_inserted_has_empty_original_span():
    al = align("one two four", "one two three four")
    (h,) = al.hunks
    assert h.kind == "inserted" and h.a[0] == h.a[1] == 8


def test_unrelated_texts_are_bounded_and_fast():
    import random

    rng = random.Random(1)
    a = " ".join(f"w{rng.randrange(50)}" for _ in range(60_000))
    b = " ".join(f"v{rng.randrange(50)}" for _ in range(60_000))
    al = align(a, b)
    assert [h.kind for h in al.hunks] == ["substituted"]
    assert al.bounded


def test_unrelated_texts_with_a_shared_vocabulary_are_bounded():
    # how fast this is goes in benchmarks/speed.py; here: unrelated stretches become bounded
    # blocks instead of an exact alignment of chance matches
    import random

    rng = random.Random(2)
    a = " ".join(f"w{rng.randrange(50_000)}" for _ in range(200_000))
    b = " ".join(f"w{rng.randrange(50_000)}" for _ in range(200_000))
    al = align(a, b)
    assert al.bounded and len(al.hunks) <= 10


def test_related_texts_of_few_distinct_words_align_word_by_word():
    import random

    rng = random.Random(3)
    words = [f"w{rng.randrange(60)}" for _ in range(120_000)]  # no word is unique
    changed = list(words)
    for k in range(0, len(changed), 500):
        changed[k] = "zz"
    al = align(" ".join(words), " ".join(changed))
    assert not al.bounded
    assert len(al.hunks) == len(range(0, len(changed), 500))
    assert {al.hunk_texts(h)[1] for h in al.hunks} == {"zz"}


def test_line_ends_do_not_change_the_differences(example):
    a, b = example.a_text, example.b_text
    expected = [(h.kind, *example.hunk_texts(h)) for h in example.hunks]
    for nl in ("\r\n", "\r"):
        al = align(a.replace("\n", nl), b.replace("\n", nl))
        got = [(h.kind, *(t.replace(nl, "\n") for t in al.hunk_texts(h))) for h in al.hunks]
        assert got == expected


def test_empty_and_whitespace_texts():
    assert align("", "").hunks == ()
    assert align("   \n ", "\t").hunks == ()
    (h,) = align("", "new words").hunks
    assert h.kind == "inserted"
    (h,) = align("old words", "  ").hunks
    assert h.kind == "missing"


def test_long_token_and_long_line():
    big = "x" * 200_000
    assert align(big, big).hunks == ()
    line = " ".join(f"w{i}" for i in range(150_000))
    al = align(line, line.replace("w777 ", "changed "))
    assert texts(al) == [("substituted", "w777", "changed")]


# --- properties ---------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["the", "The", "cat", "sat", "on", "a", "mat", ",", ".", "’s", "U.S.", "don't", "—", "-",
     "“", "”", "Al", "Bab", "café", "e\u0301", "\u0628\u064e", "\u200b", "👩‍👩‍👧", "\n", "  "])
TEXTS = st.lists(WORDS, max_size=40).map(" ".join)


def check_tiling(al):
    """Differences are ordered, inside the texts, and everything between them is equal."""
    i = j = 0
    for h in al.hunks:
        assert h.ta[0] >= i and h.tb[0] >= j
        assert al.a.keys(i, h.ta[0]) == al.b.keys(j, h.tb[0]) or (
            "".join(al.a.keys(i, h.ta[0])) == "".join(al.b.keys(j, h.tb[0])))
        assert (h.ta[0] < h.ta[1]) or (h.tb[0] < h.tb[1])
        assert 0 <= h.a[0] <= h.a[1] <= len(al.a_text)
        assert 0 <= h.b[0] <= h.b[1] <= len(al.b_text)
        i, j = h.ta[1], h.tb[1]
    assert "".join(al.a.keys(i)) == "".join(al.b.keys(j))
    segs = list(al.segments())
    assert sum(s[2] - s[1] for s in segs) == len(al.a)
    assert sum(s[4] - s[3] for s in segs) == len(al.b)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_hunks_tile_both_texts(a, b):
    al = align(a, b)
    check_tiling(al)
    assert [h.id for h in al.hunks] == list(range(len(al.hunks)))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_identical_texts_give_no_hunk(a):
    assert align(a, a).hunks == ()


@st.composite
def edited_pair(draw):
    """An original of distinct words and a copy edited in place (words deleted, inserted and
    replaced by new words), so that the alignment is unambiguous."""
    n = draw(st.integers(0, 30))
    a = [f"w{i}" for i in range(n)]
    b = []
    fresh = iter(range(1000))
    for word in a:
        op = draw(st.sampled_from(["keep", "keep", "keep", "drop", "replace", "insert"]))
        if op == "insert":
            b.append(f"n{next(fresh)}")
        if op == "replace":
            b.append(f"n{next(fresh)}")
        elif op != "drop":
            b.append(word)
    return " ".join(a), " ".join(b)


@settings(max_examples=300, deadline=None)
@given(edited_pair())
def test_swapping_sides_swaps_missing_and_inserted(pair):
    a, b = pair
    fwd, back = align(a, b), align(b, a)
    swap = {"missing": "inserted", "inserted": "missing", "substituted": "substituted"}
    assert [(swap[h.kind], h.tb, h.ta) for h in fwd.hunks] == [
        (h.kind, h.ta, h.tb) for h in back.hunks]


def retokenize(text: str) -> str:
    """PTB-style re-spacing: every token on its own, curly quotes straightened."""
    from viewer.tokens import tokenize

    t = tokenize(text)
    out = " ".join(t.token_text(i) for i in range(len(t)))
    return out.replace("“", '"').replace("”", '"')


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_retokenization_gives_no_hunk(a):
    assert align(a, retokenize(a)).hunks == ()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_arbitrary_unicode_never_raises(a, b):
    al = align(a, b)
    check_tiling(al)
    align(a, b, ignore_case=True, strict_typography=True)
