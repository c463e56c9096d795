"""Words of a tokenized text: whitespace-separated units, keyed by their tokens' folded keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from viewer.tokens import KeyOptions, Vocabulary, tokenize
from viewer.words import is_word_start, word_count, word_keys


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
