"""Where the corruption came from: text copied from elsewhere in the original, and moved text.

``provenance(al)`` reads one ``Alignment`` and answers, for every hunk:

- ``copy``: the hunk's corrupted text (inserted or substituting) occurs elsewhere in the
  original, compared on the alignment's own comparison keys (so with the same folding of
  typography and case). The corrupted text is covered greedily, left to right, by the longest
  runs of tokens that occur in the original (an LZ77-style parse), so a hunk made of two
  mentions (``the Turks the militant group``) or of part of a longer phrase still finds each
  part's source. ``sources`` are the ``[start, end)`` character spans in the original where the
  parts occur, nearest to the hunk first, then longest.
- ``move``: text missing at one place and inserted at another, exactly or lightly edited. Both
  hunks are ``move``; ``moved_to`` / ``moved_from`` name the partner's hunk id and
  ``similarity`` is the rapidfuzz Indel similarity of their comparison keys (0..1).

Near-linear. The original is indexed once per alignment: its tokens hashed to random 64-bit
values. All hunks are then searched together, one n-gram length at a time: the corrupted side's
n-grams go into an open-addressing hash table (small: only hunk text), and the original's
n-grams are looked up in it, but only at positions whose (n-1)-gram already matched, so the
work shrinks with every length. Never one scan of the original per hunk. Move candidates come
from shared token 4-gram shingles (hashed into sorted arrays, over the hunks some hunk of
compatible length could pair with), not all pairs.

Re-tokenization (``Kremlin’s`` / ``Kremlin ’s``) gives the same tokens and ids. A word split by
spaces (``did n't`` for ``didn't``, ``C O O K E``) gives different tokens; a match is extended
across such a place, to the right and (over tokens no other match covers) to the left, by
comparing the joined keys character by character, ending on a token boundary on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from .align import Alignment, Hunk, collector_paused
from .kinds import INSERTED, MISSING
from .tokens import kept_id_array
from .words import word_count

# --- thresholds (chosen on benchmarks/provenance_quality.py, seed 0, and the example pair) ----

# A part of a hunk counts as a meaningful copy when one of its tokens has at least this many
# letters or digits (``Russia``, ``military``, ``said``), or is a capitalized word whose
# lowercase form the original never uses (a name: ``Bab``, ``Jan``), or when its letters include
# at least ``ACRONYM_CAPITALS`` capitals or digits (``U.S.``, ``F-16``, ``UN``), or when it spans
# ``PHRASE_WORDS`` words (``an arm of``). Single short function words (``the``, ``of``, ``its``)
# and their pairs (``of the``) never count: they occur in every text, so finding them proves
# nothing. (On the benchmark, names of three letters and three-word noun phrases were most of
# the swapped mentions missed with the letter rule alone.)
# In a text written in capitals (ASR transcripts) the capital rules are off: ``AND``, ``THE``
# would all be acronyms or names.
CONTENT_LETTERS = 4
ACRONYM_CAPITALS = 2
PHRASE_WORDS = 3
# A hunk is a copy when meaningful parts cover at least this share of its letters and digits.
COPY_SHARE = 0.8
# A passage (at least PASSAGE_WORDS words) is a copy only when its parts average at least
# PASSAGE_PART_WORDS words: an unrelated paragraph is covered by many short chance matches
# (``said``, ``the government``) that prove nothing, while a copied passage, or a few mentions
# side by side, comes in long runs.
PASSAGE_WORDS = 8
PASSAGE_PART_WORDS = 3
# n-grams up to this many tokens are matched through the hash tables; longer matches are
# extended token by token from one occurrence.
MAX_GRAM = 12
# Places listed per part of a hunk (the nearest ones).
SOURCES_PER_PART = 5

# A move pairs a missing(-ish) side and an inserted(-ish) side of at least MOVE_MIN_WORDS words
# and MOVE_MIN_CHARS key characters each, at least MOVE_SIMILARITY alike. A sentence is the
# unit that moves (VS Code's diff editor asks for a few lines of code; prose has no lines, so a
# short sentence's worth of words): below that, a deleted ``in the city`` and an inserted
# ``in the city`` elsewhere are as likely chance as a move.
MOVE_MIN_WORDS = 5
MOVE_MIN_CHARS = 24
MOVE_SIMILARITY = 0.75
SHINGLE = 4  # tokens per shingle for move candidates
MOVE_CANDIDATES = 3  # partners by shared shingles tried per hunk
# Hunks longer than this are in no move: Indel similarity is an LCS, quadratic in the length
# (measured here: two 50,000-token sides 0.4-0.6 s, 100,000 2-2.6 s, 200,000 11-16 s; a
# ten-million-token hunk would take hours), and a move is a sentence's or a passage's.
MOVE_MAX_TOKENS = 50_000
# Shingle matches counted at once when ranking move candidates (about 40 bytes each).
MATCH_CHUNK = 1 << 21

LOOKUP_CHUNK = 1 << 20  # keys probed at once in a _HashTable
# Positions of the original read at once when all are scanned (a few MB of temporaries)
SCAN_CHUNK = 1 << 18

_P = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the polynomial n-gram hash
_EMPTY = np.uint64(0)


@dataclass(frozen=True)
class Part:
    """One run of a hunk's corrupted tokens found in the original: its token range ``tb`` and
    character span ``b`` in the corrupted text, and up to ``SOURCES_PER_PART`` character spans
    in the original where it occurs, nearest to the hunk first. ``meaningful``: it counts
    towards the copy verdict (see ``CONTENT_LETTERS``)."""

    tb: tuple[int, int]
    b: tuple[int, int]
    sources: tuple[tuple[int, int], ...]
    meaningful: bool


@dataclass(frozen=True)
class HunkProvenance:
    """What is known about where one hunk's text came from."""

    id: int
    copy: bool = False
    covered: float = 0.0  # share of the corrupted text's letters/digits found in meaningful parts
    parts: tuple[Part, ...] = ()
    # Spans in the original the hunk's text occurs at (copies only): each part's nearest place
    # first, then each part's second nearest, ...; within a round nearest to the hunk, then
    # longest.
    sources: tuple[tuple[int, int], ...] = ()
    moved_to: int | None = None
    moved_from: int | None = None
    similarity: float | None = None

    @property
    def move(self) -> bool:
        return self.moved_to is not None or self.moved_from is not None

    @property
    def verdict(self) -> str | None:
        """``"move"``, ``"copy"`` or None: the slot the type cascade reads (a move is the more
        specific: its text also occurs in the original, where it went missing)."""
        return "move" if self.move else "copy" if self.copy else None

    def as_json(self) -> dict:
        """The JSON fields of one hunk: ``sources`` always (possibly empty), the move fields
        only for moves."""
        return _move_json({"sources": [list(s) for s in self.sources]}, self.moved_to,
                          self.moved_from, self.similarity)


