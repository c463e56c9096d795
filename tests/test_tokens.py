"""Tokenizer offsets and comparison keys."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.tokens import (
    FAST_TOKEN_RE,
    TOKEN_RE,
    KeyOptions,
    Vocabulary,
    is_punctuation,
    tokenize,
)


def words(text):
    t = tokenize(text)
    return [t.token_text(i) for i in range(len(t))]


def test_offsets_index_the_text_as_given():
    text = "\ufeffA\r\nb’s  café\u0301 👩‍👩‍👧!"
    t = tokenize(text)
    assert words(text) == ["\ufeff", "A", "b", "’", "s", "café\u0301", "👩‍👩‍👧", "!"]
    for i in range(len(t)):
        assert text[t.starts[i] : t.ends[i]] == t.token_text(i)
        assert t.token_text(i).strip() == t.token_text(i)


def test_keys_fold_typography_but_strict_keeps_it():
    folded = Vocabulary()
    assert folded.key("“") == folded.key('"') and folded.key("—") == "-"
    assert folded.key("ﬁ") == "fi" and folded.key("e\u0301") == "\u00e9"
    strict = Vocabulary(KeyOptions(strict_typography=True))
    assert strict.key("“") != strict.key('"') and strict.key("e\u0301") == "\u00e9"
    assert Vocabulary(KeyOptions(ignore_case=True)).key("ÄB") == "äb"


SAFE = st.text(st.characters(min_codepoint=0, max_codepoint=0x2FF, exclude_characters="²³¹¼½¾")
               | st.sampled_from("’“”—–…€™ "), max_size=80)


@settings(max_examples=300, deadline=None)
@given(SAFE)
def test_fast_path_gives_the_same_tokens_as_the_unicode_engine(text):
    assert FAST_TOKEN_RE.findall(text) == TOKEN_RE.findall(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_tokens_cover_every_non_space_character(text):
    t = tokenize(text)
    covered = "".join(t.token_text(i) for i in range(len(t)))
    assert covered == "".join(c for c in text if not c.isspace())


def test_penn_treebank_escapes_are_the_brackets_and_quotes_they_stand_for():
    t = tokenize("-LRB- a -rrb- -LSB- -RSB- -lcb- -RCB- ``b'' ")
    assert words("-LRB- a -rrb- ``b''") == ["-LRB-", "a", "-rrb-", "``", "b", "''"]
    assert t.keys() == ["(", "a", ")", "[", "]", "{", "}", '"', "b", '"']
    # a hyphenated word that only looks like one stays three tokens
    assert words("x-LRBY-") == ["x", "-", "LRBY", "-"]


def test_unspaced_scripts_are_one_token_per_character():
    assert words("我们今天去北京") == list("我们今天去北京")
    assert words("カーテン ok") == ["カ", "ー", "テ", "ン", "ok"]
    # a Thai consonant keeps its vowel and tone marks (one grapheme cluster)
    assert words("ที่ดี") == ["ที่", "ดี"]


def test_case_folded_ids_pair_words_that_differ_only_in_case():
    vocab = Vocabulary()
    a, b = tokenize("The FUND", vocab), tokenize("the fund", vocab)
    assert a.ids != b.ids and a.fold_ids() == b.fold_ids() == b.ids
    assert a.keys(folded=True) == ["the", "fund"] and a.fold_ids(1, 2) == b.ids[1:2]
    assert vocab.cased_ids() == set(a.ids)
    assert not Vocabulary().cased_ids()


def test_punctuation_is_a_key_without_letters_or_digits():
    assert [is_punctuation(k) for k in (",", "--", "€", "S-400", "a", "½", "")] == [
        True, True, True, False, False, False, True]
