"""Word and character error rates, counts by type and confusion tables, read off one Alignment.

Nothing here aligns the texts again: the aligner's equal runs count as correct, so whatever
it treats as no difference (re-tokenization, typography unless strict, case with Ignore case)
never counts as an error, and only the hunks are measured.

Words are the whitespace-separated words of each text (``words.py``: ``don't`` and ``S-400,``
are one word each, as jiwer and NIST sclite count them), compared by their folded keys.

* ``wer`` = word edit distance (substitutions + deletions + insertions) / words of the original;
* ``cer`` = character edit distance / characters of the original, whitespace never counting
  (characters are those of the comparison keys: ``ﬁ`` is two unless typography is strict).

How the edit distance is read off the hunks: each hunk is widened to whole words on both sides
(a hunk ``,`` inside ``S-400,`` is the word ``S-400,``), and inside it the minimal edit distance
of its two word sequences is taken (rapidfuzz's Levenshtein; for a passage of tens of thousands
of words against a few, ``_ThinWindow``'s, as exact, without listing the passage). Summing hunk
by hunk can overcount where the optimal edit script crosses an equal run between two hunks
(``a b c d`` against ``d a' b' c'``: three missing, one equal, three inserted words are 6 edits
apart hunk by hunk, but 4 substitutions): hunks a few tokens apart, or separated by a run an
alignment can cross cheaply (short against the imbalance, or repeating: ``ef ef ef``), are
measured as one window too, and the smaller count is kept, so the count never exceeds the
hunk-by-hunk sum and never goes below the true edit distance. With that, on texts tokenized
alike (lowercase ASR transcripts without punctuation, single spaces) ``wer`` equals
``jiwer.wer`` on the same texts. Characters are measured in the same windows (their words' keys
joined), so ``cer`` equals ``jiwer.cer`` on the texts with their whitespace removed (jiwer
counts spaces as characters).
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
from rapidfuzz.distance import Levenshtein

from .align import Alignment, collector_paused
from .align.classify import NEAR_MISS
from .kinds import TYPES
from .tokens import Tokens, id_array, kept_id_array
from .words import shared_word_keys, word_boundaries, word_count, word_key_pieces, word_keys

# Exact edit distance inside one window up to this many cells (rapidfuzz is bit-parallel: a
# few milliseconds). A larger window is a region the aligner found nothing in common in (a
# bounded block, a whole document in another case): its distance is taken as the longer side.
MAX_CELLS = 100_000_000

# Equal runs longer than this many tokens never join windows into one (``_cheapest``): a bound
# on the work for huge imbalances (a dropped chapter next to a few edits).
MAX_GAP = 64

# Windows this few tokens apart are always also measured as one: Levenshtein's optimum often
# crosses a short equal run (see the module's docstring). 8 is the least value for which 9,000
# random word-list pairs (3 seeds of vocabulary size 2, 3, 8) all gave jiwer's figure.
NEAR_GAP = 8

# Largest shift tried when an equal run might be crossed off its diagonal
# (``_least_mismatches``).
MAX_SHIFT = 8

# Windows up to this many word pairs get the edit script that pairs alike words
# (``_word_script``, plain Python); larger ones rapidfuzz's.
PAIRING_CELLS = 2_500

# Top entries of a confusion table by default.
TOP = 20


def error_rates(al: Alignment) -> dict:
    """``wer`` and ``cer`` (None when the original has no words or characters), with the counts
    they come from: ``words`` (original, corrupted, substitutions, deletions, insertions,
    errors) and ``characters`` (original, errors)."""
    n_words = word_count(al.a)
    edits = _word_edits(al)
    subs = sum(edits.substitutions.values()) + edits.unpaired[0]
    dels = sum(edits.deletions.values()) + edits.unpaired[1] + edits.one_sided_words[0]
    ins = sum(edits.insertions.values()) + edits.unpaired[2] + edits.one_sided_words[1]
    word_errors = subs + dels + ins
    n_chars = edits.original_chars
    char_errors = edits.char_errors
    return {
        "wer": round(word_errors / n_words, 6) if n_words else None,
        "cer": round(char_errors / n_chars, 6) if n_chars else None,
        "words": {"original": n_words, "corrupted": word_count(al.b), "substitutions": subs,
                  "deletions": dels, "insertions": ins, "errors": word_errors},
        "characters": {"original": n_chars, "errors": char_errors},
    }


def counts_by_type(al: Alignment, types: Sequence[str]) -> dict:
    """Hunks of each type and their tokens on each side (every type present, in the table's
    order), given ``types = hunk_types(al)``: ``{"hunks": {type: n}, "tokens": {"original":
    {type: n}, "corrupted": {type: n}}}``."""
    if len(types) != len(al.hunks):
        raise ValueError("one type per hunk")
    unknown = set(types).difference(TYPES)
    if unknown:
        raise ValueError(f"unknown hunk types {sorted(unknown)}")
    hunks = dict.fromkeys(TYPES, 0)
    tok_a = dict.fromkeys(TYPES, 0)
    tok_b = dict.fromkeys(TYPES, 0)
    for h, t in zip(al.hunks, types, strict=True):
        hunks[t] += 1
        tok_a[t] += h.ta[1] - h.ta[0]
        tok_b[t] += h.tb[1] - h.tb[0]
    return {"hunks": hunks, "tokens": {"original": tok_a, "corrupted": tok_b}}


def confusions(al: Alignment, top: int | None = TOP) -> dict:
    """The most frequent word substitutions, deletions and insertions (sclite's confusion
    pairs, jiwer's error counts) and character confusions inside misspelt words (OCR: ``e`` for
    ``c``), as JSON-ready lists, most frequent first (ties by text):

    ``{"substitutions": [[original, corrupted, n], …], "deletions": [[word, n], …],
    "insertions": [[word, n], …], "characters": [[original, corrupted, n], …]}``

    Word pairs come from the word edit operations inside each hunk, so ``the`` → ``a`` inside a
    longer substitution counts. Character confusions come from a character alignment of each
    substituted word pair that is a near miss (the aligner's ``NEAR_MISS``: unrelated words
    give no letter confusions); adjacent edits form one confusion (``rn`` → ``m``), and a
    letter dropped or added is a confusion with an empty side. ``top=None`` keeps every entry
    (what ``sum_confusions`` needs to sum a corpus exactly)."""
    cached = _CONFUSIONS.get(al)
    edits = _word_edits(al)
    if cached is None:
        chars = Counter()
        for (x, y), n in edits.substitutions.items():
            if Levenshtein.normalized_similarity(x, y) >= NEAR_MISS:
                for pair in _char_confusions(x, y):
                    chars[pair] += n
        dels, ins = edits.deletions.copy(), edits.insertions.copy()
        with collector_paused():
            for i0, i1, j0, j1 in edits.one_sided:  # the words the error rates only counted
                for piece in word_key_pieces(al.a, i0, i1):
                    dels.update(piece)
                for piece in word_key_pieces(al.b, j0, j1):
                    ins.update(piece)
        cached = _CONFUSIONS[al] = (dels, ins, chars)
    return _table(edits.substitutions, *cached, top)


# The deleted and inserted words and the character confusions of an Alignment, once (the page
# asks on every rerun).
_CONFUSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# The four parts of a confusion table, with what each row holds: (original, corrupted, count)
# or (word, count).
CONFUSION_PARTS = ("substitutions", "deletions", "insertions", "characters")


def confusion_rows(table: dict) -> list[dict]:
    """A confusion table (``confusions``, ``sum_confusions``) as tidy rows, most frequent first
    within each part: ``{"table", "original", "corrupted", "count"}``, ``table`` one of
    ``CONFUSION_PARTS``, a deleted word with an empty ``corrupted``, an inserted one with an
    empty ``original`` (a letter dropped or added is empty on one side too)."""
    rows = []
    for part in CONFUSION_PARTS:
        for entry in table[part]:
            if part == "deletions":
                (original, n), corrupted = entry, ""
            elif part == "insertions":
                (corrupted, n), original = entry, ""
            else:
                original, corrupted, n = entry
            rows.append({"table": part, "original": original, "corrupted": corrupted,
                         "count": n})
    return rows


@dataclass(frozen=True)
class _WordEdits:
    """Every word edit of one alignment: substituted pairs, deleted and inserted words, the
    (substitutions, deletions, insertions) of windows too large to pair word by word, and the
    character edit distance. The words of one-sided windows (text only missing, or only
    inserted: over half the windows) are counted, not listed: ``one_sided_words`` (deleted,
    inserted) and their windows ``one_sided``; ``confusions`` lists them when asked."""

    substitutions: Counter
    deletions: Counter
    insertions: Counter
    unpaired: tuple[int, int, int]
    char_errors: int
    original_chars: int  # characters of the original's keys (the CER's denominator)
    one_sided_words: tuple[int, int]
    one_sided: list


# One word-edit pass per Alignment, shared by ``error_rates`` and ``confusions`` (an Alignment
# is immutable and compared by identity).
_WORD_EDITS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _word_edits(al: Alignment) -> _WordEdits:
    cached = _WORD_EDITS.get(al)
    if cached is not None:
        return cached
    with collector_paused():  # only acyclic lists and counters are made here
        result = _WordEdits(*_measure(al))
    _WORD_EDITS[al] = result
    return result


def _measure(al: Alignment) -> tuple:
    """Every run of windows (``_group``) measured alone and, when that may be cheaper, as a
    whole: the whole's edit distance is at least the difference of its two sides' lengths, so
    where the windows alone already cost no more than that (most runs: edits that all add, or
    all remove), the whole run is never built. A one-sided window costs its length; those
    lengths and the runs' bounds are read off prefix sums (``_Sizes``) for all windows at
    once, and a one-sided window alone in its run (most of them) is never visited."""
    subs: Counter = Counter()
    dels: Counter = Counter()
    ins: Counter = Counter()
    unpaired = [0, 0, 0]
    windows = _word_windows(al)
    w = np.array(windows, dtype=np.int64).reshape(-1, 4)
    sizes = _Sizes(al, w)
    original_chars = sizes.chars(0, 0, len(al.a))
    if not windows:
        return subs, dels, ins, (0, 0, 0), 0, original_chars, (0, 0), []
    runs = _group(windows, w, al.a)
    i0, i1, j0, j1 = w.T
    # per window: key characters and words of each side (a one-sided window's cost)
    chars_a, chars_b = sizes.chars_of(0, i0, i1), sizes.chars_of(1, j0, j1)
    words_a, words_b = sizes.words_of(0, i0, i1), sizes.words_of(1, j0, j1)
    one_sided = (i0 == i1) | (j0 == j1)
    run_len = np.fromiter(map(len, runs), np.int64, len(runs))
    alone = one_sided & np.repeat(run_len == 1, run_len)
    char_errors = int((chars_a + chars_b)[alone].sum())
    one_sided_words = [int(words_a[alone].sum()), int(words_b[alone].sum())]
    one_sided_windows = w[alone].tolist()
    # per run: the least edit distance of the run as a whole (the difference of its lengths)
    first = np.cumsum(run_len) - run_len
    last = first + run_len - 1
    least_chars = np.abs(sizes.chars_of(0, i0[first], i1[last])
                         - sizes.chars_of(1, j0[first], j1[last])).tolist()
    run_words_a = sizes.words_of(0, i0[first], i1[last])
    run_words_b = sizes.words_of(1, j0[first], j1[last])
    least_words = np.abs(run_words_a - run_words_b).tolist()
    run_words_a, run_words_b = run_words_a.tolist(), run_words_b.tolist()
    alone_l = alone.tolist()
    one_sided_l = one_sided.tolist()
    char_cost = (chars_a + chars_b).tolist()
    word_cost = (words_a + words_b).tolist()
    words_a_l, words_b_l = words_a.tolist(), words_b.tolist()
    k = 0
    for r, run in enumerate(runs):
        k0 = k
        k += len(run)
        if alone_l[k0]:
            continue
        parts = [None if one_sided_l[k0 + n] else
                 _window(al, sizes, win, words_a_l[k0 + n], words_b_l[k0 + n])
                 for n, win in enumerate(run)]
        char_apart = word_apart = 0
        for n, part in enumerate(parts):
            if part is None:
                char_apart += char_cost[k0 + n]
                word_apart += word_cost[k0 + n]
            else:
                char_apart += part.char_distance()
                word_apart += part.distance()
        if len(run) > 1 and (char_apart > least_chars[r] or word_apart > least_words[r]):
            bounds = [run[0][0], run[-1][1], run[0][2], run[-1][3]]
            whole = _window(al, sizes, bounds, run_words_a[r], run_words_b[r])
            char_apart = min(char_apart, whole.char_distance())
            if whole.distance() < word_apart:
                run, parts = [bounds], [whole]
        char_errors += char_apart
        for n, (win, part) in enumerate(zip(run, parts, strict=True)):
            if part is None:
                one_sided_windows.append(win)
                one_sided_words[0] += words_a_l[k0 + n]
                one_sided_words[1] += words_b_l[k0 + n]
            else:
                part.count(subs, dels, ins, unpaired)
    return (subs, dels, ins, tuple(unpaired), char_errors, original_chars,
            (int(one_sided_words[0]), int(one_sided_words[1])), one_sided_windows)


class _Sizes:
    """Words and key characters of the token ranges between the bounds of windows ``w`` (rows
    ``[i0, i1, j0, j1]``) and the texts' ends, on either side (0: original, 1: corrupted):
    ``len(word_keys(tok, i0, i1))`` and the length of their join, without building them. They
    are read off prefix sums kept at those bounds only, summed a chunk of tokens at a time
    (whole, the sums and ids of a ten-million-token side would take 80 MB each)."""

    def __init__(self, al: Alignment, w: np.ndarray):
        keys = al.a.vocab.keys
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        self._at, self._words, self._chars = [], [], []
        for tok, lo, hi in ((al.a, w[:, 0], w[:, 1]), (al.b, w[:, 2], w[:, 3])):
            n = len(tok)
            # (a range's words: the word starts after its first token, plus one)
            at = np.sort(np.concatenate(([0, n], lo, lo + 1, hi)))
            at = at[np.concatenate(([True], at[1:] != at[:-1]))]  # (np.unique: 10x slower)
            cut = word_boundaries(tok)
            ids = tok.ids
            self._at.append(at)
            self._words.append(_sums_at((cut[k:k + _CHUNK] for k in range(0, n + 1, _CHUNK)),
                                        at))
            kept = kept_id_array(tok)
            self._chars.append(_sums_at((lengths[kept[k:k + _CHUNK] if kept is not None
                                                 else np.array(ids[k:k + _CHUNK], np.int64)]
                                         for k in range(0, n, _CHUNK)), at))

    def chars(self, side: int, i0: int, i1: int) -> int:
        return int(self.chars_of(side, np.array([i0]), np.array([i1]))[0])

    def words_of(self, side: int, i0: np.ndarray, i1: np.ndarray) -> np.ndarray:
        """The words of many token ranges at once (``words.word_count`` of each)."""
        at, starts = self._at[side], self._words[side]
        # boundaries at i0 + 1 .. i1 - 1, each starting a word
        inner = starts[np.searchsorted(at, i1)] - starts[np.searchsorted(at, i0 + 1)]
        return np.where(i1 > i0, 1 + inner, 0)

    def chars_of(self, side: int, i0: np.ndarray, i1: np.ndarray) -> np.ndarray:
        """``chars`` of many ranges at once."""
        at, sums = self._at[side], self._chars[side]
        return sums[np.searchsorted(at, i1)] - sums[np.searchsorted(at, i0)]


# Tokens a chunk (``_Sizes``): 8 MB of int64 at a time.
_CHUNK = 1 << 20


def _sums_at(chunks: Iterable[np.ndarray], at: np.ndarray) -> np.ndarray:
    """The sums of the first ``k`` values in ``chunks`` for each ``k`` in ``at`` (ascending;
    past the last value, the sum of all)."""
    out = np.zeros(len(at), np.int64)
    q = int(np.searchsorted(at, 0, "right"))  # the sum of none is 0
    start = total = 0
    for chunk in chunks:
        sums = np.cumsum(chunk, dtype=np.int64)
        end = start + len(sums)
        q1 = int(np.searchsorted(at, end, "right"))
        out[q:q1] = total + sums[at[q:q1] - start - 1]
        if len(sums):
            total += int(sums[-1])
        start, q = end, q1
    out[q:] = total
    return out


def _window(al: Alignment, sizes: _Sizes, bounds, n_a: int, n_b: int):
    """The window ``bounds`` (``[i0, i1, j0, j1]``, ``n_a`` and ``n_b`` words) to measure: its
    words listed, or read a piece at a time when a side has over ``THIN_WORDS`` words."""
    if max(n_a, n_b) > THIN_WORDS:
        return _ThinWindow(al, sizes, *bounds, n_a, n_b)
    return _ListedWindow(*_window_words(al, *bounds))


class _ListedWindow:
    """A window's words, listed on both sides."""

    __slots__ = ("a_words", "b_words")

    def __init__(self, a_words: list[str], b_words: list[str]):
        self.a_words, self.b_words = a_words, b_words

    def char_distance(self) -> int:
        return _distance("".join(self.a_words), "".join(self.b_words))

    def distance(self) -> int:
        return _distance(self.a_words, self.b_words)

    def count(self, subs: Counter, dels: Counter, ins: Counter, unpaired: list[int]) -> None:
        _count_word_edits(self.a_words, self.b_words, subs, dels, ins, unpaired)