def _move_json(out: dict, moved_to, moved_from, similarity) -> dict:
    """``out`` with a hunk's move fields added (only those that are set)."""
    if moved_to is not None:
        out["moved_to"] = moved_to
    if moved_from is not None:
        out["moved_from"] = moved_from
    if similarity is not None:
        out["similarity"] = round(similarity, 4)
    return out


class _Runs:
    """Rows of equal-length arrays grouped by an ascending ``key`` array: ``rows(k)`` lists key
    ``k``'s rows as tuples of Python values, read when asked for."""

    def __init__(self, key: np.ndarray, *columns: np.ndarray):
        self.key = key
        self.columns = columns

    @classmethod
    def empty(cls, n_columns: int) -> _Runs:
        return cls(*(np.zeros(0, dtype=np.int64) for _ in range(n_columns + 1)))

    def rows(self, k: int) -> list[tuple]:
        lo, hi = np.searchsorted(self.key, (k, k + 1)).tolist()
        return list(zip(*(c[lo:hi].tolist() for c in self.columns), strict=True))


class Provenance:
    """Per-hunk provenance of one alignment, indexed by hunk id (``al.hunks[k].id == k``).

    A hunk's ``HunkProvenance`` is made when asked for, from tables of all hunks (a page shows
    one hunk at a time; a million-token pair has 50,000, with 140,000 parts); ``counts()`` and
    ``as_json()`` read the tables directly."""

    def __init__(self, covered: np.ndarray, parts: _Runs, places: _Runs, sources: _Runs,
                 moves: dict[int, tuple]):
        self._covered = covered  # per hunk id
        self._parts = parts  # hunk id -> (j0, j1, b start, b end, meaningful, piece)
        self._places = places  # piece -> (start, end) in the original, nearest first
        self._sources = sources  # hunk id -> (start, end), in ``sources`` order
        self._moves = moves  # hunk id -> (moved_to, moved_from, similarity)

    def __getitem__(self, hunk_id: int) -> HunkProvenance:
        n = len(self._covered)
        if not -n <= hunk_id < n:
            raise IndexError(hunk_id)
        k = hunk_id % n
        parts = tuple(Part((j0, j1), (s, e), tuple(self._places.rows(piece)), good)
                      for j0, j1, s, e, good, piece in self._parts.rows(k))
        share = float(self._covered[k])
        return HunkProvenance(k, share >= COPY_SHARE, share, parts,
                              tuple(self._sources.rows(k)),
                              *self._moves.get(k, (None, None, None)))

    def __len__(self) -> int:
        return len(self._covered)

    @property
    def hunks(self) -> tuple[HunkProvenance, ...]:
        return tuple(self[k] for k in range(len(self)))

    def counts(self) -> dict[str, int]:
        """Hunks by verdict: ``{"copy": n, "move": m}`` (a move that is also a copy counts as
        a move, as its ``verdict`` says)."""
        copy = self._covered >= COPY_SHARE
        moved_copies = sum(1 for k in self._moves if copy[k])
        return {"copy": int(copy.sum()) - moved_copies, "move": len(self._moves)}

    def verdicts(self) -> dict[int, str]:
        """``{hunk id: "copy" or "move"}`` for the hunks with a verdict (what the type cascade
        takes: ``hunk_types(al, pv.verdicts())``)."""
        out = {int(k): "copy" for k in np.flatnonzero(self._covered >= COPY_SHARE)}
        out.update((k, "move") for k in self._moves)
        return out

    def as_json(self) -> list[dict]:
        """``as_json()`` of every hunk, in hunk order."""
        # the spans as lists in one C call, cut at each hunk's first row (key is ascending)
        spans = np.stack(self._sources.columns, axis=1).tolist() if len(self._sources.key) \
            else []
        cuts = np.searchsorted(self._sources.key, np.arange(len(self) + 1)).tolist()
        out = [{"sources": spans[lo:hi]} for lo, hi in zip(cuts, cuts[1:], strict=False)]
        for k, move in self._moves.items():
            _move_json(out[k], *move)
        return out


def provenance(al: Alignment, index: OriginalIndex | None = None) -> Provenance:
    """Copies and moves of every hunk of ``al`` (see the module text)."""
    with collector_paused():  # tables and small acyclic lists: nothing for it to collect
        index = index or OriginalIndex(al)
        return Provenance(*_copies(al, index), _moves(al, index.token_hash))


# --- the index of the original ------------------------------------------------------------------


