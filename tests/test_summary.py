"""``viewer.stats.summary`` on tiny pairs, every figure computed by hand.

Tokens are words and single punctuation marks. ``matched_share`` is matched tokens per token of
the ORIGINAL; ``corruption_rate`` is unmatched tokens of both sides per token of both sides.
Pairs of unequal length are chosen so that a share computed on the wrong side gives another
number.
"""

from __future__ import annotations

import pytest

from viewer.align import align
from viewer.stats import summary

# a, b, (tokens a, tokens b), matched, matched_share, {kind: hunks}, tokens by kind
# (original missing, original substituted, corrupted substituted, corrupted inserted),
# corruption_rate
CASES = [
    # nothing changed
    ("a b c", "a b c", (3, 3), 3, 1.0, {}, (0, 0, 0, 0), 0.0),
    # `b` gone: 3 of 4 matched; 1 unmatched of 7
    ("a b c d", "a c d", (4, 3), 3, 0.75, {"missing": 1}, (1, 0, 0, 0), 0.142857),
    # two words inserted: all 2 of the original matched; 2 unmatched of 6
    ("a c", "a b b c", (2, 4), 2, 1.0, {"inserted": 1}, (0, 0, 0, 2), 0.333333),
    # the last two words gone: 2 of 4 matched (not 2 of 2); 2 unmatched of 6
    ("x y z w", "x y", (4, 2), 2, 0.5, {"missing": 1}, (2, 0, 0, 0), 0.333333),
    # one word for another: 2 of 3; 2 unmatched of 6
    ("the cat sat", "the dog sat", (3, 3), 2, 0.666667, {"substituted": 1}, (0, 1, 1, 0),
     0.333333),
    # one word for two: 2 of 3 matched in the original; 3 unmatched of 7
    ("the cat sat", "the big dog sat", (3, 4), 2, 0.666667, {"substituted": 1},
     (0, 1, 2, 0), 0.428571),
    # one missing, one inserted: 2 of 3; 2 unmatched of 6
    ("a b c", "a c d", (3, 3), 2, 0.666667, {"missing": 1, "inserted": 1}, (1, 0, 0, 1),
     0.333333),
    # re-tokenization is no difference: Turkey ’ s on both sides
    ("Turkey’s army", "Turkey ’s army", (4, 4), 4, 1.0, {}, (0, 0, 0, 0), 0.0),
    # empty texts: nothing to match, nothing corrupted
    ("", "", (0, 0), 0, 1.0, {}, (0, 0, 0, 0), 0.0),
    # an empty original: the share of it matched is full, every token is corrupted
    ("", "new words", (0, 2), 0, 1.0, {"inserted": 1}, (0, 0, 0, 2), 1.0),
    # an empty corrupted text: nothing of the original matched
    ("old words", "", (2, 0), 0, 0.0, {"missing": 1}, (2, 0, 0, 0), 1.0),
]


@pytest.mark.parametrize(("a", "b", "tokens", "matched", "share", "hunks", "by_kind", "rate"),
                         CASES)
def test_summary_by_hand(a, b, tokens, matched, share, hunks, by_kind, rate):
    s = summary(align(a, b))
    assert s["tokens"] == {"original": tokens[0], "corrupted": tokens[1]}
    assert s["matched_tokens"] == matched
    assert s["matched_share"] == share
    assert s["hunks"] == {"missing": hunks.get("missing", 0),
                          "substituted": hunks.get("substituted", 0),
                          "inserted": hunks.get("inserted", 0)}
    assert s["hunks_total"] == sum(hunks.values())
    assert s["tokens_by_kind"] == {
        "original": {"missing": by_kind[0], "substituted": by_kind[1]},
        "corrupted": {"substituted": by_kind[2], "inserted": by_kind[3]},
    }
    assert s["corruption_rate"] == rate
    assert s["bounded_regions"] == 0
