"""Tokenizer with character offsets, and the comparison keys that fold away what is not corruption.

A token is a run of word characters (letters, digits, underscore and the combining marks that
belong to them) or a single non-space grapheme cluster (punctuation, a symbol, an emoji ZWJ
sequence). Offsets are ``str`` indices into the text as given, end exclusive.

The comparison key is where typography is folded, in this one place: Unicode compatibility
normalisation (NFKC: NFC vs NFD, ligatures, full-width forms), curly quotes and apostrophes to
straight ones, every dash to ``-``, Penn Treebank escapes to what they escape (``-LRB-`` is
``(``, ``` `` ``` is ``"``), optionally case, and optionally historical typography (``ſ`` as
``s``, ligatures unjoined, MUFI private-use characters in their standard spelling: the
published table of ``viewer/historical.py``). Whitespace never reaches a key, so re-spacing
and line breaks can never make a difference. (Ignoring punctuation is no folding: punctuation
still aligns, and ``align.classify`` drops the differences made of it alone.)

Each key also has a case-folded twin (``Vocabulary.fold_table``): what the diff leaves unmatched
is aligned again on folded keys, so that words differing only in case still pair up, and the
case difference is reported afterwards.

Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
are one token per grapheme cluster: their clauses compare character by character.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import regex

# Exactly the characters ``str.isspace`` calls whitespace, so that ``str.lstrip`` below and the
# pattern agree on every code point.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Word characters keep their combining marks (NFD text, Arabic harakat, Devanagari signs) and
# Private Use Area characters (the ligatures and letters of OCR ground truth in MUFI fonts);
# anything else is one grapheme cluster, so an emoji ZWJ sequence or a letter with a stacked
# accent on punctuation is never split. Each match carries the whitespace before its token, so
# offsets follow from the lengths alone (one C-speed ``findall`` instead of a match object per
# token).
#
# Penn Treebank escapes (``-LRB-``, ``` `` ```, ``''``) are one token each, so that their keys can
# be the bracket or quote they stand for (tried after words: they start with no word character,
# and most tokens are words).
_PTB_TOKEN = r"-(?i:[lr][rsc]b)-|``|''"
# (Script, not Script_Extensions: the latter puts U+02BC, a modifier apostrophe, in Thai; the
# prolonged sound mark ー is Common and added by hand.)
_UNSPACED_SCRIPTS = "".join(
    rf"\p{{sc={s}}}" for s in ("Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar")
) + "\u30fc"
TOKEN_RE = regex.compile(
    rf"[{WHITESPACE}]*+(?:[[\w\p{{M}}\p{{Co}}]--[{_UNSPACED_SCRIPTS}]]++|{_PTB_TOKEN}"
    rf"|(?![{WHITESPACE}])\X)", regex.V1)
# Text made only of characters that never join a grapheme cluster and that both engines call
# word or non-word alike (Latin-1 less ² ³ ¹ ¼ ½ ¾, Latin Extended, IPA, general punctuation
# less the joiners, currency, letterlike symbols) gets the same tokens from the standard-library
# engine, which is twice as fast.
_FAST_SAFE = re.compile(
    "[^\x00-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u2000-\u200b\u200e-\u203e\u2041-\u2053"
    "\u2055-\u205f\u20a0-\u20bf\u2100-\u214f]"
)
FAST_TOKEN_RE = re.compile(rf"[{WHITESPACE}]*+(?:\w+|{_PTB_TOKEN}|[^\w{WHITESPACE}])")
# The same tokens without the whitespace before them (what ``str.lstrip`` leaves of each piece
# above): on that text every non-space character is in exactly one token, \w or not, and no
# token holds a space, so the offsets follow from the lengths and where the spaces are, with
# no second string per token.
FAST_WORD_RE = re.compile(rf"\w+|{_PTB_TOKEN}|[^\w{WHITESPACE}]")
# ``_IS_SPACE[min(code point, len - 1)]``: whether a character is whitespace (the last code
# point ``str.isspace`` accepts is U+3000; the table's last entry stands for all above it)
_IS_SPACE = np.array([chr(c).isspace() for c in range(0x3002)], dtype=bool)
# Where the fast path can do without ``findall`` (``_plain_tokens``): no Penn Treebank escape
# in the chunk, so that every token is a run of word characters or one other character, and
# at least ``PLAIN_CHARS`` characters (below that, numpy's fixed costs are more than it saves:
# a sentence takes 0.02 ms with ``findall``, 0.06 ms in arrays).
_PTB_RE = re.compile(_PTB_TOKEN)
PLAIN_CHARS = 10_000
# ``_FAST_CLASS[code point]`` for the fast path's characters (all below U+2150, the end of
# ``_FAST_SAFE``'s letterlike symbols), as the pattern above sees them: 0 whitespace, 1 a word
# character (``\w``), 2 any other (a token of its own).
_FAST_CLASS = np.array([0 if c.isspace() else 1 if word_char(c) else 2
                        for word_char in [re.compile(r"\w").match]
                        for c in map(chr, range(0x2150))], dtype=np.uint8)
# The tokens' polynomial hash (mod 2**64; an odd base, so that its powers never vanish); a
# collision is caught by comparing every token's characters with its group's first
# (``_plain_tokens``).
_HASH_BASE = 0x9E3779B97F4A7C15

# Quotes, apostrophes and dashes that typesetting or re-tokenization changes freely.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "`": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    }
)
# Penn Treebank escapes (after the folding above has made ```` `` ```` into ``''``).
PTB_ESCAPES = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{",
               "-RCB-": "}", "``": '"', "''": '"'}


def is_punctuation(key: str) -> bool:
    """A key with no letter or digit: punctuation or symbols (``,``, ``--``, ``€``)."""
    return not (key.isalnum() or any(map(str.isalnum, key)))  # most keys are words: one call


@dataclass(frozen=True)
class KeyOptions:
    """How tokens are compared. The defaults fold typography and keep case."""

    ignore_case: bool = False
    strict_typography: bool = False
    # OCR ground truth of old prints: ``ſ`` = ``s``, ``U+F1BB`` (MUFI's ch ligature) = ``ch``
    fold_historical: bool = False


def make_key_function(options: KeyOptions):
    """Return a memoised ``token text -> comparison key`` function for these options."""
    cache: dict[str, str] = {}
    strict = options.strict_typography
    fold_case = options.ignore_case
    historical = _historical_table() if options.fold_historical else None

    def key(text: str) -> str:
        k = cache.get(text)
        if k is None:
            k = text
            if historical is not None:
                # decomposed first, so that a long s under an accent (``ẛ``) folds too; the
                # normalisation below composes again
                k = unicodedata.normalize("NFD", k).translate(historical)
            if strict:
                k = unicodedata.normalize("NFC", k)
            else:
                k = unicodedata.normalize("NFKC", k).translate(_TYPOGRAPHY)
                # NFKC can turn one token into several characters with spaces (e.g. U+FDFA);
                # whitespace never counts.
                if " " in k or not k.isprintable():
                    k = "".join(k.split())
            if len(k) <= 5:  # re-tokenization, not corruption, in strict mode too
                k = PTB_ESCAPES.get(k.upper(), k)
            if fold_case:
                k = k.casefold()
            cache[text] = k
        return k

    return key


def _historical_table() -> dict[int, str]:
    """The Historical typography option's table (imported only when the option is on)."""
    from .historical import HISTORICAL

    return HISTORICAL


