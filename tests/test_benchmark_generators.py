"""The quality benchmark's generator records where each swapped-in mention came from
(``benchmarks/quality.py``), and the provenance benchmark scores by those positions
(``benchmarks/provenance_quality.py``). Only the project's own seed text is read."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import provenance_quality  # noqa: E402
import quality  # noqa: E402
from quality import SEED_ORIGINAL, Copy, Corrupted, corrupt_detailed, mention_spans, occurrences  # noqa: E402

SEED_TEXT = SEED_ORIGINAL.read_text(encoding="utf-8")


def _occurrences_reference(text: str, piece: str) -> tuple[tuple[int, int], ...]:
    """Every start, overlapping ones too: a lookahead at each position."""
    return tuple((m.start(), m.start() + len(piece))
                 for m in re.finditer(f"(?={re.escape(piece)})", text))


def test_mention_spans_hold_the_mentions_find_mentions_draws():
    text = ("But Russia said the Kremlin’s plan would help. The United States and Mr. Putin "
            "met the U.S. envoy.")
    spans = mention_spans(text)
    # "But" opens the sentence and is dropped; "the" and the possessive stay with the name
    assert [text[s:e] for s, e in spans] == ["Russia", "the Kremlin’s", "The United States",
                                            "Mr. Putin", "the U.S."]
    assert quality.find_mentions(text) == [text[s:e] for s, e in spans]


@pytest.mark.parametrize(("text", "piece", "expected"), [
    ("Russia and Russia", "Russia", ((0, 6), (11, 17))),
    ("aaa", "aa", ((0, 2), (1, 3))),  # overlapping occurrences are all places
    ("Turkey", "Russia", ()),
])
def test_occurrences_literal(text, piece, expected):
    assert occurrences(text, piece) == expected == _occurrences_reference(text, piece)


@pytest.fixture(scope="module")
def corrupted_seeds() -> list[Corrupted]:
    """The example original corrupted with a few seeds (different re-tokenizations, raw and
    re-tokenized mentions, straight and curly apostrophes)."""
    return [corrupt_detailed(SEED_TEXT, random.Random(seed)) for seed in range(8)]


def test_every_swap_is_recorded_once(corrupted_seeds):
    for c in corrupted_seeds:
        assert c.copies, "the example original always gets mention swaps"
        swapped = {i for i, k in enumerate(c.op_kind_b) if k == "swap"}
        recorded = {i for cp in c.copies for i in range(*cp.b)}
        assert swapped <= recorded  # every swapped-in character belongs to a recorded copy
        assert {i for i in recorded if not c.text[i].isspace()} <= swapped


def test_recorded_source_holds_the_inserted_mention(corrupted_seeds):
    for c in corrupted_seeds:
        for cp in c.copies:
            s, e = cp.drawn
            assert c.original[s:e] == cp.text  # the span it was drawn from is the mention
            assert cp.drawn in cp.sources
            assert cp.sources == _occurrences_reference(c.original, cp.text)
            # in the corrupted text it is the mention, re-spaced and quotes straightened at most
            placed = c.text[cp.b[0] : cp.b[1]]
            assert quality.fold_tokens(placed) == quality.fold_tokens(cp.text)
            assert all(c.edit_b[i] == cp.edit for i in range(*cp.b) if not placed[i - cp.b[0]]
                       .isspace())
            assert "swap" in c.kinds[cp.edit].split("+")


def test_a_raw_mention_lands_unchanged(corrupted_seeds):
    raw = [(c, cp) for c in corrupted_seeds for cp in c.copies
           if c.text[cp.b[0] : cp.b[1]] == cp.text]
    assert raw  # most mentions are swapped in raw (P_RAW_MENTION)


def test_kind_per_corrupted_character_agrees_with_the_gold(corrupted_seeds):
    for c in corrupted_seeds:
        assert len(c.op_kind_b) == len(c.text)
        for i, kind in enumerate(c.op_kind_b):
            if c.edit_b[i] < 0:
                assert kind == ""
            else:
                assert kind in c.kinds[c.edit_b[i]].split("+")


# --- the scoring --------------------------------------------------------------------------------


def _pair_with_one_swap(mention: str = "Ankara") -> Corrupted:
    """``Ankara`` swapped in for ``quietly``: one mention, drawn from its second occurrence."""
    original = ("The talks in Ankara went on for days. Officials met quietly and the envoy "
                "left for Moscow. Later the talks moved back to Ankara for a final round.\n")
    s = original.index("quietly")
    text = original[:s] + mention + original[s + len("quietly"):]
    edit_a = [0 if s <= i < s + 7 else -1 for i in range(len(original))]
    b = (s, s + len(mention))
    edit_b = [0 if b[0] <= i < b[1] else -1 for i in range(len(text))]
    kinds = ["swap" if e == 0 else "" for e in edit_b]
    drawn = (original.rindex(mention), original.rindex(mention) + len(mention))
    copy = Copy("swap", mention, b, drawn, occurrences(original, mention), 0)
    return Corrupted(original, text, edit_a, edit_b, 1, ["swap"], [copy], kinds)


def test_score_traces_a_swapped_mention_to_its_place():
    n = provenance_quality.score([("literal", _pair_with_one_swap())])
    assert (n["mentions"], n["traced"]) == (1, 1)
    assert (n["copies"], n["real"], n["by_generator"]) == (1, 1, 1)


def test_score_misses_a_source_elsewhere():
    c = _pair_with_one_swap()
    # the generator claims the mention came from "Moscow": no copy hunk lists that place
    far = (c.original.index("Moscow"), c.original.index("Moscow") + 6)
    c.copies[0] = Copy("swap", "Moscow", c.copies[0].b, far, (far,), 0)
    n = provenance_quality.score([("literal", c)])
    assert (n["mentions"], n["traced"], n["wrong_source"]) == (1, 0, 1)


def test_covering_takes_only_hunks_sharing_characters():
    class H:
        def __init__(self, b):
            self.b = b

    hunks = [H((0, 3)), H((5, 5)), H((5, 9)), H((9, 9)), H((12, 20))]
    starts = [h.b[0] for h in hunks]
    assert provenance_quality._covering(hunks, starts, 5, 9) == [hunks[2]]  # empty spans: no
    assert provenance_quality._covering(hunks, starts, 2, 13) == [hunks[0], hunks[2], hunks[4]]
    assert provenance_quality._covering(hunks, starts, 3, 5) == []