class _ThinWindow:
    """A window with a side of over ``THIN_WORDS`` words (a passage missing or inserted whole,
    and what little stands against it on the other side), measured as a listed window would
    be (the same distances; an equally short script) without listing its long side: a list is
    8 bytes a word, and rapidfuzz hashes it (8 more) and writes its script (24 bytes an
    edit). The long side's words are read a piece at a time (``words.word_key_pieces``),
    counted and searched for the short side's words (``_occurrences``); from where those
    occur, ``_thin_columns`` finds the edit distance, with work that grows with the short side
    only, and ``_thin_pairs`` the words to pair, the few paired long words read off their own
    tokens (``_words_at``). Only the character distance joins the long side's keys, and only
    while the two lengths' product is within ``MAX_CELLS`` (past it, the longer length is the
    distance, as for any window): at most ``MAX_CELLS`` characters against a one-character
    side, a hundredth of that against a hundred."""

    __slots__ = ("long_tok", "long_range", "long_is_a", "short", "n", "m", "chars", "_columns",
                 "_long_counts")

    def __init__(self, al: Alignment, sizes: _Sizes, i0: int, i1: int, j0: int, j1: int,
                 n_a: int, n_b: int):
        self.long_is_a = n_a >= n_b
        if self.long_is_a:
            self.long_tok, self.long_range, self.n = al.a, (i0, i1), n_a
            self.short, self.m = _side_words(al.b, j0, j1), n_b
        else:
            self.long_tok, self.long_range, self.n = al.b, (j0, j1), n_b
            self.short, self.m = _side_words(al.a, i0, i1), n_a
        self.chars = (sizes.chars(0, i0, i1), sizes.chars(1, j0, j1))
        self._columns = self._long_counts = None

    def _long_pieces(self):
        return word_key_pieces(self.long_tok, *self.long_range)

    def _too_large(self) -> bool:
        return self.n * self.m > MAX_CELLS

    def char_distance(self) -> int:
        long_chars, short_chars = self.chars if self.long_is_a else self.chars[::-1]
        if not short_chars or long_chars * short_chars > MAX_CELLS:
            return max(long_chars, short_chars)  # as ``_distance`` of the joined words
        long_text = "".join(chain.from_iterable(self._long_pieces()))
        return Levenshtein.distance(long_text, "".join(self.short))

    def distance(self) -> int:
        if self._too_large():
            return max(self.n, self.m)  # as ``_distance``
        return self.n + self.m - int(self._thin_columns()[-1][1][-1])

    def _thin_columns(self) -> list:
        if self._columns is None:
            self._long_counts = Counter()
            occurrences = _occurrences(self._long_pieces(), self.short, self._long_counts)
            self._columns = _thin_columns(self.n, self.short, occurrences)
        return self._columns

    def count(self, subs: Counter, dels: Counter, ins: Counter, unpaired: list[int]) -> None:
        if self._too_large():
            _count_unpaired(*((self.n, self.m) if self.long_is_a else (self.m, self.n)),
                            unpaired)
            return
        pairs = _thin_pairs(self.n, self._thin_columns())
        long_edits, short_edits = (dels, ins) if self.long_is_a else (ins, dels)
        # every long word counted deleted, then the paired ones taken back
        long_edits.update(self._long_counts)
        paired = _words_at(self.long_tok, *self.long_range, [i for i, _ in pairs])
        for word, (_, j) in zip(paired, pairs, strict=True):
            long_edits[word] -= 1
            if not long_edits[word]:
                del long_edits[word]
            other = self.short[j]
            if word != other:
                subs[(word, other) if self.long_is_a else (other, word)] += 1
        short_paired = {j for _, j in pairs}
        short_edits.update(w for j, w in enumerate(self.short) if j not in short_paired)