class OriginalIndex:
    """The original's tokens as random 64-bit values (one per key id), and per-key-id facts the
    verdict needs, built once per alignment. Key ids of the corrupted side share the vocabulary,
    so equal ids mean equal after the alignment's folding."""

    def __init__(self, al: Alignment, seed: int = 0x5EED):
        vocab = al.a.vocab
        n_keys = len(vocab.keys)
        rng = np.random.default_rng(seed)
        self.token_hash = rng.integers(1, 2**63, size=n_keys, dtype=np.uint64) | np.uint64(1)
        # 4 bytes a token (a ten-million-token original: 40 MB, not 80); a token's hash is
        # looked up where needed, never kept for every position of the original
        kept = kept_id_array(al.a)
        self.a_ids = kept if kept is not None else np.asarray(
            al.a.ids, dtype=np.int32 if n_keys < 2**31 else np.int64)
        self.in_a = np.zeros(n_keys, dtype=bool)
        for _, ids in self.chunks():
            self.in_a[ids] = True
        self.keys = vocab.keys
        self._used: set[str] | None = None

    def chunks(self, stop: int | None = None):
        """``(first position, ids)`` of the original's tokens ``SCAN_CHUNK`` at a time (up to
        ``stop``): whole-original work in pieces, its temporaries a chunk's, not the text's."""
        stop = len(self.a_ids) if stop is None else stop
        for lo in range(0, stop, SCAN_CHUNK):
            yield lo, self.a_ids[lo : min(lo + SCAN_CHUNK, stop)]

    def positions(self, wanted: np.ndarray) -> np.ndarray:
        """The original's positions (ascending) whose key id is ``wanted`` (a bool per id)."""
        found = [lo + np.flatnonzero(wanted[ids]) for lo, ids in self.chunks()]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def hashes(self, pos: np.ndarray) -> np.ndarray:
        """The random values of the original's tokens at positions ``pos``."""
        return self.token_hash[self.a_ids[pos]]

    def key_facts(self, ids: np.ndarray):
        """For key ids ``ids`` (distinct): letters+digits, capitals+digits, and whether the key
        is a name (capitalized, its lowercase form unused in the original). Computed for the
        hunks' keys only: the original's whole vocabulary is not needed."""
        keys = self.keys
        if self._used is None:
            self._used = set(map(keys.__getitem__, np.flatnonzero(self.in_a).tolist()))
        used = self._used
        hunk_keys = list(map(keys.__getitem__, ids.tolist()))
        letters = [sum(map(str.isalnum, key)) for key in hunk_keys]
        if _all_caps(used):  # every word looks like an acronym and a name: capitals say nothing
            return letters, [0] * len(hunk_keys), [False] * len(hunk_keys)
        # no character is both a capital and a digit
        capitals = [sum(map(str.isupper, key)) + sum(map(str.isdigit, key)) for key in hunk_keys]
        name = [key[:1].isupper() and key.isalpha() and key.lower() not in used
                for key in hunk_keys]
        return letters, capitals, name


def _all_caps(keys: set[str]) -> bool:
    """Whether a text is written in capitals (an ASR transcript, a telegram): most of its
    distinct words with letters of both cases possible are all capitals."""
    cased = [k for k in keys if k.upper() != k.lower()]
    return sum(map(str.isupper, cased)) * 2 > len(cased)