class Vocabulary:
    """Interns comparison keys as small integers, shared by the two sides of one alignment:
    ``ids_for`` maps token texts to key ids, ``keys[id]`` is the key, ``fold_table()[id]`` the
    id of its case-folded key (itself when folding changes nothing)."""

    def __init__(self, options: KeyOptions = KeyOptions()):
        self.options = options
        self.key = make_key_function(options)
        self.keys: list[str] = []
        # ``fold_table``, built on demand (most alignments never ask) and extended as keys come
        self._fold_of: list[int] = []
        # the ids whose key differs from its case-folded twin
        self._cased: set[int] = set()
        self._id_by_key: dict[str, int] = {}
        self._id_by_text: dict[str, int] = {}

    def __getstate__(self):  # the memoised key function is rebuilt, not pickled
        state = self.__dict__.copy()
        del state["key"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.key = make_key_function(self.options)

    def intern(self, key: str) -> int:
        kid = self._id_by_key.get(key)
        if kid is None:
            kid = self._id_by_key[key] = len(self.keys)
            self.keys.append(key)
        return kid

    def fold_table(self) -> list[int]:
        """``fold_table()[id]``: the id of the case-folded key of key ``id``, for every key."""
        fold_of, keys = self._fold_of, self.keys
        while len(fold_of) < len(keys):  # interning a folded key adds keys: loop till done
            kid = len(fold_of)
            key = keys[kid]
            folded = key.casefold()
            if folded == key:
                fold_of.append(kid)
            else:
                fold_of.append(-1)  # a placeholder while the folded key is interned
                fold_of[kid] = self.intern(folded)
                self._cased.add(kid)
        return fold_of

    def cased_ids(self) -> set[int]:
        """The ids whose key changes when case-folded (``Fund``, ``FUND``; not ``fund``)."""
        self.fold_table()
        return self._cased

    def ids_for(self, texts: list[str]) -> list[int]:
        by_text = self._id_by_text
        for t in set(texts).difference(by_text):
            by_text[t] = self.intern(self.key(t))
        return list(map(by_text.__getitem__, texts))


# Long ranges of ids are read this many at a time, not copied whole (ten million are 80 MB).
_PIECE = 1 << 16


def id_pieces(ids: list[int], i: int, j: int, size: int | None = None):
    """``ids[i:j]`` as consecutive slices of at most ``size`` ids (``_PIECE`` by default): a
    long range is read without a copy of it all."""
    size = size or _PIECE
    for p in range(i, j, size):
        yield ids[p : min(p + size, j)]


@dataclass(frozen=True, eq=False)
class Tokens:
    """The tokens of one text: parallel columns of offsets (``array``s, of the typecode
    ``offset_typecode`` gives) and key ids."""

    text: str
    starts: array = field(repr=False)
    ends: array = field(repr=False)
    ids: list[int] = field(repr=False)
    vocab: Vocabulary = field(repr=False)

    def __post_init__(self):
        if not (len(self.starts) == len(self.ends) == len(self.ids)):
            raise ValueError("token columns differ in length")

    def __len__(self) -> int:
        return len(self.starts)

    def cased_free(self, i: int = 0, j: int | None = None) -> bool:
        """Whether no token of ``i..j`` has a key that case-folding changes."""
        cased = self.vocab.cased_ids()
        j = len(self) if j is None else j
        if not cased or j - i <= _PIECE:  # most ranges: one piece, no generator
            return not cased or cased.isdisjoint(self.ids[i:j])
        return all(map(cased.isdisjoint, id_pieces(self.ids, i, j)))

    def fold_ids(self, i: int = 0, j: int | None = None) -> list[int]:
        """Key ids of tokens ``i..j`` with case folded (``ids[i:j]`` itself when none changes)."""
        if self.cased_free(i, j):
            return self.ids[i:j]
        fold_of = self.vocab.fold_table()
        j = len(self) if j is None else j
        if j - i <= _PIECE:
            return list(map(fold_of.__getitem__, self.ids[i:j]))
        folded: list[int] = []
        for piece in id_pieces(self.ids, i, j):
            folded += map(fold_of.__getitem__, piece)
        return folded

    def keys(self, i: int = 0, j: int | None = None, *, folded: bool = False) -> list[str]:
        keys = self.vocab.keys
        return [keys[k] for k in (self.fold_ids(i, j) if folded else self.ids[i:j])]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Character span of tokens ``i..j`` (end exclusive); an empty range gives a point."""
        if i < j:
            return self.starts[i], self.ends[j - 1]
        point = self.starts[i] if i < len(self.starts) else len(self.text)
        return point, point

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]


# ``id_array``'s arrays while ``id_arrays_kept()`` is on; None when off.
_KEPT_ARRAYS: weakref.WeakKeyDictionary | None = None


def id_array(tok: Tokens) -> np.ndarray:
    """``tok.ids`` as an int64 array (read only). Inside ``id_arrays_kept()`` made once per
    Tokens, else anew on every call."""
    kept = _KEPT_ARRAYS
    if kept is None:
        return np.asarray(tok.ids, dtype=np.int64)
    got = kept.get(tok)
    if got is None:
        got = kept[tok] = np.asarray(tok.ids, dtype=np.int64)
    return got


def kept_id_array(tok: Tokens) -> np.ndarray | None:
    """``id_array(tok)`` inside ``id_arrays_kept()`` (made once, shared by every stage), else
    None: a stage that would make a whole text's array for itself alone reads the list a piece
    at a time instead (the page keeps alignments, not 8 bytes a token more for each)."""
    return None if _KEPT_ARRAYS is None else id_array(tok)


@contextmanager
def id_arrays_kept():
    """Keep ``id_array``'s arrays while the block runs. The command line's one alignment is
    read by several stages in arrays (the diff's anchors, the clean-up's counts, the error
    rates, the provenance: a million ids copied five times, 30 ms each); the page, which keeps
    alignments, does not keep 8 more bytes a token for each."""
    global _KEPT_ARRAYS
    saved = _KEPT_ARRAYS
    _KEPT_ARRAYS = weakref.WeakKeyDictionary()
    try:
        yield
    finally:
        _KEPT_ARRAYS = saved


# Above this many characters in all, the two sides are tokenized in two processes.
PARALLEL_CHARS = 2_000_000


def tokenize_pair(a_text: str, b_text: str, vocab: Vocabulary) -> tuple[Tokens, Tokens]:
    """Tokenize both sides; large texts in parallel, the corrupted side in a forked process
    (tokenizing is pure-Python bound, and a second core halves it). Forking is only done from
    a single-threaded program (the command line): a web server's threads stay safe."""
    import os
    import threading

    if (len(a_text) + len(b_text) < PARALLEL_CHARS or threading.active_count() > 1
            or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2):
        return tokenize(a_text, vocab), tokenize(b_text, vocab)
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: tokenize the corrupted side, send its columns, leave at once
        status = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(_columns(b_text, vocab.options), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        ta = tokenize(a_text, vocab)
        with os.fdopen(read_end, "rb") as inp:
            keys, ids, typecode, starts, ends = pickle.load(inp)
    except (EOFError, pickle.UnpicklingError, ValueError):  # the child failed: do it here
        return ta, tokenize(b_text, vocab)
    finally:
        os.waitpid(pid, 0)
    b_ids = shared_ints(list(map(vocab.intern, keys)), np.frombuffer(ids, dtype=np.int64))
    s_arr, e_arr = array(typecode), array(typecode)
    s_arr.frombytes(starts)
    e_arr.frombytes(ends)
    return ta, Tokens(b_text, s_arr, e_arr, b_ids, vocab)


def shared_ints(values: list[int], index: np.ndarray) -> list[int]:
    """``[values[k] for k in index]`` holding ``values``' own int objects, as ``ids_for``
    gives them (``ndarray.tolist()`` would make a new 32-byte int for every token), copied
    in C through an object array: six times faster than a ``map``."""
    return np.array(values, dtype=object)[index].tolist()


def _columns(text: str, options: KeyOptions):
    """Tokens of ``text`` as bytes and the key list, cheap to send between processes."""
    tok = tokenize(text, Vocabulary(options))
    ids = np.asarray(tok.ids, dtype=np.int64).tobytes()
    return tok.vocab.keys, ids, tok.starts.typecode, tok.starts.tobytes(), tok.ends.tobytes()


# Tokens are found a chunk of text at a time: ``findall`` makes a str object for every token
# (and, off the fast path, ``lstrip`` another), ~100 bytes a token that a whole million-token
# text would hold at once only to measure lengths; a chunk's are freed before the next is read
# (H13: the peak of aligning a generated million-token pair fell from 99 to 52 bytes a token).
CHUNK_CHARS = 1 << 20
# Chunks end at whitespace after an ASCII letter or digit: a word run ends there, and nothing
# (no grapheme cluster, no leading whitespace) continues across it, so the pieces are exactly
# those of the whole text.
_CHUNK_END = re.compile(rf"(?<=[A-Za-z0-9])[{WHITESPACE}]")


def offset_typecode(text: str) -> str:
    """The ``array`` typecode of a text's token offsets: 4-byte ints when every offset fits
    (8 bytes a token less held than 8-byte ones). Readers take it from the array
    (``np.frombuffer(tok.starts, dtype=tok.starts.typecode)``)."""
    return "i" if len(text) < 2**31 else "q"


def tokenize(text: str, vocab: Vocabulary | None = None) -> Tokens:
    """Split ``text`` into tokens with offsets and comparison key ids."""
    vocab = vocab or Vocabulary()
    fast = text.isascii() or not _FAST_SAFE.search(text)
    typecode = offset_typecode(text)
    starts, ends, ids = array(typecode), array(typecode), []
    base = 0
    while base < len(text):
        stop = len(text)
        if stop - base > CHUNK_CHARS:
            end = _CHUNK_END.search(text, base + CHUNK_CHARS)
            stop = end.start() if end else stop
        plain = (fast and stop - base >= PLAIN_CHARS and not _PTB_RE.search(text, base, stop)
                 and _plain_tokens(text[base:stop], vocab))
        if plain:
            starts_np, ends_np, chunk_ids = plain
            starts.frombytes((starts_np + base).astype(typecode).tobytes())
            ends.frombytes((ends_np + base).astype(typecode).tobytes())
            ids += chunk_ids
            base = stop
            continue
        if fast:
            words = FAST_WORD_RE.findall(text, base, stop)
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
            starts_np = base + _solid_offsets(text[base:stop])[np.cumsum(lengths) - lengths]
            ends_np = starts_np + lengths
        else:
            pieces = TOKEN_RE.findall(text, base, stop)
            words = list(map(str.lstrip, pieces))
            n = len(pieces)
            ends_np = base + np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=n))
            starts_np = ends_np - np.fromiter(map(len, words), dtype=np.int64, count=n)
        starts.frombytes(starts_np.astype(typecode).tobytes())
        ends.frombytes(ends_np.astype(typecode).tobytes())
        ids += vocab.ids_for(words)
        base = stop
    return Tokens(text, starts, ends, ids, vocab)