def _occurrences(pieces: Iterable[list[str]], words: Sequence[str],
                 counts: Counter) -> dict[str, np.ndarray]:
    """Where each of ``words`` occurs among the words of ``pieces`` (indices into their
    concatenation, ascending), a piece at a time (a dict look-up a word, at C speed); every
    word of the pieces is counted into ``counts`` on the way."""
    index = {w: k for k, w in enumerate(dict.fromkeys(words))}
    found, which = [], []
    start = 0
    for piece in pieces:
        counts.update(piece)
        ids = np.fromiter(map(index.get, piece, repeat(-1)), np.int64, len(piece))
        at = np.flatnonzero(ids >= 0)
        found.append(at + start)
        which.append(ids[at])
        start += len(piece)
    if not found:
        return {}
    found_a, which_a = np.concatenate(found), np.concatenate(which)
    order = np.argsort(which_a, kind="stable")  # by word, each word's in text order
    bounds = np.searchsorted(which_a[order], np.arange(len(index) + 1))
    return {w: found_a[order[bounds[k]:bounds[k + 1]]] for w, k in index.items()}


def _words_at(tok: Tokens, i0: int, i1: int, indices: list[int]) -> list[str]:
    """Words ``indices`` (ascending) of ``word_keys(tok, i0, i1)``, each read off its own
    tokens: the word starts are counted a chunk at a time (no list of the range's words)."""
    wanted = np.asarray(sorted({k for i in indices for k in (i, i + 1)}), dtype=np.int64)
    starts = np.full(len(wanted), i1, dtype=np.int64)  # a word past the last: the range's end
    starts[wanted == 0] = i0
    cut = word_boundaries(tok)
    q = int(np.searchsorted(wanted, 1))
    seen = 0  # word starts after i0 counted so far: word k starts at the k-th
    for c0 in range(i0 + 1, i1, _CHUNK):
        counted = np.cumsum(cut[c0:min(c0 + _CHUNK, i1)], dtype=np.int64)
        q1 = int(np.searchsorted(wanted, seen + counted[-1], "right"))
        starts[q:q1] = c0 + np.searchsorted(counted, wanted[q:q1] - seen)
        seen += int(counted[-1])
        q = q1
    start_of = dict(zip(wanted.tolist(), starts.tolist(), strict=True))
    return ["".join(word_keys(tok, start_of[i], start_of[i + 1])) for i in indices]