class _HashTable:
    """An open-addressing hash table of distinct nonzero uint64 keys -> their index, built and
    probed with whole-array operations (linear probing; a lookup stops at an empty slot)."""

    def __init__(self, keys: np.ndarray):
        bits = max(4, int(len(keys) * 4).bit_length())
        self.mask = np.uint64((1 << bits) - 1)
        self.shift = np.uint64(64 - bits)
        self.slots = np.zeros(1 << bits, dtype=np.uint64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        pending = np.arange(len(keys))
        probe = np.zeros(len(keys), dtype=np.uint64)
        home = keys >> self.shift
        while len(pending):
            s = (home[pending] + probe[pending]) & self.mask
            free = self.slots[s] == _EMPTY
            # one winner per free slot; the losers try the same slot again (now taken) next round
            fs, first = np.unique(s[free], return_index=True)
            winners = pending[free][first]
            self.slots[fs] = keys[winners]
            self.values[fs] = winners
            probe[pending[~free]] += np.uint64(1)
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Index of each key, -1 when absent; ``LOOKUP_CHUNK`` keys at a time (the original's
        every position is looked up: the probe's temporaries, five arrays as long as the
        keys, would be 0.3 GB of a ten-million-token original)."""
        if len(keys) <= LOOKUP_CHUNK:
            return self._lookup(keys)
        return np.concatenate([self._lookup(keys[k : k + LOOKUP_CHUNK])
                               for k in range(0, len(keys), LOOKUP_CHUNK)])

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        out = np.full(len(keys), -1, dtype=np.int64)
        todo = np.arange(len(keys))
        s = keys >> self.shift
        while len(todo):
            k = keys[todo]
            slot = self.slots[s[todo]]
            hit = slot == k
            out[todo[hit]] = self.values[s[todo[hit]]]
            go_on = ~hit & (slot != _EMPTY)
            todo = todo[go_on]
            s[todo] = (s[todo] + np.uint64(1)) & self.mask
        return out


# --- copies -------------------------------------------------------------------------------------


@dataclass
class _Level:
    """Matches of one n-gram length ``n``: for every query position, the entry of its n-gram
    (-1 when it does not occur in the original); the original's positions that matched an entry
    (ascending) with their entries; one matched position per entry (``rep``: the last). For
    ``n == 1`` (entries are key ids) the positions are not kept: every original position whose
    token occurs in the query would be millions (``,``, ``the``); ``occurrences`` finds the few
    keys' asked for."""

    n: int
    entry: np.ndarray  # per query position
    a_pos: np.ndarray | None
    a_entry: np.ndarray | None
    rep: np.ndarray  # per entry: one original position where it occurs, -1 when none

    def occurrences(self, index: OriginalIndex, need: np.ndarray):
        """``(a_entry, a_pos)`` of the original's matches of the entries ``need`` (a bool per
        entry), ascending by position."""
        if self.a_pos is None:
            a_pos = index.positions(need)
            return index.a_ids[a_pos].astype(np.int64), a_pos
        keep = need[self.a_entry]
        return self.a_entry[keep], self.a_pos[keep]


def _level(n: int, entry, a_pos, a_entry, n_entries: int) -> _Level:
    rep = np.full(n_entries, -1, dtype=np.int64)
    rep[a_entry] = a_pos
    return _Level(n, entry, a_pos, a_entry, rep)


def _match_levels(index: OriginalIndex, q_ids: np.ndarray, q_end: np.ndarray) -> list[_Level]:
    """For each n = 1..MAX_GRAM, which query n-grams (not crossing ``q_end``, the end of the
    position's hunk) occur in the original, and where. Unigrams and bigrams are found over the
    whole original a chunk at a time (only a position whose token and next token both occur in
    the query can start a query bigram); longer n-grams only where the (n-1)-gram matched."""
    n_a = len(index.a_ids)
    qx = index.token_hash[q_ids]
    q_pos = np.arange(len(q_ids))
    # n = 1: the vocabulary says it; entries are key ids
    alive = index.in_a[q_ids]
    in_q = np.zeros(len(index.in_a), dtype=bool)
    in_q[q_ids] = True
    rep = np.full(len(in_q), -1, dtype=np.int64)
    for lo, ids in index.chunks():
        at = np.flatnonzero(in_q[ids])
        rep[ids[at]] = lo + at  # the last occurrence wins
    levels = [_Level(1, np.where(alive, q_ids, -1), None, None, rep)]
    qh = qx
    a_pos = ah = None
    for n in range(2, MAX_GRAM + 1):
        ok = alive & (q_pos + n <= q_end)
        ok[ok] &= alive[q_pos[ok] + 1]  # its (n-1)-suffix must occur too
        if not ok.any():
            break
        j = q_pos[ok]
        qh_n = qh[j] * _P + qx[j + n - 1]
        uniq, inverse = np.unique(qh_n, return_inverse=True)
        table = _HashTable(uniq)
        if a_pos is None:  # bigrams: scan the original
            a_pos, ah, a_entry = _bigram_matches(index, in_q, table)
        else:
            keep = a_pos + n <= n_a
            a_pos = a_pos[keep]
            ah = ah[keep] * _P + index.hashes(a_pos + n - 1)
            a_entry = table.lookup(ah)
            hit = a_entry >= 0
            a_pos, ah, a_entry = a_pos[hit], ah[hit], a_entry[hit]
        found = np.zeros(len(uniq), dtype=bool)
        found[a_entry] = True
        entry = np.full(len(q_ids), -1, dtype=np.int64)
        entry[j] = np.where(found[inverse], inverse, -1)
        alive = entry >= 0
        qh = np.zeros(len(q_ids), dtype=np.uint64)
        qh[j] = qh_n
        levels.append(_level(n, entry, a_pos, a_entry, len(uniq)))
        if not alive.any():
            break
    return levels


def _bigram_matches(index: OriginalIndex, in_q: np.ndarray, table: _HashTable):
    """The original's positions (ascending) where a bigram of ``table`` starts, their bigram
    hashes and table entries; looked up only where both tokens occur in the query (``in_q``)."""
    pos, hashes, entries = [], [], []
    for lo, ids in index.chunks(len(index.a_ids) - 1):
        nxt = index.a_ids[lo + 1 : lo + 1 + len(ids)]
        at = np.flatnonzero(in_q[ids] & in_q[nxt])
        h = index.token_hash[ids[at]] * _P + index.token_hash[nxt[at]]
        e = table.lookup(h)
        hit = e >= 0
        pos.append(lo + at[hit])
        hashes.append(h[hit])
        entries.append(e[hit])
    if not pos:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64),
                np.zeros(0, dtype=np.int64))
    return np.concatenate(pos), np.concatenate(hashes), np.concatenate(entries)


def _prefix(x: np.ndarray) -> np.ndarray:
    """``out[k] = x[:k].sum()``: any range's sum in two lookups."""
    return np.concatenate(([0], np.cumsum(x, dtype=np.int64)))


