"""Tokenizer offsets and comparison keys."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.tokens import FAST_TOKEN_RE, TOKEN_RE, KeyOptions, Vocabulary, tokenize


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