_NOWHERE = np.empty(0, dtype=np.int64)


def _thin_columns(n: int, short: Sequence[str], occurrences: dict[str, np.ndarray]) -> list:
    """The minimal edit distance of a long sequence of ``n`` words against ``short``, given
    where each short word occurs in it, in O(len(short)²) steps on arrays of at most
    2·len(short) + 1 entries (not the n·len(short) cells of a table).

    A script of ``p`` word pairs (in order on both sides), ``e`` of them equal, costs
    ``n + m - (p + e)`` edits (``n - p`` deletions, ``m - p`` insertions, ``p - e``
    substitutions), so the least distance is the most ``p + e``. ``F_j(i)``, the most using
    ``short[:j]`` and the long side's first ``i`` words, is 0 for ``j = 0`` and otherwise the
    best of: ``short[j-1]`` inserted, ``F_{j-1}(i)``; paired with word ``i - 1``, equal or not,
    ``F_{j-1}(i - 1) + 1`` (an earlier long word gives no more, ``F`` never decreasing in
    ``i``); paired with the last equal long word at or before ``i - 1``, ``F_{j-1}(k) + 2``
    where ``k`` is that word's index. Each ``F_j`` is a step function of ``i`` with values up to
    ``2j``: it is kept as the indices where it rises and its values from there on (``(P, V)``,
    ``P[0] = 0``). Returns ``F_0 .. F_m``; the distance is ``n + m - F_m(n)``, ``F_m(n)`` the
    last value of the last."""
    steps, values = np.zeros(1, np.int64), np.zeros(1, np.int64)
    columns = [(steps, values)]
    for word in short:
        found = occurrences.get(word, _NOWHERE)
        # paired with the word before: the steps moved one on, one higher
        shifted, shifted_values = steps + 1, values + 1
        # paired with an equal word: from the first one at or after each step, two higher
        first = np.searchsorted(found, steps)
        exists = first < len(found)
        equal, equal_values = found[first[exists]] + 1, values[exists] + 2
        at = np.unique(np.concatenate((steps, shifted[shifted <= n], equal)))
        best = values[np.searchsorted(steps, at, "right") - 1]
        for rises, rise_values in ((shifted, shifted_values), (equal, equal_values)):
            if not len(rises):
                continue
            k = np.searchsorted(rises, at, "right") - 1  # rise_values ascend: the last counts
            best = np.maximum(best, np.where(k >= 0, rise_values[np.maximum(k, 0)], 0))
        keep = np.ones(len(at), dtype=bool)
        keep[1:] = best[1:] > best[:-1]
        steps, values = at[keep], best[keep]
        columns.append((steps, values))
    return columns


