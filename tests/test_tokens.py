"""Tokenizer offsets and comparison keys."""

from __future__ import annotations

from contextlib import contextmanager

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


def test_a_long_range_is_folded_a_piece_at_a_time(monkeypatch):
    import viewer.tokens

    monkeypatch.setattr(viewer.tokens, "_PIECE", 2)  # pieces of 2 ids: the text's 5 cut thrice
    vocab = Vocabulary()
    a, b = tokenize("a b c d The", vocab), tokenize("a b c d the", vocab)
    assert a.fold_ids() == a.fold_ids(0, 5) == b.ids  # the capital in the last piece
    assert a.fold_ids(1, 4) == b.ids[1:4]
    assert a.cased_free(0, 4) and not a.cased_free(3, 5) and not a.cased_free()
    assert b.cased_free()


def test_punctuation_is_a_key_without_letters_or_digits():
    assert [is_punctuation(k) for k in (",", "--", "€", "S-400", "a", "½", "")] == [
        True, True, True, False, False, False, True]


def _reference_spans(text):
    """Token spans from the Unicode engine's matches, one ``finditer`` over the whole text,
    each match's leading whitespace cut off: the obvious way, without chunks or lengths."""
    return [(m.end() - len(m.group().lstrip()), m.end()) for m in TOKEN_RE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(SAFE)
def test_fast_path_offsets_are_the_unicode_engines_spans(text):
    # the fast path places tokens by their lengths and the non-space characters; a broken
    # placement (a space counted, an off-by-one after a tab or U+2028) moves every later token
    t = tokenize(text)
    assert list(zip(t.starts, t.ends, strict=True)) == _reference_spans(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(SAFE | st.text(max_size=20), max_size=8).map(" \n".join))
def test_chunked_tokens_equal_the_whole_texts(text):
    # chunks of a few characters: every chunk boundary (after an ASCII letter or digit, at a
    # space) must leave the tokens and their ids as one pass over the whole text gives them
    import viewer.tokens as tokens

    saved = tokens.CHUNK_CHARS
    try:
        tokens.CHUNK_CHARS = 5
        chunked = tokenize(text)
    finally:
        tokens.CHUNK_CHARS = saved
    assert list(zip(chunked.starts, chunked.ends, strict=True)) == _reference_spans(text)
    assert chunked.keys() == tokenize(text).keys()


def test_fast_path_offsets_after_tabs_and_unicode_spaces():
    text = "a\t\u2028b,\u00a0\u2003’c  "
    t = tokenize(text)
    assert list(zip(t.starts, t.ends, strict=True)) == [(0, 1), (3, 4), (4, 5), (7, 8), (8, 9)]
    assert words(text) == ["a", "b", ",", "’", "c"]


# --- the fast path in arrays (``_plain_tokens``), forced on small texts -------------------------


@contextmanager
def patched(**values):
    """``viewer.tokens``' module constants set for the block (hypothesis runs a test body many
    times: no function-scoped fixture)."""
    import viewer.tokens as tokens

    saved = {name: getattr(tokens, name) for name in values}
    try:
        for name, value in values.items():
            setattr(tokens, name, value)
        yield tokens
    finally:
        for name, value in saved.items():
            setattr(tokens, name, value)


@settings(max_examples=300, deadline=None)
@given(SAFE)
def test_tokens_in_arrays_are_the_unicode_engines(text):
    # a wrong class for a character (a word character taken for punctuation, a space for a
    # token), a token boundary off by one, or ids mixed up between groups would show here
    with patched(PLAIN_CHARS=0):
        t = tokenize(text)
    assert list(zip(t.starts, t.ends, strict=True)) == _reference_spans(text)
    assert t.keys() == [Vocabulary().key(w) for w in words(text)]


def test_tokens_in_arrays_equal_findalls_on_a_hyphenated_text():
    text = "Tbe well-known ’s café — 3.5 % of U.S. x_y  naïve\n\tend. " * 40
    with patched(PLAIN_CHARS=0):
        arrays = tokenize(text)
    findall = tokenize(text)
    assert arrays.starts == findall.starts and arrays.ends == findall.ends
    assert arrays.keys() == findall.keys()


def test_hash_collisions_fall_back_to_findall():
    # base 1: a token's hash is the sum of its code points, so anagrams collide; comparing the
    # characters must catch it, else "ba" would get the id of "ab"
    with patched(PLAIN_CHARS=0, _HASH_BASE=1) as tokens:
        assert tokens._plain_tokens("ab ba ab", Vocabulary()) is None
        assert tokenize("ab ba ab").keys() == ["ab", "ba", "ab"]
        assert tokens._plain_tokens("ab cd ab", Vocabulary()) is not None  # no collision


def test_penn_treebank_escapes_keep_findall_in_large_texts():
    text = "x -LRB- y -rrb- ``z'' " * 20
    with patched(PLAIN_CHARS=0):
        t = tokenize(text)
    assert t.keys()[:9] == ["x", "(", "y", ")", '"', "z", '"', "x", "("]


def test_the_forked_sides_tokens_are_those_of_one_process():
    # the corrupted side tokenized in a forked child (forced here on small texts) comes back
    # with the same offsets and keys, its ids interned in the parent's vocabulary: the same
    # int objects as the original side's for the same key
    from viewer.tokens import tokenize_pair

    a = "The well-known café, tbe end. " * 500
    b = "The well known cafe ; the end -LRB- x -RRB- " * 500
    with patched(PARALLEL_CHARS=0):
        ta, tb = tokenize_pair(a, b, Vocabulary())
    alone = tokenize(b)
    assert tb.starts == alone.starts and tb.ends == alone.ends and tb.keys() == alone.keys()
    assert tb.starts.typecode == tb.ends.typecode == alone.starts.typecode  # not read as int64
    assert ta.vocab is tb.vocab and ta.keys() == tokenize(a).keys()
    assert ta.ids[0] is tb.ids[0] and ta.ids[-2] is tb.ids[-4]  # "The", "end"


def test_offsets_are_4_byte_ints_below_2_gigacharacters():
    from viewer.tokens import offset_typecode

    with patched(PLAIN_CHARS=0):  # the array path as well as findall's
        for t in (tokenize("ab, cd " * 3), tokenize("ab, cd " * 3 + "é")):
            assert t.starts.typecode == t.ends.typecode == "i" and t.starts.itemsize == 4
            assert list(t.starts)[:4] == [0, 2, 4, 7] and list(t.ends)[:4] == [2, 3, 6, 9]

    class Huge(str):  # a text as long as the first offset a 4-byte int cannot hold
        def __len__(self):
            return 2**31

    assert offset_typecode("x") == "i" and offset_typecode(Huge("x")) == "q"


def test_id_arrays_are_kept_only_inside_the_block():
    from viewer.tokens import id_array, id_arrays_kept

    t = tokenize("a b a c")
    assert id_array(t).tolist() == t.ids and id_array(t) is not id_array(t)
    with id_arrays_kept():
        kept = id_array(t)
        assert id_array(t) is kept and kept.tolist() == t.ids
    assert id_array(t) is not kept
