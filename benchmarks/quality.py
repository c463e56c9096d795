"""Quality benchmark: how well an aligner finds synthetic corruption, against two baselines.

Run from the repository root::

    python benchmarks/quality.py [--pairs 200] [--seed 0] [--source FILE ...]
                                 [--json FILE] [--dump N]

Clean source texts are cut into documents of about 500-1500 words and corrupted the way the
example pair in ``seeds/`` was corrupted (``corrupt`` below). Each corruption records its gold:
the character offsets it touched in the original and in the corrupted text.

Corruption (gold), at random non-overlapping positions:

- a hyphenated compound (``Russian-Turkish``, ``F-16``, ``S-400,`` with an attached comma) is
  replaced by a run of spaces. Gold: the compound's characters in the original, nothing in the
  corrupted text (the spaces are whitespace);
- mention swap: 1-3 words replaced by an entity mention or noun phrase taken from elsewhere in
  the same document, usually in its raw untokenized form (``the Kremlin’s``). Gold: the
  replaced characters and the mention's characters;
- small deletion of 1-3 words; small insertion of 1-3 words taken from elsewhere in the text;
- one inserted paragraph per document (with some probability): a quoted sentence or two from
  another source document, at a paragraph boundary. Gold: all of its characters;
- trailing debris after the last sentence (``the   coalition``). Gold: its characters.

Then noise that is NOT corruption is applied to the whole corrupted text, and the gold flags are
carried through it character by character: PTB-style re-tokenization (``Turkey’s`` ->
``Turkey ’s``, ``U.S.`` -> ``U. S.``, ``didn't`` -> ``did n't``, ``Aleppo.`` -> ``Aleppo .``,
``—`` -> ``   —    ``), curly double quotes straightened (and, in some documents, ’ -> '), every
other whitespace run (newlines included: paragraphs are joined into one line) made one space.
Swapped-in mentions in raw form are left alone. ``check_gold`` verifies that what remains of
both texts once gold and whitespace are removed is the same string.

The gold should be the one best explanation of the pair, so a candidate edit is rejected when
another alignment would explain the texts as well (as many tokens matched, no more hunks):

- a swapped-in mention sharing a token with the words it replaces;
- a pure insertion or deletion repeating its neighbour token (``the [the]``);
- two edits whose uncorrupted tokens between them also occur, in order, inside either edit
  (``as [well] as [bad]`` -> ``as [Bashar] as [a striking…]``: either ``as`` matches), or, at
  most one token apart, one inserting a token the other removes.

Tokens here are ``\\w+`` runs or single other characters, quotes and dashes folded.

Gold edits: edits whose original-side spans touch (nothing but whitespace between them) count
as ONE gold edit, e.g. ``Su-24 attack`` -> ``   Russian``.

Scoring, micro-averaged over all pairs: a non-whitespace character is predicted corrupt when it
lies inside a predicted hunk's span on its side (missing and substituted hunks mark original
spans, inserted and substituted hunks mark corrupted spans); precision, recall and F1 count
non-whitespace characters of both sides together. ``hunks/edit`` is the number of predicted
hunks divided by the number of gold edits (1.0 is ideal).

Systems: the project (``viewer.align.align``); plain rapidfuzz Levenshtein opcodes over
``\\w+|[^\\w\\s]`` tokens; difflib.SequenceMatcher over whitespace-split tokens. A
"whitespace" check also runs: letter-spaced and split/joined words in otherwise equal texts
must give no project hunks.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
SHARED_PAIRS = ROOT.parent / "shared" / "pairs"
SEED_ORIGINAL = ROOT / "seeds" / "000_a77c86db7b5a1f59.txt"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that `import viewer` works from a checkout
DEFAULT_SOURCES = (
    SHARED_PAIRS / "wikipedia-revision-diffmatchpatch" / "a.txt",
    SHARED_PAIRS / "textattack-adversarial-samples" / "a.txt",
    SHARED_PAIRS / "texterrors-librispeech-synthetic" / "a.txt",
)

# --- corruption rates -------------------------------------------------------------------------

P_COMPOUND = 0.8  # each hyphenated compound is removed with this probability
SWAP_RATE = (0.01, 0.04)  # mention swaps per word, drawn per document
DELETE_RATE = (0.002, 0.008)
INSERT_RATE = (0.002, 0.008)
P_PARAGRAPH = 0.6
P_DEBRIS = 0.6
P_RAW_MENTION = 0.8  # the rest are re-tokenized like the text around them
P_STRAIGHT_APOSTROPHE = 0.25  # documents where ’ becomes '
PLACEHOLDER = "    "  # a removed compound between two words (as in the example pair)

# --- tokens -----------------------------------------------------------------------------------

CMP_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_TIE_REACH = 30  # tokens: how far apart two edits can be and still make a tie
_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'",
                       "–": "-", "—": "-"})
# A word slot: a compound (optionally with the comma it carries) or a plain word.
SLOT_RE = re.compile(
    r"(?P<c>(?<![\w-])[^\W_]+(?:-[^\W_]+)+(?![\w-]),?)|(?P<w>[^\W_]+(?:[’'][^\W_]+)*)"
)


def fold_tokens(text: str) -> list[str]:
    """Comparison tokens of ``text``: ``\\w+`` runs and single characters, quotes folded."""
    return [m.group().translate(_FOLD) for m in CMP_TOKEN_RE.finditer(text)]


def _subsequence(needle: list[str], seq: list[str]) -> bool:
    it = iter(seq)
    return all(tok in it for tok in needle)


def _last_token(text: str) -> str | None:
    toks = fold_tokens(text[-200:])
    return toks[-1] if toks else None


def _first_token(text: str) -> str | None:
    toks = fold_tokens(text[:200])
    return toks[0] if toks else None


def _slides(inserted: str, before: str, after: str) -> bool:
    """True when a one-sided edit of ``inserted`` between ``before`` and ``after`` could be
    moved by a token without changing either text (so its gold position is ambiguous)."""
    toks = fold_tokens(inserted)
    if not toks:
        return True
    return toks[0] == _first_token(after) or toks[-1] == _last_token(before)


# --- mentions and passages --------------------------------------------------------------------

_CAPWORD = (r"(?:(?:[A-Z]\.){2,}(?! [A-Z])|(?:Mr|Mrs|Ms|Dr|Col|Gen|Sen|Gov|Rep|St)\.(?= [A-Z])"
            r"|[A-Z]\.(?= [A-Z][a-z])|[A-Z]\w*)")
MENTION_RE = re.compile(
    r"(?<![\w’'.-])(?:(?:the|The) )?" + _CAPWORD
    + r"(?: (?:of |al )?" + _CAPWORD + r"){0,3}(?:[’']s)?(?![\w-]|\.\w)"
)
NOUN_PHRASE_RE = re.compile(
    r"(?<![\w’'-])(?:the|a|an|that|this|its|his|her|their) [^\W_]+(?: [^\W_]+)?(?![\w’'-])"
)
_STOP_CAPS = {
    "The", "A", "An", "But", "And", "In", "It", "This", "That", "At", "As", "By", "For", "If",
    "On", "Of", "To", "While", "When", "Some", "Still", "He", "She", "They", "We", "I", "So",
    "There", "His", "Her", "Its", "Their", "What", "Who", "After", "Before", "With", "From",
}


def _bare(word: str) -> str:
    return re.sub(r"[’']s$|\.$", "", word).lower()


def find_mentions(text: str) -> list[str]:
    """Entity mentions (capitalized runs, optional ``the`` and possessive), one per occurrence,
    so frequent entities are drawn more often."""
    return [text[s:e] for s, e in mention_spans(text)]


def mention_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of ``find_mentions``' mentions, in the same order."""
    lower_words = set(re.findall(r"(?<![\w’'])[a-z]\w*", text))
    out = []
    for m in MENTION_RE.finditer(text):
        words = m.group().split(" ")
        # drop sentence-initial common words: "But Russia" -> "Russia"
        while words and (words[0] in _STOP_CAPS and words[0] != "The"
                         or words[0].lower() in lower_words and words[0] not in ("the", "The")):
            words.pop(0)
        content = [w for w in words if w not in ("the", "The", "of", "al")]
        if not content or all(_bare(w) in lower_words for w in content):
            continue
        if words[0] == "The" and len(words) == 1:
            continue
        out.append((m.end() - len(" ".join(words)), m.end()))  # the words kept end the match
    return out