def _copies(al: Alignment, index: OriginalIndex):
    """Covered share of every hunk (by id), and the tables of ``Provenance``: every hunk's
    parts, the parts' places (looked up only for the hunks that are copies), the copies'
    sources. All hunks at once: the hunks' corrupted tokens
    laid end to end (the query), one array per fact over it, prefix sums for each piece's and
    each hunk's sums; Python runs only per extended piece and per place found."""
    covered = np.zeros(len(al.hunks))
    hunks = [h for h in al.hunks if h.tb[1] > h.tb[0]]
    if not hunks or not len(index.a_ids):
        return covered, _Runs.empty(6), _Runs.empty(2), _Runs.empty(2)
    n_h = len(hunks)
    tb0 = np.fromiter((h.tb[0] for h in hunks), dtype=np.int64, count=n_h)
    lengths = np.fromiter((h.tb[1] for h in hunks), dtype=np.int64, count=n_h) - tb0
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    n_q = int(offsets[-1])
    hunk_of = np.repeat(np.arange(n_h), lengths)
    qj = np.arange(n_q) + (tb0 - offsets[:-1])[hunk_of]  # the corrupted token at each position
    q_ids = np.fromiter(map(al.b.ids.__getitem__, qj.tolist()), dtype=np.int64, count=n_q)
    q_end = offsets[1:][hunk_of]
    levels = _match_levels(index, q_ids, q_end)
    longest = np.zeros(n_q, dtype=np.int64)
    for lv in levels:
        longest[lv.entry >= 0] = lv.n

    distinct, inverse = np.unique(q_ids, return_inverse=True)
    let, cap, nam = (np.asarray(f, dtype=np.int64) for f in index.key_facts(distinct))
    c_letters = _prefix(let[inverse])
    c_capitals = _prefix(cap[inverse])
    c_content = _prefix(((let >= CONTENT_LETTERS) | (nam > 0))[inverse])
    b_starts = np.frombuffer(al.b.starts, dtype=al.b.starts.typecode)
    b_ends = np.frombuffer(al.b.ends, dtype=al.b.ends.typecode)
    # a token starts a new word when space separates it from the one before (words.word_starts)
    c_new_word = _prefix(b_starts[qj] > b_ends[np.maximum(qj - 1, 0)])

    piece_end = np.arange(n_q) + longest
    _extend_pieces(al, index, levels, qj, q_end, longest, piece_end)
    pq = _parse(longest, piece_end, offsets)
    pqe, pn, ph = piece_end[pq], longest[pq], hunk_of[pq]
    ps = _extend_left_pieces(al, index, levels, pq, pqe, pn, ph, qj, offsets)  # piece starts
    good = ((c_content[pqe] > c_content[ps])
            | (c_capitals[pqe] - c_capitals[ps] >= ACRONYM_CAPITALS)
            | (1 + c_new_word[pqe] - c_new_word[ps + 1] >= PHRASE_WORDS))
    h0, h1 = offsets[:-1], offsets[1:]
    total = c_letters[h1] - c_letters[h0]
    got = np.bincount(ph[good], weights=(c_letters[pqe] - c_letters[ps])[good], minlength=n_h)
    share = np.where(total > 0, got / np.maximum(total, 1), 0.0)
    n_words = 1 + c_new_word[h1] - c_new_word[h0 + 1]
    n_pieces = np.bincount(ph, minlength=n_h)
    share[(n_words >= PASSAGE_WORDS) & (n_words < PASSAGE_PART_WORDS * n_pieces)] = 0.0
    copy = share >= COPY_SHARE

    here_tok = np.fromiter((h.ta[0] for h in hunks), dtype=np.int64, count=n_h)
    wanted = np.flatnonzero(good & copy[ph])
    place_piece, place_i, place_end = _places(al, index, levels, pq[wanted], pn[wanted],
                                              qj[ps[wanted]], qj[pq[wanted]],
                                              qj[pqe[wanted] - 1] + 1, here_tok[ph[wanted]])
    place_piece = wanted[place_piece]  # places come grouped by piece, nearest first

    a_starts = np.frombuffer(al.a.starts, dtype=al.a.starts.typecode)
    a_ends = np.frombuffer(al.a.ends, dtype=al.a.ends.typecode)
    s, e = a_starts[place_i], a_ends[place_end - 1]
    here_char = np.fromiter((h.a[0] for h in hunks), dtype=np.int64, count=n_h)
    rank = np.arange(len(place_piece)) - np.searchsorted(place_piece, place_piece)
    ids = np.fromiter((h.id for h in hunks), dtype=np.int64, count=n_h)
    sources = _ordered_sources(ids[ph[place_piece]], rank, s, e, here_char[ph[place_piece]])

    covered[ids] = share
    j0, j1 = qj[ps], qj[pqe - 1] + 1
    parts = _Runs(ids[ph], j0, j1, b_starts[j0], b_ends[j1 - 1], good, np.arange(len(pq)))
    return covered, parts, _Runs(place_piece, s, e), sources


def _ordered_sources(hunk, rank, s, e, here) -> _Runs:
    """The copies' sources from their parts' places ``[s, e)`` (``hunk``: the place's hunk id;
    ``rank``: 0 for a part's nearest place, 1 for its second, ...; ``here``: the hunk's start
    in the original): per hunk by rank, then distance from ``here``, then longest, then
    leftmost; each span once."""
    dist = np.abs(s - here)
    order = np.lexsort((e, s, s - e, dist, rank, hunk))
    hunk, s, e = hunk[order], s[order], e[order]
    # a span listed twice in a hunk keeps its first (best) place
    by_span = np.lexsort((np.arange(len(s)), e, s, hunk))
    hs, ss, es = hunk[by_span], s[by_span], e[by_span]
    repeat = np.zeros(len(s), dtype=bool)
    repeat[by_span[1:]] = (hs[1:] == hs[:-1]) & (ss[1:] == ss[:-1]) & (es[1:] == es[:-1])
    return _Runs(hunk[~repeat], s[~repeat], e[~repeat])


def _extend_pieces(al, index: OriginalIndex, levels, qj, q_end, longest, piece_end) -> None:
    """Where a match stops inside its hunk, at the capped length or at a word the two sides
    tokenized differently, extend it (``_extend``) from the n-gram's first place: ``piece_end``
    updated in place. Only where the next tokens are equal or one's key begins the other's."""
    a_ids, keys = index.a_ids, index.keys
    n_a = len(a_ids)
    q = np.flatnonzero((longest > 0) & (piece_end < q_end))
    n = longest[q]
    i = np.empty(len(q), dtype=np.int64)
    for lv in levels:
        at = n == lv.n
        i[at] = lv.rep[lv.entry[q[at]]]
    inside = i + n < n_a
    q, n, i = q[inside], n[inside], i[inside]
    j1 = qj[q] + n
    ka = a_ids[i + n]
    kb = np.fromiter(map(al.b.ids.__getitem__, j1.tolist()), dtype=np.int64, count=len(q))
    maybe = np.flatnonzero(ka == kb)
    differ = np.flatnonzero(ka != kb)
    prefix = [x.startswith(y) or y.startswith(x) for x, y in
              zip(map(keys.__getitem__, ka[differ].tolist()),
                  map(keys.__getitem__, kb[differ].tolist()), strict=True)]
    maybe = np.sort(np.concatenate((maybe, differ[np.asarray(prefix, dtype=bool)])))
    for k in maybe.tolist():
        j = int(j1[k])
        tb1 = j + int(q_end[q[k]] - q[k] - n[k])  # the hunk's end in corrupted tokens
        j_end = _extend(al, int(i[k] + n[k]), j, tb1)[1]
        piece_end[q[k]] += j_end - j