def _thin_pairs(n: int, columns: list) -> list[tuple[int, int]]:
    """A minimal script's pairs ``(long index, short index)``, in order, read back from
    ``_thin_columns``: from ``(j, i)`` the long words back to where ``F_j`` last rose are
    deleted; there ``short[j-1]`` is inserted if ``F_{j-1}`` is as high, else paired with the
    long word before (where ``F_j`` rose, one of the three choices made it rise)."""
    pairs = []
    i = n
    for j in range(len(columns) - 1, 0, -1):
        steps, values = columns[j]
        t = int(np.searchsorted(steps, i, "right")) - 1
        best, i = values[t], int(steps[t])
        before_steps, before_values = columns[j - 1]
        if before_values[np.searchsorted(before_steps, i, "right") - 1] < best:
            i -= 1
            pairs.append((i, j - 1))
    pairs.reverse()
    return pairs


def _count_unpaired(n_a: int, n_b: int, unpaired: list[int]) -> None:
    """A window too large to pair (the aligner found nothing in common in it): as many
    substitutions as its shorter side's words, the rest deleted or inserted."""
    common = min(n_a, n_b)
    unpaired[0] += common
    unpaired[1] += n_a - common
    unpaired[2] += n_b - common


def _count_word_edits(a_words, b_words, subs: Counter, dels: Counter, ins: Counter,
                      unpaired: list[int]) -> None:
    n_a, n_b = len(a_words), len(b_words)
    if n_a == 0 or n_b == 0:
        dels.update(a_words)
        ins.update(b_words)
    elif n_a == n_b == 1:
        if a_words[0] != b_words[0]:
            subs[a_words[0], b_words[0]] += 1
    elif n_a * n_b > MAX_CELLS:  # the aligner found nothing in common here
        _count_unpaired(n_a, n_b, unpaired)
    else:
        for tag, x, y in _word_script(a_words, b_words):
            if tag == "replace":
                subs[x, y] += 1
            elif tag == "delete":
                dels[x] += 1
            else:
                ins[y] += 1


