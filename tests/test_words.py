"""Words of a tokenized text: whitespace-separated units, keyed by their tokens' folded keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer import words
from viewer.tokens import KeyOptions, Vocabulary, tokenize
from viewer.words import (
    is_word_start,
    nth_word_start,
    shared_word_keys,
    word_boundaries,
    word_count,
    word_key_pieces,
    word_keys,
    word_starts,
)


def test_words_of_a_range():
    tok = tokenize("don't  S-400, go")
    assert word_keys(tok, 0, len(tok)) == ["don't", "S-400,", "go"]
    assert word_keys(tok, 1, 3) == ["'t"]  # a word cut by the range counts as its part inside
    assert word_keys(tok, 2, 2) == []
    assert [i for i in range(len(tok) + 1) if is_word_start(tok, i)] == [0, 3, 7, 8]


def test_word_keys_are_folded():
    # the raw text is not the key here: the slow path joins each word's keys
    tok = tokenize("“Fund” ﬁne", Vocabulary(KeyOptions(ignore_case=True)))
    assert word_keys(tok, 0, len(tok)) == ['"fund"', "fine"]


@given(st.text(st.sampled_from("ab ,'\n\t-“ﬁ")))
def test_word_count_and_keys_agree_with_split(text):
    tok = tokenize(text)
    assert word_count(tok) == len(text.split())
    assert len(word_keys(tok, 0, len(tok))) == len(text.split())
    assert "".join(word_keys(tok, 0, len(tok))) == "".join(tok.keys())


def test_word_count_of_a_range():
    tok = tokenize("don't  S-400, go")  # tokens: don ' t S - 400 , go
    assert word_count(tok, 0, len(tok)) == word_count(tok) == 3
    assert word_count(tok, 1, 3) == 1  # the part of don't inside the range
    assert word_count(tok, 2, 4) == 2  # t | S
    assert word_count(tok, 2, 2) == word_count(tok, 3, 1) == 0
    long = tokenize("a-b c " * 100)  # 400 tokens, 200 words: counted with numpy
    assert len(long) > words._SHORT
    assert word_count(long, 0, len(long)) == 200
    assert word_count(long, 1, 399) == 199  # -b c a-b … a-b: the first, cut, counts; not the last c
    assert word_count(long, 3, 400) == 199


def test_nth_word_start_counts_from_either_end():
    tok = tokenize("don't  S-400, go")  # tokens: don ' t S - 400 , go
    assert [nth_word_start(tok, 0, 8, r) for r in (0, 1, 2, -1, -2, -3)] == [0, 3, 7, 7, 3, 0]
    assert nth_word_start(tok, 1, 8, 0) == nth_word_start(tok, 1, 8, -3) == 1  # a cut word
    for rank in (3, -4):
        with pytest.raises(IndexError):
            nth_word_start(tok, 0, 8, rank)
    with pytest.raises(IndexError):
        nth_word_start(tok, 2, 2, 0)  # no word in an empty range
    long = tokenize("a-b c " * 100)  # 400 tokens: word k starts at token 4k (a-b) or 4k+3 (c)
    assert nth_word_start(long, 0, 400, 150) == 300
    assert nth_word_start(long, 0, 400, -1) == 399
    assert nth_word_start(long, 0, 400, -150) == 400 - 4 * 75  # the 150th word from the end


def test_word_key_pieces_are_cut_where_words_start():
    tok = tokenize("don't  S-400, go")
    assert list(word_key_pieces(tok, 0, len(tok), tokens=2)) == [["don't"], ["S-400,"], ["go"]]
    assert shared_word_keys(tok, 1, len(tok)) == ["'t", "S-400,", "go"]


def test_shared_word_keys_share_one_string_per_word():
    tok = tokenize("ab cd " * 1000)
    shared = shared_word_keys(tok, 0, len(tok))
    assert shared == ["ab", "cd"] * 1000
    assert len({id(w) for w in shared}) == 2


texts = st.text(st.sampled_from("ab ,'\n\t-“ﬁ"), max_size=300)


@given(texts, st.data())
def test_word_count_of_a_range_agrees_with_the_word_starts(text, data):
    # the reference: the word starts listed one by one (what word_count avoids building)
    tok = tokenize(text)
    i0 = data.draw(st.integers(0, len(tok)))
    i1 = data.draw(st.integers(i0, len(tok)))
    assert word_count(tok, i0, i1) == len(word_starts(tok, i0, i1)) == len(word_keys(tok, i0, i1))


@given(texts, st.data())
def test_nth_word_start_is_the_listed_word_start(text, data):
    tok = tokenize(text)
    i0 = data.draw(st.integers(0, len(tok)))
    i1 = data.draw(st.integers(i0, len(tok)))
    listed = word_starts(tok, i0, i1)
    rank = data.draw(st.integers(-len(listed) - 1, len(listed)))
    if -len(listed) <= rank < len(listed):
        assert nth_word_start(tok, i0, i1, rank) == listed[rank]
    else:
        with pytest.raises(IndexError):
            nth_word_start(tok, i0, i1, rank)


def test_words_read_offsets_of_either_width():
    # offsets of 8-byte ints (a text of 2**31 characters or more) read as such, not as pairs
    # of 4-byte ones
    from array import array

    from viewer.tokens import Tokens

    tok = tokenize("a-b c " * 100)
    wide = Tokens(tok.text, array("q", tok.starts), array("q", tok.ends), tok.ids, tok.vocab)
    assert word_count(wide) == word_count(tok) == 200
    assert word_boundaries(wide).tolist() == word_boundaries(tok).tolist()
    assert nth_word_start(wide, 0, len(wide), -150) == nth_word_start(tok, 0, len(tok), -150)


@given(texts)
def test_word_boundaries_are_the_word_starts(text):
    tok = tokenize(text)
    assert word_boundaries(tok).tolist() == [is_word_start(tok, i) for i in range(len(tok) + 1)]


@given(texts, st.integers(1, 5), st.data())
def test_word_key_pieces_join_to_the_word_keys(text, tokens, data):
    tok = tokenize(text)
    i0 = data.draw(st.integers(0, len(tok)))
    i1 = data.draw(st.integers(i0, len(tok)))
    pieces = list(word_key_pieces(tok, i0, i1, tokens))
    assert [w for piece in pieces for w in piece] == word_keys(tok, i0, i1)
    assert all(pieces)  # no empty piece
    assert shared_word_keys(tok, i0, i1) == word_keys(tok, i0, i1)