def occurrences(text: str, piece: str) -> tuple[tuple[int, int], ...]:
    """Every ``[start, end)`` span of ``text`` holding exactly ``piece`` (overlaps included)."""
    spans = []
    k = text.find(piece)
    while k >= 0 and piece:
        spans.append((k, k + len(piece)))
        k = text.find(piece, k + 1)
    return tuple(spans)


def split_sentences(paragraph: str) -> list[str]:
    sents = [s for s in re.split(r"(?<=[.!?])\s+|(?<=[.!?][”\"])\s+", paragraph.strip()) if s]
    if len(sents) > 1 or re.search(r"[.!?][”\"]?$", paragraph.strip()):
        return sents
    # unpunctuated text (speech transcripts): chunks of about a sentence
    words = paragraph.split()
    return [" ".join(words[i : i + 18]) for i in range(0, len(words), 18)]


def make_passage(other: str, rng: random.Random) -> str:
    """A quoted sentence or two from another document, shaped like the inserted paragraph of
    the example pair: ``“S1,” said NAME. “S2”``. It starts and ends with a quote mark, so it
    cannot slide past the sentence ends around it."""
    paragraphs = [p for p in other.split("\n") if p.strip()]
    for _ in range(20):
        sents = split_sentences(rng.choice(paragraphs))
        k = rng.randrange(len(sents))
        chosen = [" ".join(s.split()[:45]) for s in sents[k : k + rng.choice((1, 2))]]
        if sum(len(s.split()) for s in chosen) >= 8:
            break
    names = find_mentions(other) or ["a spokesman"]
    if len(chosen) == 2 and rng.random() < 0.6:
        first = chosen[0].rstrip(".!?")
        return f"“{first},” said {rng.choice(names)}. “{chosen[1]}”"
    return "“" + " ".join(chosen) + "”"


# --- the corruptor ----------------------------------------------------------------------------


@dataclass
class _Op:
    """Replace original ``[start, end)`` by ``text`` (``placeholder``: by a run of spaces;
    ``tail``: ``text`` is debris appended after the noise, at the very end)."""

    start: int
    end: int
    text: str
    raw: bool = False
    placeholder: bool = False
    tail: bool = False
    edit: int = -1
    source: tuple[int, int] | None = None  # a copy: the span of the original ``text`` came from


@dataclass(frozen=True)
class Copy:
    """Text the generator copied from elsewhere in the original into the corrupted text: a
    swapped-in mention (``kind`` ``swap``), as inserted before noise (``text``; a mention not
    left raw is re-tokenized with the text around it). ``b``: its ``[start, end)`` span in the
    corrupted text. ``drawn``: the span of the original it was taken from (``original[drawn] ==
    text``); ``sources``: every span of the original holding exactly ``text``, ``drawn`` among
    them (a mention occurring several times came, as far as anyone can tell, from any of them).
    ``edit``: the gold edit it belongs to."""

    kind: str
    text: str
    b: tuple[int, int]
    drawn: tuple[int, int]
    sources: tuple[tuple[int, int], ...]
    edit: int