def _extend_left_pieces(al, index: OriginalIndex, levels, pq, pqe, pn, ph, qj, offsets):
    """Where a piece follows tokens no piece covers (in its hunk), and the key before it ends
    like the key before its n-gram's first place (or the other way round), extend it to the
    left across a word the two sides tokenized differently (``did n't`` / ``didn't``):
    the piece start of every piece (query positions)."""
    ps = pq.copy()
    before = np.concatenate(([0], pqe[:-1]))
    first = np.concatenate(([True], ph[1:] != ph[:-1]))
    free_from = np.where(first, offsets[:-1][ph], before)  # first uncovered position before
    cand = np.flatnonzero(free_from < pq)
    if not len(cand):
        return ps
    i = np.empty(len(cand), dtype=np.int64)
    for lv in levels:
        at = pn[cand] == lv.n
        i[at] = lv.rep[lv.entry[pq[cand][at]]]
    keys, a_ids, b_ids = index.keys, index.a_ids, al.b.ids
    for k, i0 in zip(cand.tolist(), i.tolist(), strict=True):
        if i0 == 0:
            continue
        ka, kb = keys[a_ids[i0 - 1]], keys[b_ids[int(qj[pq[k]]) - 1]]
        if not (ka.endswith(kb) or kb.endswith(ka)):
            continue
        j = int(qj[pq[k]])
        j_left = _extend_left(al, i0, j, j - int(pq[k] - free_from[k]))[1]
        ps[k] -= j - j_left
    return ps


def _parse(longest, piece_end, offsets) -> np.ndarray:
    """Greedy longest-match cover of every hunk by runs of the original, left to right: the
    query positions where pieces start, ascending. One step per piece and hunk, all hunks
    together: from a piece's end, the next position with a match starts the next piece."""
    n_q = len(longest)
    matched = np.where(longest > 0, np.arange(n_q), n_q)
    next_match = np.append(np.minimum.accumulate(matched[::-1])[::-1], n_q)
    ends = offsets[1:]
    front = next_match[offsets[:-1]]
    keep = front < ends
    front, ends = front[keep], ends[keep]
    found = []
    while len(front):
        found.append(front)
        front = next_match[piece_end[front]]
        keep = front < ends
        front, ends = front[keep], ends[keep]
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _places(al, index: OriginalIndex, levels, pq, pn, j0, jn, j1, here):
    """The nearest places (original token ranges ``[i, i_end)``) of pieces found at query
    positions ``pq`` (corrupted token ``jn``) by n-grams of ``pn`` tokens, spanning corrupted
    tokens ``j0..j1`` (``j0 < jn``: extended to the left), nearest
    to original token ``here``: ``(piece, i, i_end)`` arrays, grouped by piece in the order
    given, nearest first (ties: the earlier place). A piece longer than its n-gram is checked
    at each candidate place to its end.

    Every n-gram's occurrences are one run of a sorted array of ``group * N + position``, so
    one searchsorted finds, for all pieces at once, the run and where ``here`` falls in it."""
    n_big = len(index.a_ids) + 1
    base = np.cumsum([0] + [len(lv.rep) for lv in levels])
    group = np.empty(len(pq), dtype=np.int64)
    runs = []
    for lv, b in zip(levels, base.tolist(), strict=False):
        at = pn == lv.n
        if not at.any():
            continue
        group[at] = b + lv.entry[pq[at]]
        need = np.zeros(len(lv.rep), dtype=bool)
        need[lv.entry[pq[at]]] = True
        a_entry, a_pos = lv.occurrences(index, need)
        runs.append((b + a_entry) * n_big + a_pos)
    if not runs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    occ = np.sort(np.concatenate(runs))
    lo = np.searchsorted(occ, group * n_big)
    hi = np.searchsorted(occ, (group + 1) * n_big)
    mid = np.searchsorted(occ, group * n_big + here)
    extended = (j1 - j0 > pn) | (j0 < jn)

    # plain pieces: the SOURCES_PER_PART nearest are among that many either side of ``here``
    r = SOURCES_PER_PART
    plain = np.flatnonzero(~extended)
    cols = np.arange(-r, r)
    idx = mid[plain, None] + cols
    valid = (idx >= lo[plain, None]) & (idx < hi[plain, None])
    pos = occ[np.clip(idx, 0, len(occ) - 1)] % n_big
    dist = np.where(valid, np.abs(pos - here[plain, None]), n_big)
    order = np.argsort(dist * (2 * r) + (cols + r), axis=1)[:, :r]
    pos = np.take_along_axis(pos, order, axis=1)
    ok = np.take_along_axis(valid, order, axis=1)
    row = np.broadcast_to(plain[:, None], ok.shape)[ok]
    out_piece, out_i = [row], [pos[ok]]
    out_end = [pos[ok] + pn[row]]

    # extended pieces: a wider window, each candidate extended to the piece's end
    more = []
    reach = SOURCES_PER_PART * 8
    for k in np.flatnonzero(extended).tolist():
        cand = occ[max(lo[k], mid[k] - reach) : min(hi[k], mid[k] + reach)] % n_big
        n, j_start, j_gram, j_stop = int(pn[k]), int(j0[k]), int(jn[k]), int(j1[k])
        got = 0
        for i in cand[np.argsort(np.abs(cand - here[k]), kind="stable")].tolist():
            i_end, j_end = _extend(al, i + n, j_gram + n, j_stop)
            if j_end < j_stop:
                continue
            if j_start < j_gram:
                i, j_left = _extend_left(al, i, j_gram, j_start)
                if j_left > j_start:
                    continue
            more.append((k, i, i_end))
            got += 1
            if got == SOURCES_PER_PART:
                break
    if more:
        k_, i_, e_ = (np.asarray(c, dtype=np.int64) for c in zip(*more, strict=True))
        out_piece.append(k_)
        out_i.append(i_)
        out_end.append(e_)
    piece = np.concatenate(out_piece)
    order = np.argsort(piece, kind="stable")
    return piece[order], np.concatenate(out_i)[order], np.concatenate(out_end)[order]