def sum_confusions(tables: Iterable[dict], top: int | None = TOP) -> dict:
    """Sum confusion tables of many pairs (a corpus), each from ``confusions(al, top=None)``
    (or read back from its JSON). Plain Python: no pandas."""
    counts = ConfusionCounts()
    for t in tables:
        counts.add(t)
    return counts.table(top)


class ConfusionCounts:
    """Running sums of confusion tables (``add`` one at a time: a corpus of a million pairs
    never holds them all), read as a table with ``table(top)``."""

    def __init__(self):
        self.substitutions: Counter = Counter()
        self.deletions: Counter = Counter()
        self.insertions: Counter = Counter()
        self.characters: Counter = Counter()

    def add(self, table: dict) -> None:
        for x, y, n in table["substitutions"]:
            self.substitutions[x, y] += n
        for x, n in table["deletions"]:
            self.deletions[x] += n
        for y, n in table["insertions"]:
            self.insertions[y] += n
        for x, y, n in table["characters"]:
            self.characters[x, y] += n

    def table(self, top: int | None = TOP) -> dict:
        return _table(self.substitutions, self.deletions, self.insertions, self.characters,
                      top)


def _word_script(a_words: list[str], b_words: list[str]) -> Iterable[tuple]:
    """A minimal word edit script, as ``(tag, original word, corrupted word)``. Of the scripts
    with the fewest edits, a small window gets the one whose substituted pairs are most alike
    (``the barn`` -> ``tbe bam x`` pairs the -> tbe and barn -> bam, and inserts x, rather
    than inserting tbe before the -> bam), so confusion tables show the real misreadings;
    larger windows take rapidfuzz's script, an edit at a time (a window with a side over
    ``THIN_WORDS`` words never comes here: ``_ThinWindow``)."""
    n, m = len(a_words), len(b_words)
    if n * m > PAIRING_CELLS:
        return ((op.tag, a_words[op.src_pos] if op.tag != "insert" else None,
                 b_words[op.dest_pos] if op.tag != "delete" else None)
                for op in Levenshtein.editops(a_words, b_words))
    # every edit costs 1 + eps * (1 - similarity): the count of edits decides first (eps times
    # all edits stays below 1), then the likeness of the substituted pairs
    eps = 1 / (n + m + 1)
    unlike = [[0.0 if x == y else 1 + eps * (1 - Levenshtein.normalized_similarity(x, y))
               for y in b_words] for x in a_words]
    step = 1 + eps
    first = [0.0]
    for _ in range(m):
        first.append(first[-1] + step)
    cost = [first]
    for i in range(1, n + 1):
        prev = cost[-1]
        row = [prev[0] + step]  # sums, not products: the walk back compares exact floats
        for j in range(1, m + 1):
            row.append(min(prev[j - 1] + unlike[i - 1][j - 1], prev[j] + step, row[j - 1] + step))
        cost.append(row)
    script = []
    i, j = n, m
    while i or j:
        here = cost[i][j]
        if i and j and here == cost[i - 1][j - 1] + unlike[i - 1][j - 1]:
            i, j = i - 1, j - 1
            if a_words[i] != b_words[j]:
                script.append(("replace", a_words[i], b_words[j]))
        elif i and (not j or here == cost[i - 1][j] + step):
            i -= 1
            script.append(("delete", a_words[i], None))
        else:
            j -= 1
            script.append(("insert", None, b_words[j]))
    script.reverse()
    return script


# --- windows ------------------------------------------------------------------------------------


def _window_words(al: Alignment, i0: int, i1: int, j0: int, j1: int) -> tuple[list, list]:
    """The words of a window on each side (``words.word_keys``; a side of one token, the most
    common, is its key; a long side's words share one string per distinct word)."""
    return _side_words(al.a, i0, i1), _side_words(al.b, j0, j1)