@dataclass
class Corrupted:
    """A corrupted document with its gold. ``edit_a[i]`` / ``edit_b[i]``: the gold edit that
    character ``i`` of the original / corrupted text belongs to, -1 when it is not corruption.
    Gold edit ids are already merged (touching edits share one id)."""

    original: str
    text: str
    edit_a: list[int]
    edit_b: list[int]
    n_edits: int
    kinds: list[str] = field(default_factory=list)  # per merged edit, e.g. "swap+compound"
    copies: list[Copy] = field(default_factory=list)  # every swapped-in mention, in text order
    # per corrupted character, the kind of the corruption that wrote it ("swap", "insert",
    # "paragraph", "debris"), "" for text that is no corruption
    op_kind_b: list[str] = field(default_factory=list)

    def gold_a(self) -> set[int]:
        return {i for i, e in enumerate(self.edit_a) if e >= 0}

    def gold_b(self) -> set[int]:
        return {i for i, e in enumerate(self.edit_b) if e >= 0}


class _Planner:
    """Chooses non-overlapping edit positions over the original's word slots."""

    def __init__(self, text: str, rng: random.Random):
        self.text = text
        self.rng = rng
        self.slots = [(m.start(), m.end(), m.lastgroup) for m in SLOT_RE.finditer(text)]
        self.used = [False] * len(self.slots)
        self.gaps: set[int] = set()  # insertion points taken, as slot indices
        self.ops: list[_Op] = []
        self.kinds: list[str] = []

    def add(self, op: _Op, kind: str) -> bool:
        if self._tie(op):
            return False
        op.edit = len(self.kinds)
        self.kinds.append(kind)
        self.ops.append(op)
        return True

    def _tie(self, new: _Op) -> bool:
        """Would ``new`` let another alignment explain the texts as well as the gold does
        (as many tokens matched, no more hunks)? Two edits separated by the uncorrupted tokens
        B allow that when B also occurs, in order, inside either edit's inserted or removed
        text (``as [well] as [bad]`` -> ``as [Bashar] as [a striking…]``: either ``as``
        matches), or, with at most one token between them, when one edit inserts a token the
        other removes (``Russia [and Turkey] had [already]`` -> ``Russia [the Islamic State’s]
        had [Turkey]``: ``had`` or ``Turkey`` matches)."""
        ops = sorted(self.ops + [new], key=lambda o: (o.start, o.end, o is new))
        k = next(i for i, o in enumerate(ops) if o is new)
        ins_new = fold_tokens(new.text)
        rem_new = fold_tokens(self.text[new.start : new.end])
        for step in (-1, 1):
            between: list[str] = []
            j = k + step
            while 0 <= j < len(ops):
                left, right = (ops[j - 1], ops[j]) if step == 1 else (ops[j], ops[j + 1])
                gap = fold_tokens(self.text[left.end : right.start])
                between = between + gap if step == 1 else gap + between
                if len(between) > _TIE_REACH:
                    break
                other = ops[j]
                ins = fold_tokens(other.text)
                rem = fold_tokens(self.text[other.start : other.end])
                if len(between) <= 1 and (set(ins_new) & set(rem) or set(ins) & set(rem_new)):
                    return True
                if between and any(_subsequence(between, seq)
                                   for seq in (ins_new, rem_new, ins, rem)):
                    return True
                j += step
        return False

    def _plain(self, k: int) -> bool:
        s, e, kind = self.slots[k]
        return (kind == "w" and not self.used[k]
                and (s == 0 or self.text[s - 1] != "-")
                and (e == len(self.text) or self.text[e] != "-"))

    def _run(self, k: int, n: int) -> bool:
        """Slots ``k..k+n-1`` are free plain words separated by spaces only, same paragraph."""
        if k < 0 or k + n > len(self.slots):
            return False
        for i in range(k, k + n):
            if not self._plain(i):
                return False
            if i > k:
                between = self.text[self.slots[i - 1][1] : self.slots[i][0]]
                if between.strip() or "\n" in between or i in self.gaps:
                    return False
        return True

    def _free_neighbours(self, k: int, n: int) -> bool:
        """Slots just outside ``k..k+n-1`` untouched and no insertion at either edge."""
        if k in self.gaps or k + n in self.gaps:
            return False
        return all(not self.used[i] for i in (k - 1, k + n) if 0 <= i < len(self.slots))

    def _span(self, k: int, n: int) -> tuple[int, int]:
        return self.slots[k][0], self.slots[k + n - 1][1]

    def compounds(self) -> None:
        for k, (s, e, kind) in enumerate(self.slots):
            if kind != "c" or self.rng.random() >= P_COMPOUND:
                continue
            if _slides(self.text[s:e], self.text[:s], self.text[e:]):
                continue
            if self.add(_Op(s, e, "", placeholder=True), "compound"):
                self.used[k] = True

    def swaps(self, count: int, mentions: list[tuple[int, int]],
              phrases: list[tuple[int, int]]) -> None:
        """``mentions``, ``phrases``: spans of the original to draw the swapped-in text from."""
        for _ in range(count * 4):
            if count == 0:
                return
            n = self.rng.choice((1, 1, 1, 2, 2, 3))
            k = self.rng.randrange(len(self.slots))
            if not self._run(k, n):
                continue
            pool = mentions if mentions and (not phrases or self.rng.random() < 0.7) else phrases
            if not pool:
                return
            source = self.rng.choice(pool)
            mention = self.text[source[0] : source[1]]
            s, e = self._span(k, n)
            replaced = set(fold_tokens(self.text[s:e]))
            if replaced & set(fold_tokens(mention)):
                continue  # a shared token would be matched by any aligner
            raw = self.rng.random() < P_RAW_MENTION
            if self.add(_Op(s, e, mention, raw=raw, source=source), "swap"):
                self.used[k : k + n] = [True] * n
                count -= 1

    def deletions(self, count: int) -> None:
        for _ in range(count * 4):
            if count == 0:
                return
            n = self.rng.choice((1, 1, 2, 3))
            k = self.rng.randrange(len(self.slots))
            if not (self._run(k, n) and self._free_neighbours(k, n)):
                continue
            s, e = self._span(k, n)
            if _slides(self.text[s:e], self.text[:s], self.text[e:]):
                continue
            if self.add(_Op(s, e, ""), "delete"):
                self.used[k : k + n] = [True] * n
                count -= 1

    def insertions(self, count: int) -> None:
        words = [self.text[s:e] for s, e, kind in self.slots if kind == "w"]
        if not words:
            return
        for _ in range(count * 4):
            if count == 0:
                return
            k = self.rng.randrange(1, len(self.slots)) if len(self.slots) > 1 else 0
            if not self._free_neighbours(k, 0):
                continue
            n = self.rng.choice((1, 1, 2, 3))
            w = self.rng.randrange(len(words) - n + 1) if len(words) >= n else 0
            piece = " ".join(words[w : w + n])
            p = self.slots[k][0]
            if _slides(piece, self.text[:p], self.text[p:]):
                continue
            if self.add(_Op(p, p, piece + " "), "insert"):
                self.gaps.add(k)
                count -= 1

    def paragraph(self, passage: str) -> None:
        starts = [m.end() for m in re.finditer(r"\n+(?=\S)", self.text)]
        self.rng.shuffle(starts)
        for p in starts:
            k = next((i for i, sl in enumerate(self.slots) if sl[0] >= p), None)
            if k is None or k in self.gaps or _slides(passage, self.text[:p], self.text[p:]):
                continue
            if self.add(_Op(p, p, passage + "\n"), "paragraph"):
                self.gaps.add(k)
                return