def _extend(al: Alignment, i: int, j: int, j_end: int) -> tuple[int, int]:
    """Extend a match ending at original token ``i`` / corrupted token ``j`` as far as the
    corrupted tokens up to ``j_end`` go on agreeing: token by token, and across a word the two
    sides split differently (``didn't`` / ``did n't``) character by character, stopping on a
    token boundary of both sides."""
    a_ids, b_ids = al.a.ids, al.b.ids
    keys = al.a.vocab.keys
    n_a = len(a_ids)
    while j < j_end and i < n_a:
        if a_ids[i] == b_ids[j]:
            i += 1
            j += 1
            continue
        ka, kb = keys[a_ids[i]], keys[b_ids[j]]
        if not (ka.startswith(kb) or kb.startswith(ka)):
            break
        # walk both key streams until they end a token together
        x, y = i, j
        ra, rb = ka, kb
        while True:
            m = min(len(ra), len(rb))
            if ra[:m] != rb[:m]:
                return i, j
            ra, rb = ra[m:], rb[m:]
            if not ra:
                x += 1
            if not rb:
                y += 1
            if not ra and not rb:
                break
            if not ra:
                if x >= n_a:
                    return i, j
                ra = keys[a_ids[x]]
            if not rb:
                if y >= j_end:
                    return i, j
                rb = keys[b_ids[y]]
        i, j = x, y
    return i, j


def _extend_left(al: Alignment, i: int, j: int, j_start: int) -> tuple[int, int]:
    """``_extend`` to the left: a match starting at original token ``i`` / corrupted token
    ``j``, extended over the corrupted tokens down to ``j_start`` while they agree, token by
    token or across a word split differently, character by character from the end, stopping on
    a token boundary of both sides."""
    a_ids, b_ids = al.a.ids, al.b.ids
    keys = al.a.vocab.keys
    while j > j_start and i > 0:
        if a_ids[i - 1] == b_ids[j - 1]:
            i -= 1
            j -= 1
            continue
        x, y = i - 1, j - 1
        ra, rb = keys[a_ids[x]], keys[b_ids[y]]
        while True:
            m = min(len(ra), len(rb))
            if ra[len(ra) - m :] != rb[len(rb) - m :]:
                return i, j
            ra, rb = ra[: len(ra) - m], rb[: len(rb) - m]
            if not ra and not rb:
                break
            if not ra:
                if x == 0:
                    return i, j
                x -= 1
                ra = keys[a_ids[x]]
            if not rb:
                if y - 1 < j_start:
                    return i, j
                y -= 1
                rb = keys[b_ids[y]]
        i, j = x, y
    return i, j


# --- moves --------------------------------------------------------------------------------------


def _moves(al: Alignment, token_hash: np.ndarray
           ) -> dict[int, tuple[int | None, int | None, float | None]]:
    """``hunk id -> (moved_to, moved_from, similarity)`` for both hunks of every move (see
    ``_move_pairs``; ``token_hash``: ``OriginalIndex.token_hash``)."""
    gone = [(h.id, h.ta) for h in al.hunks if h.kind != INSERTED and _big(al.a, h.ta)]
    came = [(h.id, h.tb) for h in al.hunks if h.kind != MISSING and _big(al.b, h.tb)]
    if not gone or not came:
        return {}
    return _move_pairs(gone, al.a.ids, came, al.b.ids, token_hash)


def _move_pairs(gone, a_ids, came, b_ids, token_hash: np.ndarray
                ) -> dict[int, tuple[int | None, int | None, float | None]]:
    """Moves between ``gone`` hunks (``(hunk id, (i0, i1))`` token ranges of ``a_ids``, in hunk
    order) and ``came`` hunks (ranges of ``b_ids``): each came hunk tries the
    ``MOVE_CANDIDATES`` gone hunks sharing most distinct ``SHINGLE``-token shingles with it
    (ties: the earlier hunk) among those that could be its partner (another hunk, of compatible
    length), and pairs with them at Indel similarity ``MOVE_SIMILARITY`` or more; then the best
    pairs first, each hunk side in at most one move."""
    g_id, g_len = _ids_lengths(gone)
    c_id, c_len = _ids_lengths(came)
    # a hunk no hunk of the other side could pair with is never indexed (a ten-million-token
    # missing hunk against a short corrupted text); nor one too long to compare
    g_keep = _has_partner(g_id, g_len, c_id, c_len)
    c_keep = _has_partner(c_id, c_len, g_id, g_len)
    gone = [g for g, keep in zip(gone, g_keep.tolist(), strict=True) if keep]
    came = [c for c, keep in zip(came, c_keep.tolist(), strict=True) if keep]
    g_id, g_len, c_id, c_len = g_id[g_keep], g_len[g_keep], c_id[c_keep], c_len[c_keep]
    if not gone or not came:
        return {}
    g_hash, g_hunk = _shingle_hashes(a_ids, [r for _, r in gone], token_hash)
    by_hash = np.argsort(g_hash, kind="stable")  # within a hash, hunks stay in hunk order
    g_hash, g_hunk = g_hash[by_hash], g_hunk[by_hash]
    del by_hash
    c_hash, c_hunk = _shingle_hashes(b_ids, [r for _, r in came], token_hash)
    scored = []
    for c, k in _candidates(g_hash, g_hunk, c_hash, c_hunk, g_id, g_len, c_id, c_len):
        (gid, (i0, i1)), (cid, (j0, j1)) = gone[k], came[c]
        # score_cutoff: below the threshold the answer is 0 (sooner), above it the same
        sim = Indel.normalized_similarity(a_ids[i0:i1], b_ids[j0:j1],
                                          score_cutoff=MOVE_SIMILARITY)
        if sim >= MOVE_SIMILARITY:
            scored.append((sim, gid, cid))
    out: dict[int, list] = {}
    used_from: set[int] = set()
    used_to: set[int] = set()
    for sim, g, c in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if g in used_from or c in used_to:
            continue
        used_from.add(g)
        used_to.add(c)
        og = out.setdefault(g, [None, None, None])
        oc = out.setdefault(c, [None, None, None])
        og[0] = c
        oc[1] = g
        og[2] = sim if og[2] is None else max(og[2], sim)
        oc[2] = sim if oc[2] is None else max(oc[2], sim)
    return {k: tuple(v) for k, v in out.items()}


def _ids_lengths(hunks) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((h for h, _ in hunks), dtype=np.int64, count=len(hunks))
    lengths = np.fromiter((e - s for _, (s, e) in hunks), dtype=np.int64, count=len(hunks))
    return ids, lengths