def _side_words(tok, i0: int, i1: int) -> list[str]:
    if i1 - i0 == 1:
        return [tok.vocab.keys[tok.ids[i0]]]
    return word_keys(tok, i0, i1) if i1 - i0 <= LONG_SIDE else shared_word_keys(tok, i0, i1)


# A window side of more tokens than this has its words share strings (``words.shared_word_keys``).
LONG_SIDE = 1 << 16

# A window with a side of more words than this is never listed whole (``_ThinWindow``).
THIN_WORDS = 1 << 16


def _word_windows(al: Alignment) -> list[list[int]]:
    """Token ranges ``[i0, i1, j0, j1]`` of the hunks widened to whole words on both sides:
    a window ends where a word ends on both sides, so hunks inside one word share a window.

    Between two hunks the window of the first grows forward from its end, the second's back
    from its start, each step moving one token on both sides, to the nearest word boundary on
    both sides (``_first_cut``); no boundary between them puts both hunks in one window. Whole
    arrays at a time: a million-token pair has 50,000 hunks."""
    hunks = al.hunks
    if not hunks:
        return []
    n_a, n_b = len(al.a), len(al.b)
    cut_a, cut_b = word_boundaries(al.a), word_boundaries(al.b)
    ta = np.fromiter(chain.from_iterable(h.ta for h in hunks), np.int64, 2 * len(hunks))
    tb = np.fromiter(chain.from_iterable(h.tb for h in hunks), np.int64, 2 * len(hunks))
    ta, tb = ta.reshape(-1, 2), tb.reshape(-1, 2)
    # forward from each hunk's end, up to the next hunk's start (the text's end for the last)
    # on both sides: an equal run re-tokenized (`a x` = `ax`) holds more tokens on one side,
    # so the walk, a token a side a step, must stop at whichever side's limit comes first
    ends_i, ends_j = ta[:, 1], tb[:, 1]
    limits = np.minimum(np.append(ta[1:, 0], n_a), np.append(tb[1:, 0], n_b) + ends_i - ends_j)
    fwd_i = _first_cut(cut_a, cut_b, ends_i, ends_i - ends_j, limits, 1)
    # back from each hunk's start, down to where the window before it ended (on both sides)
    starts_i, starts_j = ta[:, 0], tb[:, 0]
    fwd_j_before = np.concatenate(([0], (fwd_i - (ends_i - ends_j))[:-1]))
    lows = np.maximum(np.concatenate(([0], fwd_i[:-1])), fwd_j_before + starts_i - starts_j)
    back_i = _first_cut(cut_a, cut_b, starts_i, starts_i - starts_j, lows, -1)
    back_j = back_i - (starts_i - starts_j)
    fwd_j = fwd_i - (ends_i - ends_j)
    # A walk that met its limit on one side before a boundary on both (a re-tokenized equal
    # run: `a don't` = `adon't`) has not closed its window: at either text's start or end the
    # window runs to both texts' start or end; between two hunks they share one window.
    open_back = ~_cut_at(cut_a, cut_b, back_i, back_j)
    open_fwd = ~_cut_at(cut_a, cut_b, fwd_i, fwd_j)
    if open_back[0]:
        back_i[0] = back_j[0] = 0
    if open_fwd[-1]:
        fwd_i[-1], fwd_j[-1] = n_a, n_b
    # a hunk whose backward walk found no boundary above where the last window ended shares
    # that window, and so does one after a window left open (the first hunk never: nothing
    # before it)
    joined = (back_i == lows) & (open_back | np.concatenate(([False], open_fwd[:-1])))
    joined[0] = False
    windows: list[list[int]] = []
    for i0, i1, j0, j1, join in zip(back_i.tolist(), fwd_i.tolist(), back_j.tolist(),
                                    fwd_j.tolist(), joined.tolist(), strict=True):
        if join:
            windows[-1][1], windows[-1][3] = i1, j1
        else:
            windows.append([i0, i1, j0, j1])
    return windows