def _debris(text: str, rng: random.Random) -> str | None:
    """A few words from the last sentence, compounds reduced to their placeholder spaces."""
    last = split_sentences(text.strip().split("\n")[-1] or text)[-1]
    words = last.split()
    if len(words) < 2:
        return None
    for _ in range(10):
        n = rng.choice((1, 2, 2, 3))
        k = rng.randrange(max(1, len(words) - n))
        picked = [w.strip(".,;:!?“”\"()") for w in words[k : k + n]]
        picked = [" " if "-" in w else w for w in picked]  # "the   coalition"
        debris = " ".join(w for w in picked if w)
        if debris.strip() and not _slides(debris, text, ""):
            return debris
    return None


def corrupt_detailed(text: str, rng: random.Random, others: Sequence[str] = ()) -> Corrupted:
    """Corrupt ``text`` as the example pair was corrupted; ``others`` are other documents the
    inserted paragraph may come from (this text itself when there are none)."""
    plan = _Planner(text, rng)
    n_words = sum(1 for sl in plan.slots if sl[2] == "w")
    if rng.random() < P_PARAGRAPH:
        plan.paragraph(make_passage(rng.choice(others) if others else text, rng))
    plan.compounds()
    mentions = mention_spans(text)
    phrases = [m.span() for m in NOUN_PHRASE_RE.finditer(text)]
    plan.swaps(round(n_words * rng.uniform(*SWAP_RATE)), mentions, phrases)
    plan.deletions(round(n_words * rng.uniform(*DELETE_RATE)))
    plan.insertions(round(n_words * rng.uniform(*INSERT_RATE)))
    debris = _debris(text, rng) if rng.random() < P_DEBRIS else None
    if debris:
        plan.add(_Op(len(text), len(text), debris, tail=True), "debris")
    ops = sorted(plan.ops, key=lambda o: (o.start, o.end))

    # merge touching edits: nothing but whitespace between them in the original
    parent = list(range(len(plan.kinds)))
    for prev, cur in zip(ops, ops[1:], strict=False):
        if not text[prev.end : cur.start].strip():
            parent[cur.edit] = parent[prev.edit]
    for i in range(len(parent)):
        parent[i] = parent[parent[i]]
    roots = sorted(set(parent))
    merged_id = {r: n for n, r in enumerate(roots)}
    edit_of = [merged_id[parent[i]] for i in range(len(parent))]
    kinds = ["+".join(sorted({plan.kinds[i] for i in range(len(parent)) if edit_of[i] == m}))
             for m in range(len(roots))]

    # the corrupted text before noise, as characters with (op, raw) flags: each character
    # inserted by an op carries the op's place in ``ops``, so that after the noise both its gold
    # edit and where the op's text went are known
    edit_a = [-1] * len(text)
    tail_op = None
    chars: list[tuple[str, int, bool]] = []  # (char, op, raw); "\0" marks a placeholder
    pos = 0
    for k, op in enumerate(ops):
        chars.extend((c, -1, False) for c in text[pos : op.start])
        for i in range(op.start, op.end):
            edit_a[i] = edit_of[op.edit]
        if op.placeholder:
            chars.append(("\0", -1, False))
        if op.tail:
            tail_op = k
        else:
            chars.extend((c, k, op.raw) for c in op.text)
        pos = max(pos, op.end)
    chars.extend((c, -1, False) for c in text[pos:])

    straight_apostrophes = rng.random() < P_STRAIGHT_APOSTROPHE
    out, op_b = add_noise(chars, straight_apostrophes)
    if tail_op is not None:
        tail = " \n " + debris + " "
        op_b += [tail_op if not c.isspace() else -1 for c in tail]
        out += tail
    edit_b = [edit_of[ops[k].edit] if k >= 0 else -1 for k in op_b]
    op_kind_b = [plan.kinds[ops[k].edit] if k >= 0 else "" for k in op_b]
    return Corrupted(text, out, edit_a, edit_b, len(roots), kinds,
                     _copies(text, ops, op_b, edit_of), op_kind_b)