def _solid_offsets(text: str) -> np.ndarray:
    """Offsets of the characters of ``text`` that are not whitespace, in order: the ``k``-th
    token of the fast path starts at the one numbered by the lengths of the tokens before it."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return np.flatnonzero(~_IS_SPACE[np.minimum(codes, len(_IS_SPACE) - 1)])


def _plain_tokens(chunk: str, vocab: Vocabulary):
    """Tokens of a fast-path chunk without Penn Treebank escapes, where a token is a run of
    word characters or one other character, found in whole arrays without a string per token:
    ``(starts, ends, ids)`` (offsets into ``chunk``). Tokens are grouped by a hash of their
    characters, and only each group's first becomes a string; every token's characters are
    compared with its group's first, and a collision (two texts hashed alike) gives None,
    for ``findall`` to do this chunk. (Each token's own string, its set and its dict lookup
    were three quarters of tokenizing; numpy reads the chunk in order instead.)"""
    codes = np.frombuffer(chunk.encode("utf-32-le"), dtype=np.uint32)
    n = len(codes)
    kind = _FAST_CLASS[codes]
    word = kind == 1
    solid = kind != 0
    starts = np.flatnonzero(solid & ~(word & np.concatenate(([False], word[:-1]))))
    ends = np.flatnonzero(solid & ~(word & np.concatenate((word[1:], [False])))) + 1
    lengths = ends - starts
    # hash(token) = BASE**n * sum of code * BASE**(end - 1 - position): from prefix sums of
    # code * BASE**(n - position), each token's sum times BASE**(end - 1) (the same factor
    # BASE**n for every token of the chunk: no inverse powers needed)
    powers = np.empty(n + 1, dtype=np.uint64)
    powers[0], powers[1:] = 1, _HASH_BASE
    np.cumprod(powers, out=powers)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.multiply(codes, powers[n:0:-1], out=prefix[1:])
    np.cumsum(prefix, out=prefix)
    hashes = (prefix[ends] - prefix[starts]) * powers[ends - 1]
    _, first, group = np.unique(hashes, return_index=True, return_inverse=True)
    rep = first[group]  # the token each token is compared with
    if not np.array_equal(lengths[rep], lengths):
        return None
    # every token's characters (the non-space ones, in order) against its group's first's
    shifted = np.repeat(starts[rep] - starts, lengths)
    shifted += np.flatnonzero(solid)
    if not np.array_equal(codes[solid], codes[shifted]):
        return None
    texts = [chunk[i:j] for i, j in zip(starts[first].tolist(), ends[first].tolist(),
                                        strict=True)]
    return starts, ends, shared_ints(vocab.ids_for(texts), group)