def _cut_at(cut_a: np.ndarray, cut_b: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether ``(i, j)`` is a word boundary on both sides (outside a text counts as one)."""
    n_a, n_b = len(cut_a) - 1, len(cut_b) - 1
    on_a = cut_a[np.clip(i, 0, n_a)] | (i <= 0) | (i >= n_a)
    on_b = cut_b[np.clip(j, 0, n_b)] | (j <= 0) | (j >= n_b)
    return on_a & on_b


# Steps taken for all walks at once before the few still walking (a word of many tokens, text
# without spaces) finish one by one.
_ARRAY_STEPS = 16


def _first_cut(cut_a, cut_b, pos, diagonal, bound, step: int) -> np.ndarray:
    """Walk from each ``pos`` by ``step`` (+1 forward, -1 back), ``j = i - diagonal``, to the
    first boundary on both sides, never past ``bound`` (exclusive forward: stop at it; back:
    stop at it too, it being where the last window ended)."""
    pos = pos.copy()
    walking = np.flatnonzero(pos != bound)
    for _ in range(_ARRAY_STEPS):
        if not len(walking):
            return pos
        here = pos[walking]
        at_cut = _cut_at(cut_a, cut_b, here, here - diagonal[walking])
        # forward, a walk stops at a boundary; back, too, except that the bound itself is where
        # it stops whatever it is
        walking = walking[~at_cut]
        pos[walking] += step
        walking = walking[pos[walking] != bound[walking]]
    for k in walking.tolist():  # the long walks
        i, d, b = int(pos[k]), int(diagonal[k]), int(bound[k])
        while i != b and not _cut_at(cut_a, cut_b, np.int64(i), np.int64(i - d)):
            i += step
        pos[k] = i
    return pos


def _group(windows, w: np.ndarray, a: Tokens) -> list[list]:
    """Neighbouring windows to measure together as well as alone. A window joins the run
    before it when the equal run between them is short (``NEAR_GAP``) or could be crossed off
    its diagonal cheaply (``_least_mismatches``): only then can an alignment that leaves that
    equal run unmatched be cheaper. ``w``: the windows as an array, ``a``: the original."""
    runs: list[list] = []
    least_mismatches = _least_mismatches(w, a)
    for k, w in enumerate(windows):
        if runs:
            run = runs[-1]
            first, last = run[0], run[-1]
            gap = w[0] - last[1]
            shift = max(abs((last[1] - first[0]) - (last[3] - first[2])),
                        abs((w[1] - w[0]) - (w[3] - w[2])))
            if ((w[1] - first[0]) * (w[3] - first[2]) <= MAX_CELLS
                    and (gap <= NEAR_GAP or (shift and gap <= MAX_GAP and least_mismatches[k][
                        min(shift, MAX_SHIFT) - 1] <= 2 * shift))):
                run.append(w)
                continue
        runs.append([w])
    return runs


def _least_mismatches(w: np.ndarray, a: Tokens) -> dict[int, list[int]]:
    """For each window ``k`` after an equal run of ``NEAR_GAP`` < length <= ``MAX_GAP`` tokens
    of the original, ``[m_1, …, m_MAX_SHIFT]``: ``m_d`` is the fewest mismatches of the run
    against itself shifted by 1..``d`` tokens (a shift as long as the run: none). An alignment
    shifted by up to ``shift`` tokens (the imbalance on either side) crosses the run at a cost
    of at most twice that when ``m_min(shift, MAX_SHIFT) <= 2 * shift``: a run no longer than
    the shift, or one that nearly repeats with a period within it (``ef ef ef``, a line of
    dashes: deleting ``ef`` before it is deleting it after). All runs at once, in arrays
    (``w``: the windows ``[i0, i1, j0, j1]`` as rows)."""
    if len(w) < 2:
        return {}
    lengths = w[1:, 0] - w[:-1, 1]
    ends = w[:-1, 1]
    judged = np.flatnonzero((lengths > NEAR_GAP) & (lengths <= MAX_GAP))
    if not len(judged):
        return {}
    lo, length = ends[judged], lengths[judged]
    offsets = np.arange(MAX_GAP)
    ids = _ids_at(a, np.minimum(lo[:, None] + offsets, len(a) - 1))
    least = np.empty((len(judged), MAX_SHIFT), dtype=np.int64)
    for d in range(1, MAX_SHIFT + 1):
        inside = offsets[: MAX_GAP - d] < (length - d)[:, None]
        mismatches = ((ids[:, d:] != ids[:, :-d]) & inside).sum(axis=1)
        least[:, d - 1] = np.where(length <= d, 0, mismatches)  # a run no longer than d
    least = np.minimum.accumulate(least, axis=1)
    return dict(zip((judged + 1).tolist(), least.tolist(), strict=True))


def _ids_at(tok: Tokens, index: np.ndarray) -> np.ndarray:
    """``tok.ids`` at ``index``: read off the list when they are few against the text (an
    upload's few windows in ten million tokens: ``id_array`` would be 80 MB), else off
    ``id_array`` (the command line's is made once for every stage)."""
    if index.size * _FEW_IDS < len(tok):
        flat = index.ravel().tolist()
        return np.fromiter(map(tok.ids.__getitem__, flat), np.int64, len(flat)).reshape(
            index.shape)
    return id_array(tok)[index]


# ``_ids_at`` reads ids off the list when they are fewer than one in this many tokens.
_FEW_IDS = 16


def _distance(x, y) -> int:
    if not x or not y:
        return len(x) or len(y)
    if len(x) * len(y) > MAX_CELLS:
        return max(len(x), len(y))
    return Levenshtein.distance(x, y)


# --- confusion tables ---------------------------------------------------------------------------


def _char_confusions(x: str, y: str):
    """Adjacent character edits of ``x`` → ``y`` as (from, to) pairs: ``tbe`` → ``the`` gives
    (``b``, ``h``); ``corn`` → ``com`` gives (``rn``, ``m``)."""
    out = []
    pending = None
    for op in Levenshtein.opcodes(x, y):
        if op.tag == "equal":
            if pending:
                out.append(pending)
                pending = None
            continue
        piece = (x[op.src_start:op.src_end], y[op.dest_start:op.dest_end])
        pending = piece if pending is None else (pending[0] + piece[0], pending[1] + piece[1])
    if pending:
        out.append(pending)
    return out


def _table(subs: Counter, dels: Counter, ins: Counter, chars: Counter, top: int | None) -> dict:
    def ranked(counter: Counter):
        items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return items if top is None else items[:top]

    return {
        "substitutions": [[x, y, n] for (x, y), n in ranked(subs)],
        "deletions": [[x, n] for x, n in ranked(dels)],
        "insertions": [[y, n] for y, n in ranked(ins)],
        "characters": [[x, y, n] for (x, y), n in ranked(chars)],
    }