def _copies(text: str, ops: list[_Op], op_b: list[int], edit_of: list[int]) -> list[Copy]:
    """The ``Copy`` of every op that copied text of the original (``op_b``: the op each
    character of the corrupted text came from, -1 for none)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, k in enumerate(op_b):
        if k >= 0:
            first.setdefault(k, i)
            last[k] = i + 1
    return [Copy("swap", op.text, (first[k], last[k]), op.source, occurrences(text, op.text),
                 edit_of[op.edit])
            for k, op in enumerate(ops) if op.source is not None]


def corrupt(text: str, rng: random.Random, others: Sequence[str] = ()):
    """``(corrupted_text, gold_a, gold_b, n_edits)``: gold_a / gold_b are the sets of character
    offsets of the original / corrupted text that are corruption."""
    c = corrupt_detailed(text, rng, others)
    return c.text, c.gold_a(), c.gold_b(), c.n_edits


def check_gold(c: Corrupted) -> None:
    """The gold must account for every difference: what is left of both texts once gold and
    whitespace are removed spells the same characters (quotes folded)."""

    def rest(text: str, edits: list[int]) -> str:
        return "".join(ch for ch, e in zip(text, edits, strict=True)
                       if e < 0 and not ch.isspace()).translate(_FOLD)

    if rest(c.original, c.edit_a) != rest(c.text, c.edit_b):
        raise AssertionError("generator bug: the gold does not explain all differences")


# --- noise that is not corruption -------------------------------------------------------------

_ABBREVIATIONS = {
    "Mr.", "Mrs.", "Ms.", "Dr.", "Jr.", "Sr.", "St.", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.",
    "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "Inc.", "Corp.", "Co.", "Ltd.", "Gov.", "Sen.",
    "Rep.", "Gen.", "Lt.", "Sgt.", "Capt.", "Prof.", "vs.", "etc.", "Mt.", "Ft.",
}
_SPLIT_AROUND = set("\"“”()[]{}<>;!?—…")
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.){2,}")
_NT_RE = re.compile(r"(?i)(?<=\w)n['’]t$")
_CLITIC_RE = re.compile(r"(?i)(?<=\w)['’](?:s|m|d|ll|re|ve)$")


def ptb_splits(chunk: str) -> set[int]:
    """Positions inside a whitespace-free ``chunk`` where PTB-style tokenization puts a space."""
    cuts: set[int] = set()
    n = len(chunk)
    for i, ch in enumerate(chunk):
        between_digits = 0 < i < n - 1 and chunk[i - 1].isdigit() and chunk[i + 1].isdigit()
        if ch in _SPLIT_AROUND or (ch in ",:" and not between_digits):
            cuts.update((i, i + 1))
        elif ch == "‘" and i == 0:
            cuts.add(1)
    bounds = sorted({0, n} | {c for c in cuts if 0 < c < n})
    for s, e in zip(bounds, bounds[1:], strict=False):
        seg = chunk[s:e]
        if _INITIALS_RE.fullmatch(seg):  # U.S. -> U. S.
            cuts.update(s + i + 1 for i in range(1, len(seg) - 1, 2))
            continue
        core_end = e
        if not seg.strip("."):
            continue
        if seg.endswith("..."):
            core_end = s + len(seg.rstrip("."))
            cuts.add(core_end)
        elif seg.endswith(".") and len(seg) > 1 and seg not in _ABBREVIATIONS \
                and not re.fullmatch(r"[A-Za-z]\.", seg):
            core_end = e - 1
            cuts.add(core_end)
        core = chunk[s:core_end]
        # didn't -> did n't; Turkey’s -> Turkey ’s
        if (m := _NT_RE.search(core)) or (m := _CLITIC_RE.search(core)):
            cuts.add(s + m.start())
        elif core.lower() == "cannot":
            cuts.add(s + 3)
    return {c for c in cuts if 0 < c < n}


def add_noise(chars: list[tuple[str, int, bool]], straight_apostrophes: bool):
    """Re-tokenize, straighten quotes and join lines, carrying each character's tag (the op it
    came from, or -1). Raw characters (swapped-in mentions) are neither split nor changed.
    Returns the text and the per-character tags (-1 for the whitespace the noise writes)."""
    quote_map = {"“": '"', "”": '"', "„": '"'}
    if straight_apostrophes:
        quote_map.update({"’": "'", "‘": "'"})
    # pieces: lists of (char, edit); seps[i]: (placeholder seen) before piece i
    pieces: list[list[tuple[str, int]]] = []
    placeholder_before: list[bool] = []
    pending_placeholder = False
    i, n = 0, len(chars)
    while i < n:
        c = chars[i][0]
        if c.isspace() or c == "\0":
            pending_placeholder |= c == "\0"
            i += 1
            continue
        j = i
        while j < n and not (chars[j][0].isspace() or chars[j][0] == "\0"):
            j += 1
        chunk = chars[i:j]
        cuts = ptb_splits("".join(ch for ch, _, _ in chunk))
        # never split inside a raw mention
        cuts = {k for k in cuts if not (chunk[k - 1][2] and chunk[k][2]
                                        and chunk[k - 1][1] == chunk[k][1])}
        start = 0
        for k in sorted(cuts) + [len(chunk)]:
            piece = [(ch if raw else quote_map.get(ch, ch), e) for ch, e, raw in chunk[start:k]]
            pieces.append(piece)
            placeholder_before.append(pending_placeholder)
            pending_placeholder = False
            start = k
        i = j
    out: list[str] = []
    ids: list[int] = []
    for k, piece in enumerate(pieces):
        if k == 0:
            sep = "   " if placeholder_before[0] else ""
        else:
            sep = PLACEHOLDER if placeholder_before[k] else " "
            if len(piece) == 1 and piece[0][0] == "—":
                sep = max(sep, "   ", key=len)  # "WASHINGTON   —    Russian"
            elif len(pieces[k - 1]) == 1 and pieces[k - 1][0][0] == "—":
                sep = max(sep, "    ", key=len)
        out.append(sep)
        ids.extend([-1] * len(sep))
        out.append("".join(ch for ch, _ in piece))
        ids.extend(e for _, e in piece)
    if pending_placeholder:
        out.append("   ")
        ids.extend([-1] * 3)
    return "".join(out), ids


# --- source documents -------------------------------------------------------------------------

_UTTERANCE_ID_RE = re.compile(r"^\S*\d+-\d+-\d+\s+")


def read_paragraphs(path: Path, rng: random.Random) -> list[str]:
    """Paragraphs of a source file: one per non-empty line; Kaldi-style transcripts (an
    utterance id opening most lines) lose the ids and are grouped 3-8 utterances a paragraph."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    with_ids = sum(1 for ln in lines if _UTTERANCE_ID_RE.match(ln))
    if lines and with_ids > 0.8 * len(lines):
        utts = [_UTTERANCE_ID_RE.sub("", ln) for ln in lines]
        paragraphs = []
        while utts:
            k = rng.randint(3, 8)
            paragraphs.append(" ".join(utts[:k]))
            utts = utts[k:]
        return paragraphs
    return lines