def _compatible(m, n):
    """Whether token sequences of lengths ``m`` and ``n`` can be ``MOVE_SIMILARITY`` alike
    (element-wise): Indel similarity is ``2 * LCS / (m + n) <= 2 * min / (min + max)``, so it
    reaches ``MOVE_SIMILARITY`` only if ``min / max >= MOVE_SIMILARITY / (2 - MOVE_SIMILARITY)``
    (0.6 for 0.75), written without division; the 1e-9 of slack keeps a pair exactly at the
    bound whatever rounding the threshold's binary value brings. And neither may be longer
    than ``MOVE_MAX_TOKENS``."""
    m, n = np.asarray(m), np.asarray(n)
    short, long = np.minimum(m, n), np.maximum(m, n)
    return ((short * (2 - MOVE_SIMILARITY) >= long * (MOVE_SIMILARITY - 1e-9))
            & (long <= MOVE_MAX_TOKENS))


def _has_partner(x_id, x_len, y_id, y_len) -> np.ndarray:
    """For each hunk x, whether some other hunk y has a ``_compatible`` length. Compatibility
    only gets worse with distance from x's length, so the nearest y on each side decide; x's
    own entry (a substituted hunk is on both sides) may take one of those places, so two on
    each side are looked at."""
    found = np.zeros(len(x_len), dtype=bool)
    if not len(y_len):
        return found
    order = np.argsort(y_len, kind="stable")
    ys_len, ys_id = y_len[order], y_id[order]
    at = np.searchsorted(ys_len, x_len)
    for step in (-2, -1, 0, 1):
        j = at + step
        valid = (j >= 0) & (j < len(ys_len))
        jj = np.clip(j, 0, len(ys_len) - 1)
        found |= valid & (ys_id[jj] != x_id) & _compatible(x_len, ys_len[jj])
    return found


def _shingle_hashes(ids: np.ndarray, ranges, token_hash: np.ndarray):
    """The distinct ``SHINGLE``-token shingles of each token range of ``ids`` (a sequence of key
    ids) as 64-bit hashes
    (a polynomial of the tokens' random values): ``(hash, range index)`` arrays, by range, hashes
    ascending within one. Ranges are at least ``MOVE_MIN_WORDS`` >= ``SHINGLE`` tokens long.
    12 bytes a token; the temporaries are one range's."""
    hashes, owners = [], []
    for k, (i0, i1) in enumerate(ranges):
        n = i1 - i0 - SHINGLE + 1
        if n <= 0:
            continue
        values = token_hash[np.asarray(ids[i0:i1], dtype=np.int64)]
        h = np.zeros(n, dtype=np.uint64)
        for d in range(SHINGLE):
            h *= _P
            h += values[d : d + n]
        h = np.unique(h)
        hashes.append(h)
        owners.append(np.full(len(h), k, dtype=np.int32))
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    return np.concatenate(hashes), np.concatenate(owners)


def _candidates(g_hash, g_hunk, c_hash, c_hunk, g_id, g_len, c_id, c_len):
    """``(came, gone)`` index pairs: for each came hunk, in order, the ``MOVE_CANDIDATES``
    gone hunks that could be its partner sharing the most distinct shingles with it, most
    first, ties by hunk order. ``g_hash`` ascending (hunks ascending within a hash); ``c_hunk``
    ascending. Votes are counted by sorting (shingle, came, gone) matches, ``MATCH_CHUNK`` at a
    time, cut between came hunks."""
    lo = np.searchsorted(g_hash, c_hash, side="left")
    n_match = np.searchsorted(g_hash, c_hash, side="right") - lo
    del c_hash
    first = np.searchsorted(c_hunk, np.arange(len(c_len) + 1))  # each came hunk's shingles
    per_hunk = np.cumsum(np.bincount(c_hunk, weights=n_match, minlength=len(c_len)))
    n_gone = len(g_len)
    out = []
    h0 = 0
    while h0 < len(c_len):
        # whole came hunks, up to MATCH_CHUNK matches (at least one hunk)
        before = per_hunk[h0 - 1] if h0 else 0.0
        h1 = max(h0 + 1, int(np.searchsorted(per_hunk, before + MATCH_CHUNK, side="right")))
        start, stop = int(first[h0]), int(first[h1])
        h0 = h1
        counts = n_match[start:stop]
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        k = g_hunk[np.repeat(lo[start:stop], counts) + offsets].astype(np.int64)
        c = np.repeat(c_hunk[start:stop], counts).astype(np.int64)
        ok = (g_id[k] != c_id[c]) & _compatible(g_len[k], c_len[c])
        pair, votes = np.unique(c[ok] * n_gone + k[ok], return_counts=True)
        c, k = pair // n_gone, pair % n_gone
        order = np.lexsort((k, -votes, c))
        c, k = c[order], k[order]
        rank = np.arange(len(c)) - np.searchsorted(c, c)
        top = rank < MOVE_CANDIDATES
        out.extend(zip(c[top].tolist(), k[top].tolist(), strict=True))
    return out


def _big(tok, rng: tuple[int, int]) -> bool:
    """Whether a hunk side is long enough to be a move's (``MOVE_MIN_WORDS``,
    ``MOVE_MIN_CHARS``) and not too long: over ``MOVE_MAX_TOKENS`` it is no move's anyway
    (``_compatible``), and counting its words would build Python lists as long as it (a
    ten-million-token hunk: 0.7 GB)."""
    i0, i1 = rng
    if not MOVE_MIN_WORDS <= i1 - i0 <= MOVE_MAX_TOKENS:
        return False
    if sum(len(k) for k in tok.keys(i0, i1)) < MOVE_MIN_CHARS:
        return False
    return word_count(tok, i0, i1) >= MOVE_MIN_WORDS


__all__ = ["Hunk", "HunkProvenance", "OriginalIndex", "Part", "Provenance", "provenance"]