def cut_documents(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Consecutive paragraphs grouped into documents of about 500-1500 words; a short
    remainder joins the previous document."""
    docs: list[list[str]] = []
    cur: list[str] = []
    words = 0
    target = rng.randint(500, 1500)
    for p in paragraphs:
        cur.append(p)
        words += len(p.split())
        if words >= target:
            docs.append(cur)
            cur, words, target = [], 0, rng.randint(500, 1500)
    if cur:
        if docs and words < 500:
            docs[-1].extend(cur)
        else:
            docs.append(cur)
    return ["\n".join(d) + "\n" for d in docs]


def load_sources(paths: Sequence[Path], rng: random.Random) -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {}
    for path in paths:
        name = path.parent.name if path.name == "a.txt" else path.stem
        sources[name] = cut_documents(read_paragraphs(path, rng), rng)
    return sources


# --- systems: each returns hunks as (a_start, a_end, b_start, b_end) ---------------------------

Hunks = list[tuple[int, int, int, int]]


def project_hunks(a: str, b: str) -> Hunks:
    from viewer.align import align

    return [(h.a[0], h.a[1], h.b[0], h.b[1]) for h in align(a, b).hunks]


def _runs_to_hunks(opcodes, ta, tb) -> Hunks:
    """Each maximal run of non-equal opcodes over token lists is one hunk; ``ta``/``tb`` are
    token (start, end) offsets."""

    def span(toks, i0, i1):
        if i0 < i1:
            return toks[i0][0], toks[i1 - 1][1]
        p = toks[i0][0] if i0 < len(toks) else (toks[-1][1] if toks else 0)
        return p, p

    hunks: Hunks = []
    run = None
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            if run:
                hunks.append((*span(ta, run[0], run[1]), *span(tb, run[2], run[3])))
                run = None
        elif run is None:
            run = [i1, i2, j1, j2]
        else:
            run[1], run[3] = i2, j2
    if run:
        hunks.append((*span(ta, run[0], run[1]), *span(tb, run[2], run[3])))
    return hunks


def rapidfuzz_hunks(a: str, b: str) -> Hunks:
    ma = list(CMP_TOKEN_RE.finditer(a))
    mb = list(CMP_TOKEN_RE.finditer(b))
    ops = Levenshtein.opcodes([m.group() for m in ma], [m.group() for m in mb])
    ops = [(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end) for o in ops]
    return _runs_to_hunks(ops, [m.span() for m in ma], [m.span() for m in mb])


def difflib_hunks(a: str, b: str) -> Hunks:
    ma = list(re.finditer(r"\S+", a))
    mb = list(re.finditer(r"\S+", b))
    sm = difflib.SequenceMatcher(None, [m.group() for m in ma], [m.group() for m in mb],
                                 autojunk=False)
    return _runs_to_hunks(sm.get_opcodes(), [m.span() for m in ma], [m.span() for m in mb])


SYSTEMS: dict[str, Callable[[str, str], Hunks]] = {
    "project (viewer.align)": project_hunks,
    "plain rapidfuzz (word and punctuation tokens)": rapidfuzz_hunks,
    "difflib SequenceMatcher (whitespace tokens)": difflib_hunks,
}

# --- scoring ----------------------------------------------------------------------------------


def _nonspace(text: str, positions) -> set[int]:
    return {i for i in positions if not text[i].isspace()}


def predicted_sets(a: str, b: str, hunks: Hunks) -> tuple[set[int], set[int]]:
    pa: set[int] = set()
    pb: set[int] = set()
    for a0, a1, b0, b1 in hunks:
        pa.update(range(a0, a1))
        pb.update(range(b0, b1))
    return _nonspace(a, pa), _nonspace(b, pb)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    hunks: int = 0
    edits: int = 0
    pairs: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        for name in ("tp", "fp", "fn", "hunks", "edits", "pairs", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def hunks_per_edit(self) -> float:
        return self.hunks / self.edits if self.edits else float("nan")

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "hunks_per_edit": self.hunks_per_edit, "pairs": self.pairs,
                "gold_edits": self.edits, "hunks": self.hunks, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "seconds": self.seconds}


def score_pair(c: Corrupted, hunks: Hunks, seconds: float = 0.0) -> Score:
    pa, pb = predicted_sets(c.original, c.text, hunks)
    ga = _nonspace(c.original, c.gold_a())
    gb = _nonspace(c.text, c.gold_b())
    tp = len(pa & ga) + len(pb & gb)
    return Score(tp, len(pa) + len(pb) - tp, len(ga) + len(gb) - tp, len(hunks), c.n_edits, 1,
                 seconds)


# --- whitespace check -------------------------------------------------------------------------

_FILLER = ("The committee met on Tuesday to review the proposal, and after a long debate it "
           "voted to send the matter back for revision. ")
WHITESPACE_CASES = (
    ("letter-spaced in corrupted", "signed by COOKE and", "signed by C O O K E and"),
    ("letter-spaced in original", "signed by C O O K E and", "signed by COOKE and"),
    ("split word", "Mr. WALLACK said", "Mr. WALLA CK said"),
    ("joined words", "the NEW YORK office", "the NEWYORK office"),
    ("split and re-tokenized", "WALLACK’s office.", "WALLA CK ’s office ."),
    ("letter-spaced lowercase", "a lovely cottage", "a l o v e l y cottage"),
)


def whitespace_check() -> list[tuple[str, bool, int]]:
    results = []
    for name, a_mid, b_mid in WHITESPACE_CASES:
        a = _FILLER * 3 + a_mid + " " + _FILLER * 3
        b = _FILLER * 3 + b_mid + " " + _FILLER * 3
        n = len(project_hunks(a, b))
        results.append((name, n == 0, n))
    return results


# --- dump -------------------------------------------------------------------------------------


def _show(text: str, positions: set[int], width: int = 40) -> str:
    if not positions:
        return "-"
    lo, hi = min(positions), max(positions) + 1
    left = text[max(0, lo - width) : lo].replace("\n", "⏎")
    right = text[hi : hi + width].replace("\n", "⏎")
    return f"…{left}[{text[lo:hi]}]{right}…".replace("\n", "⏎")


def _gold_parts(c: Corrupted) -> dict[int, tuple[set[int], set[int]]]:
    """Non-space characters of each gold edit, per side."""
    gold: dict[int, tuple[set[int], set[int]]] = {}
    for side, (text, edits) in enumerate(((c.original, c.edit_a), (c.text, c.edit_b))):
        for i, e in enumerate(edits):
            if e >= 0 and not text[i].isspace():
                gold.setdefault(e, (set(), set()))[side].add(i)
    return gold


def classify_errors(c: Corrupted, hunks: Hunks):
    """The project's mistakes in one pair: ``(hunk_labels, edit_labels)``, a label (or None
    when right) per hunk and per gold edit, plus ``{label: [count, wrong chars]}``."""
    gold = _gold_parts(c)
    totals: dict[str, list[int]] = {}

    def note(label: str, chars: int) -> str:
        row = totals.setdefault(label, [0, 0])
        row[0] += 1
        row[1] += chars
        return label

    hunk_labels: list[str | None] = []
    touching: dict[int, int] = {}  # gold edit -> hunks touching it
    for h in hunks:
        pa, pb = predicted_sets(c.original, c.text, [h])
        owners = [c.edit_a[i] for i in pa] + [c.edit_b[i] for i in pb]
        edits = {e for e in owners if e >= 0}
        fp = owners.count(-1)
        for e in edits:
            touching[e] = touching.get(e, 0) + 1
        if not edits:
            hunk_labels.append(note("spurious hunk (no corruption in it)", fp))
        elif len(edits) > 1:
            hunk_labels.append(note("over-merged hunk (spans several gold edits)", fp))
        elif fp:
            hunk_labels.append(note("hunk reaches into uncorrupted text", fp))
        else:
            hunk_labels.append(None)
    edit_labels: dict[int, str | None] = {}
    for e, (ga, gb) in gold.items():
        if e not in touching:
            edit_labels[e] = note("missed gold edit", len(ga) + len(gb))
        elif touching[e] > 1:
            edit_labels[e] = note("gold edit split over several hunks", 0)
        else:
            edit_labels[e] = None
    return hunk_labels, edit_labels, totals


def _show(text: str, positions: set[int], width: int = 40) -> str:
    if not positions:
        return "-"
    lo, hi = min(positions), max(positions) + 1
    shown = f"…{text[max(0, lo - width) : lo]}[{text[lo:hi]}]{text[hi : hi + width]}…"
    return shown.replace("\n", "⏎")


def dump_pair(k: int, source: str, c: Corrupted, hunks: Hunks, s: Score) -> None:
    """Gold edits and hunks of one pair that do not match exactly, with context."""
    print(f"\n### pair {k} ({source}): F1 {s.f1:.3f}, P {s.precision:.3f}, R {s.recall:.3f}, "
          f"hunks {s.hunks} / gold edits {s.edits}")
    gold = _gold_parts(c)
    pred = [predicted_sets(c.original, c.text, [h]) for h in hunks]
    hunk_labels, edit_labels, _ = classify_errors(c, hunks)
    pred_keys = {(frozenset(a), frozenset(b)) for a, b in pred}
    gold_keys = {(frozenset(a), frozenset(b)) for a, b in gold.values()}
    for e, (ga, gb) in sorted(gold.items()):
        if (frozenset(ga), frozenset(gb)) not in pred_keys:
            label = f" — {edit_labels[e]}" if edit_labels[e] else ""
            print(f"  gold #{e} {c.kinds[e]}{label}\n      a {_show(c.original, ga)}"
                  f"\n      b {_show(c.text, gb)}")
    for n, (pa, pb) in enumerate(pred):
        if (frozenset(pa), frozenset(pb)) not in gold_keys:
            label = f" — {hunk_labels[n]}" if hunk_labels[n] else ""
            print(f"  hunk #{n}{label}\n      a {_show(c.original, pa)}"
                  f"\n      b {_show(c.text, pb)}")


# --- main -------------------------------------------------------------------------------------


def build_pairs(n_pairs: int, seed: int, paths: Sequence[Path]):
    sources = load_sources(paths, random.Random(seed))
    names = [n for n, docs in sources.items() if docs]
    pairs = []
    for k in range(n_pairs):
        rng = random.Random(seed * 1_000_003 + k)
        name = names[k % len(names)]
        doc = rng.choice(sources[name])
        other_names = [n for n in names if n != name]
        if other_names:
            others = sources[rng.choice(other_names)]
        else:
            others = [d for d in sources[name] if d is not doc]
        c = corrupt_detailed(doc, rng, others)
        check_gold(c)
        pairs.append((name, c))
    return sources, pairs


def _table(rows: list[tuple[str, Score]], first: str = "system") -> str:
    lines = [f"| {first} | precision | recall | F1 | hunks/edit | pairs | gold edits | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in rows:
        lines.append(f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | "
                     f"{s.hunks_per_edit:.3f} | {s.pairs} | {s.edits} | {s.seconds:.2f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", nargs="+", type=Path, metavar="FILE",
                        help="clean English text files (default: ../shared/pairs prose + seed)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the numbers here")
    parser.add_argument("--dump", type=int, default=0, metavar="N",
                        help="print the N worst pairs' project hunks vs gold")
    args = parser.parse_args(argv)

    notes = []
    if args.source:
        paths = list(args.source)
    elif SHARED_PAIRS.is_dir():
        paths = [p for p in DEFAULT_SOURCES if p.is_file()] + [SEED_ORIGINAL]
    else:
        paths = [SEED_ORIGINAL]
        notes.append(f"{SHARED_PAIRS} is missing: the only source is the seed original")
    sources, pairs = build_pairs(args.pairs, args.seed, paths)
    totals = {name: Score() for name in SYSTEMS}
    by_source: dict[tuple[str, str], Score] = {}
    project_results = []
    for k, (source, c) in enumerate(pairs):
        for name, system in SYSTEMS.items():
            t0 = time.perf_counter()
            hunks = system(c.original, c.text)
            s = score_pair(c, hunks, time.perf_counter() - t0)
            totals[name].add(s)
            by_source.setdefault((name, source), Score()).add(s)
            if system is project_hunks:
                project_results.append((s.f1, k, source, c, hunks, s))

    print(f"Quality benchmark: {args.pairs} pairs, seed {args.seed}; documents per source: "
          + ", ".join(f"{n} {len(d)}" for n, d in sources.items()))
    for note in notes:
        print(f"note: {note}")
    print()
    print(_table(list(totals.items())))
    print()
    project = next(iter(SYSTEMS))
    print("Project by source:\n")
    print(_table([(src, sc) for (name, src), sc in sorted(by_source.items()) if name == project],
                 "source"))
    print()
    print("F1 / hunks per gold edit by source:\n")
    print("| source | " + " | ".join(SYSTEMS) + " |")
    print("|---|" + "---:|" * len(SYSTEMS))
    for src in sources:
        cells = [by_source.get((name, src)) for name in SYSTEMS]
        print(f"| {src} | " + " | ".join(
            f"{sc.f1:.4f} / {sc.hunks_per_edit:.3f}" if sc else "-" for sc in cells) + " |")
    print()
    ws = whitespace_check()
    print("Whitespace check (project hunks must be 0):")
    for name, ok, n in ws:
        print(f"  {'PASS' if ok else 'FAIL'}  {name} ({n} hunks)")

    errors: dict[str, list[int]] = {}
    for _, _, _, c, hunks, _ in project_results:
        for label, (n, chars) in classify_errors(c, hunks)[2].items():
            row = errors.setdefault(label, [0, 0])
            row[0] += n
            row[1] += chars
    print("\nProject errors over all pairs (count, wrong non-space characters):")
    for label, (n, chars) in sorted(errors.items(), key=lambda kv: (-kv[1][1], -kv[1][0])):
        print(f"  {n:6d} {chars:7d}  {label}")

    if args.dump:
        print(f"\n## The {args.dump} worst pairs for the project: what differs from the gold")
        worst = sorted(project_results, key=lambda r: (r[0], r[1]))[: args.dump]
        for _, k, source, c, hunks, s in worst:
            dump_pair(k, source, c, hunks, s)

    if args.json:
        data = {
            "pairs": args.pairs, "seed": args.seed, "sources": [str(p) for p in paths],
            "notes": notes,
            "systems": {name: s.as_dict() for name, s in totals.items()},
            "by_source": {f"{name} | {src}": sc.as_dict()
                          for (name, src), sc in by_source.items()},
            "whitespace": [{"case": n, "pass": ok, "hunks": h} for n, ok, h in ws],
            "project_errors": {label: {"count": n, "wrong_chars": chars}
                               for label, (n, chars) in errors.items()},
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
